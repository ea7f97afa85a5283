#include "results/shards.hpp"

#include <fmt/core.h>

#include <map>
#include <stdexcept>

#include "core/errors.hpp"
#include "results/integrity.hpp"
#include "results/reading.hpp"

namespace orgsim {
namespace {

std::uint64_t parse_count(const std::string& text, const std::string& whole) {
  std::size_t used = 0;
  std::uint64_t value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::logic_error&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || text.front() == '-' || text.front() == '+')
    throw std::invalid_argument(fmt::format("'{}' is not I/N with whole numbers I and N", whole));
  return value;
}

struct Part {
  std::filesystem::path path;
  Shard shard;
  std::vector<RunStatus> statuses;
};

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& why) {
  throw OutputError(fmt::format("{}: {}; nothing was merged", path.string(), why));
}

Part read_part(const std::filesystem::path& path, const ResultsHeader& header) {
  std::string why;
  const auto file = open_for_reading(path, &why);
  if (!file.valid()) refuse(path, why);
  if (read_text_attribute(file.get(), "scenario_hash").empty()) refuse(path, "not an orgsim results file");
  const auto shard_text = read_text_attribute(file.get(), "shard");
  if (shard_text.empty()) refuse(path, "not a shard (written by orgsim sweep without --shard)");
  Part part{path, parse_shard(shard_text), {}};
  const auto hash = read_text_attribute(file.get(), "scenario_hash");
  if (hash != header.scenario_hash)
    refuse(path, fmt::format("a shard of another scenario (hash {}, the first part's is {})", hash,
                             header.scenario_hash));
  const auto version = read_text_attribute(file.get(), "engine_version");
  if (version != header.engine_version)
    refuse(path,
           fmt::format("written by orgsim {}, the first part by orgsim {}", version, header.engine_version));
  const Hdf5Handle status(H5Dopen2(file.get(), "status", H5P_DEFAULT), H5Dclose);
  if (!status.valid() || extent(status.get(), 0) != header.runs)
    refuse(path, "its ledger does not fit the sweep");
  part.statuses.resize(header.runs);
  if (header.runs > 0 &&
      H5Dread(status.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, part.statuses.data()) < 0)
    refuse(path, "its ledger cannot be read (corrupt?)");
  std::uint64_t pending = 0;
  for (std::uint64_t run = 0; run < header.runs; ++run) {
    if (!part.shard.holds(run)) {
      part.statuses[run] = RunStatus::pending;  // another shard's: not this file's to give
    } else if (part.statuses[run] == RunStatus::pending) {
      ++pending;
    } else if (part.statuses[run] > RunStatus::failed) {
      refuse(path, fmt::format("its ledger gives run {} an unknown status (corrupt?)", run));
    }
  }
  if (pending > 0)
    refuse(path, fmt::format(
                     "shard {} has {} pending run(s); finish it with `orgsim sweep ... --shard {} --resume`",
                     part.shard.text(), pending, part.shard.text()));
  return part;
}

}  // namespace

std::string Shard::text() const {
  return fmt::format("{}/{}", index, count);
}

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos)
    throw std::invalid_argument(fmt::format("'{}' is not I/N (shard I of N, counted from 0)", text));
  const Shard shard{parse_count(text.substr(0, slash), text), parse_count(text.substr(slash + 1), text)};
  if (shard.count == 0 || shard.index >= shard.count)
    throw std::invalid_argument(fmt::format("'{}': I must be at least 0 and less than N", text));
  return shard;
}

std::optional<Shard> read_shard(const std::filesystem::path& path) {
  std::string why;
  const auto file = open_for_reading(path, &why);
  if (!file.valid()) throw OutputError(fmt::format("{}: {}", path.string(), why));
  const auto text = read_text_attribute(file.get(), "shard");
  if (text.empty()) return std::nullopt;
  try {
    return parse_shard(text);
  } catch (const std::invalid_argument& error) {
    throw OutputError(fmt::format("{}: its shard attribute is malformed: {}", path.string(), error.what()));
  }
}

void merge_shards(const std::vector<std::filesystem::path>& parts, const std::filesystem::path& output,
                  bool overwrite, const ResultsHeader& header) {
  if (parts.empty()) throw OutputError("nothing to merge: name the shard files");
  std::map<std::uint64_t, Part> shards;
  std::uint64_t count = 0;
  for (const auto& path : parts) {
    std::error_code ignored;
    if (std::filesystem::equivalent(path, output, ignored))
      refuse(path, "is also the output; merge into a new file");
    auto part = read_part(path, header);
    if (count == 0) count = part.shard.count;
    if (part.shard.count != count)
      refuse(path, fmt::format("shard {} of a sweep cut into {}, the first part's into {}", part.shard.text(),
                               part.shard.count, count));
    const auto index = part.shard.index;
    if (const auto seen = shards.find(index); seen != shards.end())
      refuse(path, fmt::format("shard {} again (also {})", part.shard.text(), seen->second.path.string()));
    shards.emplace(index, std::move(part));
  }
  for (std::uint64_t index = 0; index < count; ++index) {
    if (!shards.contains(index))
      throw OutputError(
          fmt::format("shard {}/{} is missing: give all {} parts; nothing was merged", index, count, count));
  }
  // Built aside and moved into place once every part is in.
  ResultsWriter writer(output, overwrite, header, ResultsWriter::Mode::resuming);
  for (const auto& [index, part] : shards) {
    std::string why;
    const auto file = open_for_reading(part.path, &why);
    if (!file.valid()) refuse(part.path, why);
    // A merge cannot run what a shard lost; resuming the shard can.
    if (const auto damaged = writer.copy_rows_from(file.get(), part.statuses); !damaged.empty())
      refuse(part.path,
             fmt::format("the stored results of run(s) {} are damaged; `orgsim sweep SCENARIO --shard {} "
                         "--resume -o {}` runs them again",
                         list_runs(damaged), part.shard.text(), part.path.string()));
  }
  writer.take_place();
  writer.finish();
}

}  // namespace orgsim
