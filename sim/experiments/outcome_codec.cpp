#include "experiments/outcome_codec.hpp"

#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace orgsim {
namespace {

// Both ends are the same build on the same kind of machine (an MPI job), so
// values travel in the host's byte order.
class Writer {
 public:
  template <typename Value>
  void put(const Value& value) {
    static_assert(std::is_trivially_copyable_v<Value>);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&value);
    out_.insert(out_.end(), bytes, bytes + sizeof(Value));
  }
  template <typename Value>
  void put_span(std::span<const Value> values) {
    put(static_cast<std::uint64_t>(values.size()));
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(values.data());
    out_.insert(out_.end(), bytes, bytes + values.size_bytes());
  }
  std::vector<std::uint8_t> take() { return std::move(out_); }

 private:
  std::vector<std::uint8_t> out_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  template <typename Value>
  Value get() {
    Value value;
    std::memcpy(&value, claim(sizeof(Value)), sizeof(Value));
    return value;
  }
  template <typename Value>
  std::vector<Value> get_vector() {
    const auto count = get<std::uint64_t>();
    if (count > bytes_.size() / sizeof(Value)) throw std::runtime_error("run message: bad length");
    std::vector<Value> values(count);
    const auto* start = claim(count * sizeof(Value));
    if (count > 0) std::memcpy(values.data(), start, count * sizeof(Value));  // data() may be null
    return values;
  }
  bool at_end() const noexcept { return used_ == bytes_.size(); }

 private:
  const std::uint8_t* claim(std::size_t size) {
    if (bytes_.size() - used_ < size) throw std::runtime_error("run message: truncated");
    const auto* start = bytes_.data() + used_;
    used_ += size;
    return start;
  }
  std::span<const std::uint8_t> bytes_;
  std::size_t used_ = 0;
};

}  // namespace

std::vector<std::uint8_t> encode_outcome(const RunOutcome& outcome) {
  Writer out;
  const auto& result = outcome.result;
  out.put(result.run);
  out.put(result.key);
  out.put(result.seed);
  out.put(result.equilibrium_step);
  out.put(static_cast<std::uint8_t>(outcome.failed));
  out.put_span(std::span<const char>(outcome.error));
  out.put(static_cast<std::uint64_t>(outcome.packed.size()));
  for (const auto& chunk : outcome.packed) out.put_span(std::span<const std::uint8_t>(chunk));
  const bool raw = outcome.packed.empty();
  out.put_span(raw ? std::span<const double>(result.organization) : std::span<const double>());
  out.put_span(raw ? std::span<const double>(result.departments) : std::span<const double>());
  return out.take();
}

RunOutcome decode_outcome(std::span<const std::uint8_t> bytes) {
  Reader in(bytes);
  RunOutcome outcome;
  auto& result = outcome.result;
  result.run = in.get<std::uint64_t>();
  result.key = in.get<RunKey>();
  result.seed = in.get<std::uint64_t>();
  result.equilibrium_step = in.get<std::int64_t>();
  outcome.failed = in.get<std::uint8_t>() != 0;
  const auto error = in.get_vector<char>();
  outcome.error.assign(error.begin(), error.end());
  const auto chunks = in.get<std::uint64_t>();
  if (chunks > bytes.size()) throw std::runtime_error("run message: bad chunk count");
  outcome.packed.reserve(chunks);
  for (std::uint64_t i = 0; i < chunks; ++i) outcome.packed.push_back(in.get_vector<std::uint8_t>());
  result.organization = in.get_vector<double>();
  result.departments = in.get_vector<double>();
  if (!in.at_end()) throw std::runtime_error("run message: trailing bytes");
  return outcome;
}

}  // namespace orgsim
