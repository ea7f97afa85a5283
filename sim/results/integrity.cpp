#include "results/integrity.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <span>

#include "engine/observables.hpp"
#include "results/hdf5_handle.hpp"
#include "results/results_file.hpp"

namespace orgsim {

namespace {

std::string truncated(std::uint64_t size, std::uint64_t end) {
  return fmt::format(
      "truncated: {} bytes, but its HDF5 metadata accounts for {} (cut short by a full disk, a copy or a "
      "transfer?)",
      size, end);
}

}  // namespace

std::uint32_t fletcher32(const std::uint8_t* data, std::size_t size) {
  // As HDF5 computes it: big-endian 16-bit words, the sums folded every 360
  // words (the most that cannot overflow), an odd last byte as a high byte.
  std::uint32_t sum1 = 0, sum2 = 0;
  std::size_t words = size / 2;
  while (words > 0) {
    std::size_t block = std::min<std::size_t>(words, 360);
    words -= block;
    do {
      sum1 += static_cast<std::uint32_t>((static_cast<std::uint16_t>(data[0]) << 8U) | data[1]);
      data += 2;
      sum2 += sum1;
    } while (--block > 0);
    sum1 = (sum1 & 0xffffU) + (sum1 >> 16U);
    sum2 = (sum2 & 0xffffU) + (sum2 >> 16U);
  }
  if (size % 2 != 0) {
    sum1 += static_cast<std::uint32_t>(static_cast<std::uint16_t>(*data) << 8U);
    sum2 += sum1;
    sum1 = (sum1 & 0xffffU) + (sum1 >> 16U);
    sum2 = (sum2 & 0xffffU) + (sum2 >> 16U);
  }
  sum1 = (sum1 & 0xffffU) + (sum1 >> 16U);
  sum2 = (sum2 & 0xffffU) + (sum2 >> 16U);
  return (sum2 << 16U) | sum1;
}

void append_fletcher32(std::vector<std::uint8_t>& chunk) {
  const std::uint32_t sum = fletcher32(chunk.data(), chunk.size());
  for (unsigned shift = 0; shift < 32; shift += 8) chunk.push_back(static_cast<std::uint8_t>(sum >> shift));
}

std::optional<std::string> truncation(hid_t file, const std::filesystem::path& path) {
  haddr_t end = 0;
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (H5Fget_eoa(file, &end) < 0 || error) return std::nullopt;  // nothing to compare: HDF5 reads will say
  if (size >= end) return std::nullopt;
  return truncated(size, end);
}

std::optional<std::string> truncation(const std::filesystem::path& path) {
  // The superblock (versions 2 and 3, which orgsim writes): the signature,
  // version, sizes of offsets and lengths, flags, then the base, extension
  // and end-of-file addresses, little endian. It may sit at 0, 512, 1024, ...
  static constexpr std::array<unsigned char, 8> kSignature = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  std::ifstream in(path, std::ios::binary);
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (!in || error) return std::nullopt;
  for (std::uint64_t at = 0; at + 36 <= size; at = at == 0 ? 512 : at * 2) {
    std::array<unsigned char, 36> head{};
    in.seekg(static_cast<std::streamoff>(at));
    if (!in.read(reinterpret_cast<char*>(head.data()), head.size())) return std::nullopt;
    if (!std::equal(kSignature.begin(), kSignature.end(), head.begin())) continue;
    if ((head[8] != 2 && head[8] != 3) || head[9] != 8) return std::nullopt;
    std::uint64_t base = 0, end = 0;
    for (unsigned i = 0; i < 8; ++i) {
      base |= std::uint64_t{head[12 + i]} << (8 * i);
      end |= std::uint64_t{head[28 + i]} << (8 * i);
    }
    if (size + base >= end) return std::nullopt;
    return truncated(size, end);
  }
  return std::nullopt;
}

ChunkCheck::ChunkCheck(hid_t dataset) : dataset_(dataset) {
  const Hdf5Handle space(H5Dget_space(dataset), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 1) return;
  shape_.resize(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), shape_.data(), nullptr);
  const Hdf5Handle type(H5Dget_type(dataset), H5Tclose);
  value_bytes_ = H5Tget_size(type.get());
  const Hdf5Handle properties(H5Dget_create_plist(dataset), H5Pclose);
  chunk_.assign(shape_.size(), 0);
  chunked_ = H5Pget_layout(properties.get()) == H5D_CHUNKED &&
             H5Pget_chunk(properties.get(), rank, chunk_.data()) == rank && chunk_[0] == 1 &&
             std::none_of(chunk_.begin(), chunk_.end(), [](hsize_t extent) { return extent == 0; });
  const int filters = H5Pget_nfilters(properties.get());
  if (filters > 0 && H5Pget_filter2(properties.get(), static_cast<unsigned>(filters - 1), nullptr, nullptr,
                                    nullptr, 0, nullptr, nullptr) == H5Z_FILTER_FLETCHER32)
    checksum_filter_ = filters - 1;
}

bool ChunkCheck::stored_intact(const std::vector<std::uint8_t>& stored, std::uint32_t filter_mask) const {
  if (checksum_filter_ < 0 || (filter_mask & (1U << static_cast<unsigned>(checksum_filter_))) != 0)
    return true;
  if (stored.size() < 4) return false;
  const std::size_t body = stored.size() - 4;
  std::uint32_t kept = 0;
  for (unsigned i = 0; i < 4; ++i) kept |= static_cast<std::uint32_t>(stored[body + i]) << (8 * i);
  return kept == fletcher32(stored.data(), body);
}

bool ChunkCheck::through_filters(const std::vector<hsize_t>& start, const std::vector<hsize_t>& count) const {
  std::size_t values = 1;
  for (const auto extent : count) values *= extent;
  std::vector<char> buffer(values * value_bytes_);
  const Hdf5Handle memory(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose);
  const Hdf5Handle space(H5Dget_space(dataset_), H5Sclose);
  const Hdf5Handle type(H5Dget_type(dataset_), H5Tclose);
  return H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr) >=
             0 &&
         H5Dread(dataset_, type.get(), memory.get(), space.get(), H5P_DEFAULT, buffer.data()) >= 0;
}

bool ChunkCheck::run_intact(std::uint64_t run, bool absent_ok) const {
  if (shape_.empty() || run >= shape_[0]) return false;
  if (!chunked_) {
    std::vector<hsize_t> start(shape_.size(), 0), count = shape_;
    start[0] = run;
    count[0] = 1;
    return through_filters(start, count);
  }
  std::vector<hsize_t> offset(shape_.size(), 0);
  offset[0] = run;
  std::vector<std::uint8_t> stored;
  while (true) {
    hsize_t size = 0;
    if (H5Dget_chunk_storage_size(dataset_, offset.data(), &size) < 0 || size == 0) {
      if (!absent_ok) return false;
    } else {
      stored.resize(size);
      std::uint32_t filter_mask = 0;
      if (H5Dread_chunk(dataset_, H5P_DEFAULT, offset.data(), &filter_mask, stored.data()) < 0) return false;
      if (checksum_filter_ >= 0) {
        if (!stored_intact(stored, filter_mask)) return false;
      } else {
        std::vector<hsize_t> count(shape_.size());
        for (std::size_t d = 0; d < shape_.size(); ++d) count[d] = std::min(chunk_[d], shape_[d] - offset[d]);
        if (!through_filters(offset, count)) return false;
      }
    }
    std::size_t d = shape_.size() - 1;
    while (d > 0 && (offset[d] += chunk_[d]) >= shape_[d]) offset[d--] = 0;
    if (d == 0) return true;
  }
}

std::vector<std::uint64_t> damaged_runs(hid_t file, const std::vector<RunStatus>& statuses) {
  std::vector<std::uint64_t> done, failed, damaged;
  for (std::uint64_t run = 0; run < statuses.size(); ++run) {
    if (statuses[run] == RunStatus::done) done.push_back(run);
    if (statuses[run] == RunStatus::failed) failed.push_back(run);
  }
  auto check = [&](const char* name, const std::vector<std::uint64_t>& runs, bool absent_ok) {
    if (runs.empty() || H5Lexists(file, name, H5P_DEFAULT) <= 0) return;
    const Hdf5Handle dataset(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) return;
    const ChunkCheck chunks(dataset.get());
    for (const auto run : runs) {
      if (!chunks.run_intact(run, absent_ok)) damaged.push_back(run);
    }
  };
  for (const auto& spec : organization_observables()) check(spec.name.c_str(), done, false);
  for (const auto& spec : department_observables()) check(spec.name.c_str(), done, false);
  check("error", failed, true);  // an empty message is never written
  std::sort(damaged.begin(), damaged.end());
  damaged.erase(std::unique(damaged.begin(), damaged.end()), damaged.end());
  return damaged;
}

std::string list_runs(const std::vector<std::uint64_t>& runs) {
  constexpr std::size_t kShown = 10;
  if (runs.size() <= kShown) return fmt::format("{}", fmt::join(runs, ", "));
  return fmt::format("{}, ... ({} in all)", fmt::join(std::span(runs).first(kShown), ", "), runs.size());
}

}  // namespace orgsim
