// Resuming a sweep that stopped early: what its file recorded is carried
// into a fresh file that then takes the old one's place.
#include <fmt/core.h>
#include <hdf5.h>

#include <algorithm>
#include <cstring>

#include "core/errors.hpp"
#include "engine/observables.hpp"
#include "results/integrity.hpp"
#include "results/reading.hpp"
#include "results/results_file.hpp"

namespace orgsim {
namespace {

using Handle = Hdf5Handle;

[[noreturn]] void unreadable(const std::filesystem::path& path, const std::string& why) {
  throw OutputError(fmt::format("{}: cannot be resumed: {}; nothing was changed", path.string(), why));
}

// Carries a dataset's rows from a stopped sweep's file into the file that
// replaces it; the rows of runs still pending stay unwritten (fill values),
// as in a sweep that has not reached them.
class RowCopy {
 public:
  RowCopy(hid_t source_file, hid_t target, const std::string& name, const std::filesystem::path& path)
      : source_(H5Dopen2(source_file, name.c_str(), H5P_DEFAULT), H5Dclose),
        target_(target),
        name_(name),
        path_(path),
        check_(source_.get()) {
    if (!source_.valid()) unreadable(path_, fmt::format("dataset '{}' is missing", name_));
    type_ = Handle(H5Dget_type(target_), H5Tclose);
    const Handle target_space(H5Dget_space(target_), H5Sclose);
    const Handle source_space(H5Dget_space(source_.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(target_space.get());
    if (rank < 1 || H5Sget_simple_extent_ndims(source_space.get()) != rank) another_shape();
    shape_.resize(static_cast<std::size_t>(rank));
    std::vector<hsize_t> source_shape(shape_.size());
    H5Sget_simple_extent_dims(target_space.get(), shape_.data(), nullptr);
    H5Sget_simple_extent_dims(source_space.get(), source_shape.data(), nullptr);
    if (source_shape != shape_) another_shape();
    row_bytes_ = H5Tget_size(type_.get());
    for (std::size_t d = 1; d < shape_.size(); ++d) row_bytes_ *= shape_[d];
  }

  // Every row, in blocks of about 8 MB so that memory stays bounded.
  void all() {
    const hsize_t block = std::max<hsize_t>(1, kBlockBytes / std::max<std::size_t>(row_bytes_, 1));
    for (hsize_t first = 0; first < shape_[0]; first += block) {
      std::vector<hsize_t> start(shape_.size(), 0), count = shape_;
      start[0] = first;
      count[0] = std::min(block, shape_[0] - first);
      std::vector<char> buffer(count[0] * row_bytes_);
      const Handle memory(H5Screate_simple(rank(), count.data(), nullptr), H5Sclose);
      const Handle source_space = selected(source_.get(), start, count);
      const Handle target_space = selected(target_, start, count);
      read(memory.get(), source_space.get(), buffer.data());
      write(memory.get(), target_space.get(), buffer.data());
    }
  }

  // The rows of `runs` (ascending) only.
  void rows(const std::vector<std::uint64_t>& runs) {
    if (runs.empty()) return;
    if (shape_.size() == 1) {
      elements(runs);
    } else if (same_chunks()) {
      for (const auto run : runs) chunks_of(run);
    } else {
      for (const auto run : runs) row(run);
    }
  }

 private:
  static constexpr std::size_t kBlockBytes = std::size_t{8} << 20U;

  int rank() const { return static_cast<int>(shape_.size()); }
  [[noreturn]] void another_shape() const { unreadable(path_, fmt::format("'{}' has another shape", name_)); }

  Handle selected(hid_t dataset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count) const {
    Handle space(H5Dget_space(dataset), H5Sclose);
    H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
    return space;
  }
  void read(hid_t memory, hid_t space, void* buffer) const {
    if (H5Dread(source_.get(), type_.get(), memory, space, H5P_DEFAULT, buffer) < 0)
      unreadable(path_, fmt::format("'{}' cannot be read (corrupt?)", name_));
  }
  void write(hid_t memory, hid_t space, const void* buffer) const {
    if (H5Dwrite(target_, type_.get(), memory, space, H5P_DEFAULT, buffer) < 0)
      cannot_write("write while resuming", path_);
  }

  // 1-D columns: the chosen elements of each block, gathered.
  void elements(const std::vector<std::uint64_t>& runs) {
    const hsize_t block = kBlockBytes / row_bytes_;
    std::vector<char> buffer, chosen;
    auto next = runs.begin();
    for (hsize_t first = 0; first < shape_[0] && next != runs.end(); first += block) {
      const hsize_t count = std::min(block, shape_[0] - first);
      const auto end = std::lower_bound(next, runs.end(), first + count);
      if (next == end) continue;
      buffer.resize(count * row_bytes_);
      const Handle memory(H5Screate_simple(1, &count, nullptr), H5Sclose);
      const Handle source_space = selected(source_.get(), {first}, {count});
      read(memory.get(), source_space.get(), buffer.data());
      const std::vector<hsize_t> coordinates(next, end);
      chosen.resize(coordinates.size() * row_bytes_);
      for (std::size_t i = 0; i < coordinates.size(); ++i)
        std::memcpy(chosen.data() + i * row_bytes_, buffer.data() + (coordinates[i] - first) * row_bytes_,
                    row_bytes_);
      const hsize_t chosen_count = coordinates.size();
      const Handle chosen_memory(H5Screate_simple(1, &chosen_count, nullptr), H5Sclose);
      const Handle target_space(H5Dget_space(target_), H5Sclose);
      H5Sselect_elements(target_space.get(), H5S_SELECT_SET, coordinates.size(), coordinates.data());
      write(chosen_memory.get(), target_space.get(), chosen.data());
      next = end;
    }
  }

  // Whether the two datasets store their chunks alike (same chunk shape and
  // filters), so that a chunk's stored bytes can be copied as they are.
  bool same_chunks() {
    const Handle source_properties(H5Dget_create_plist(source_.get()), H5Pclose);
    const Handle target_properties(H5Dget_create_plist(target_), H5Pclose);
    if (H5Pget_layout(source_properties.get()) != H5D_CHUNKED ||
        H5Pget_layout(target_properties.get()) != H5D_CHUNKED)
      return false;
    std::vector<hsize_t> source_chunk(shape_.size());
    chunk_.assign(shape_.size(), 0);
    if (H5Pget_chunk(source_properties.get(), rank(), source_chunk.data()) != rank() ||
        H5Pget_chunk(target_properties.get(), rank(), chunk_.data()) != rank() || source_chunk != chunk_ ||
        chunk_[0] != 1)
      return false;
    const int filters = H5Pget_nfilters(target_properties.get());
    if (filters < 0 || H5Pget_nfilters(source_properties.get()) != filters) return false;
    for (int f = 0; f < filters; ++f) {
      const auto index = static_cast<unsigned>(f);
      if (H5Pget_filter2(source_properties.get(), index, nullptr, nullptr, nullptr, 0, nullptr, nullptr) !=
          H5Pget_filter2(target_properties.get(), index, nullptr, nullptr, nullptr, 0, nullptr, nullptr))
        return false;
    }
    return true;
  }

  // Each chunk of one run's row, its stored (compressed) bytes copied as they
  // are once their checksum matches. A chunk HDF5 cannot size (never
  // written: a failed run without a message; or damaged) goes through the
  // filters instead, which gives its fill values or refuses it.
  void chunks_of(std::uint64_t run) {
    std::vector<hsize_t> offset(shape_.size(), 0);
    offset[0] = run;
    std::vector<std::uint8_t> stored;
    while (true) {
      hsize_t size = 0;
      if (H5Dget_chunk_storage_size(source_.get(), offset.data(), &size) < 0 || size == 0) {
        chunk_through_filters(offset);
      } else {
        stored.resize(size);
        std::uint32_t filter_mask = 0;
        if (H5Dread_chunk(source_.get(), H5P_DEFAULT, offset.data(), &filter_mask, stored.data()) < 0 ||
            !check_.stored_intact(stored, filter_mask))
          unreadable(path_,
                     fmt::format("'{}' of run {} is damaged (its checksum does not match)", name_, run));
        if (H5Dwrite_chunk(target_, H5P_DEFAULT, filter_mask, offset.data(), size, stored.data()) < 0)
          cannot_write("write while resuming", path_);
      }
      // The next chunk along the row, the last dimension fastest.
      std::size_t d = shape_.size() - 1;
      while (d > 0 && (offset[d] += chunk_[d]) >= shape_[d]) offset[d--] = 0;
      if (d == 0) return;
    }
  }

  // The chunk at `offset`, read and written through HDF5's filters.
  void chunk_through_filters(const std::vector<hsize_t>& offset) {
    std::vector<hsize_t> count(shape_.size());
    std::size_t values = 1;
    for (std::size_t d = 0; d < shape_.size(); ++d) {
      count[d] = std::min(chunk_[d], shape_[d] - offset[d]);
      values *= count[d];
    }
    std::vector<char> buffer(values * H5Tget_size(type_.get()));
    const Handle memory(H5Screate_simple(rank(), count.data(), nullptr), H5Sclose);
    const Handle source_space = selected(source_.get(), offset, count);
    const Handle target_space = selected(target_, offset, count);
    read(memory.get(), source_space.get(), buffer.data());
    write(memory.get(), target_space.get(), buffer.data());
  }

  // One run's row through HDF5's filters, for datasets stored differently.
  void row(std::uint64_t run) {
    std::vector<hsize_t> start(shape_.size(), 0), count = shape_;
    start[0] = run;
    count[0] = 1;
    std::vector<char> buffer(row_bytes_);
    const Handle memory(H5Screate_simple(rank(), count.data(), nullptr), H5Sclose);
    const Handle source_space = selected(source_.get(), start, count);
    const Handle target_space = selected(target_, start, count);
    read(memory.get(), source_space.get(), buffer.data());
    write(memory.get(), target_space.get(), buffer.data());
  }

  Handle source_;
  hid_t target_;
  std::string name_;
  std::filesystem::path path_;
  ChunkCheck check_;
  Handle type_;
  std::vector<hsize_t> shape_, chunk_;
  std::size_t row_bytes_ = 0;
};

}  // namespace

// What a resumed file holds at first: each run's identity (the plan) for
// every run; the ledger of the runs done or failed; the results of the runs
// done. Pending runs' rows are left unwritten, even where a killed sweep had
// written results its ledger never vouched for: they are computed again. So
// are runs whose stored results are damaged, which are returned.
std::vector<std::uint64_t> ResultsWriter::copy_rows_from(hid_t source_file,
                                                         const std::vector<RunStatus>& statuses) {
  auto damaged = damaged_runs(source_file, statuses);
  std::vector<std::uint64_t> done, failed, recorded;
  for (std::uint64_t run = 0; run < statuses.size(); ++run) {
    if (statuses[run] == RunStatus::pending || std::binary_search(damaged.begin(), damaged.end(), run))
      continue;
    (statuses[run] == RunStatus::done ? done : failed).push_back(run);
    recorded.push_back(run);
  }
  auto copy = [&](const Hdf5Handle& target, const std::string& name, const std::vector<std::uint64_t>* runs) {
    RowCopy rows(source_file, target.get(), name, path_);
    if (runs == nullptr) {
      rows.all();
    } else {
      rows.rows(*runs);
    }
  };
  copy(seed_, "seed", nullptr);
  copy(replicate_, "replicate", nullptr);
  copy(point_, "point", nullptr);
  for (std::size_t p = 0; p < parameter_datasets_.size(); ++p)
    copy(parameter_datasets_[p], sweep_->parameter_keys[p], nullptr);
  copy(status_, "status", &recorded);
  copy(error_, "error", &failed);
  copy(equilibrium_, "equilibrium_step", &done);
  for (std::size_t v = 0; v < org_datasets_.size(); ++v)
    copy(org_datasets_[v], organization_observables()[v].name, &done);
  for (std::size_t v = 0; v < department_datasets_.size(); ++v)
    copy(department_datasets_[v], department_observables()[v].name, &done);
  return damaged;
}

std::unique_ptr<ResultsWriter> resume_results(const std::filesystem::path& path, const ResultsHeader& header,
                                              std::vector<std::uint64_t>& pending,
                                              std::vector<std::uint64_t>* damaged) {
  std::error_code missing;
  if (!std::filesystem::is_regular_file(path, missing)) {
    throw OutputError(
        fmt::format("{}: no sweep file to resume (run the sweep without --resume)", path.string()));
  }
  std::string why;
  const auto source = open_for_reading(path, &why);
  if (!source.valid()) unreadable(path, why == "not a readable HDF5 file" ? why + " (corrupt?)" : why);
  const auto hash = read_text_attribute(source.get(), "scenario_hash");
  if (hash.empty()) unreadable(path, "not an orgsim results file (no scenario_hash)");
  if (hash != header.scenario_hash) {
    unreadable(path,
               fmt::format("it was written for another scenario (hash {}, this one is {}); resume with the "
                           "same scenario file and --set values",
                           hash, header.scenario_hash));
  }
  // Another build could compute the same runs differently: no mixing of engines in one file.
  const auto version = read_text_attribute(source.get(), "engine_version");
  if (version != header.engine_version) {
    unreadable(path, fmt::format("it was written by orgsim {}, this is orgsim {}; resume with the same build",
                                 version, header.engine_version));
  }
  const Handle status(H5Dopen2(source.get(), "status", H5P_DEFAULT), H5Dclose);
  if (!status.valid()) unreadable(path, "it has no ledger (status)");
  if (extent(status.get(), 0) != header.runs) unreadable(path, "its number of runs differs");
  std::vector<RunStatus> statuses(header.runs);
  static_assert(sizeof(RunStatus) == 1);
  if (header.runs > 0 &&
      H5Dread(status.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, statuses.data()) < 0) {
    unreadable(path, "its ledger cannot be read (corrupt?)");
  }
  pending.clear();
  for (std::uint64_t run = 0; run < header.runs; ++run) {
    if (statuses[run] > RunStatus::failed)
      unreadable(path, fmt::format("its ledger gives run {} an unknown status (corrupt?)", run));
    if (statuses[run] == RunStatus::pending) pending.push_back(run);
  }
  // Built aside: a failure here leaves the file as it was and removes FILE.partial.
  std::unique_ptr<ResultsWriter> writer;
  std::vector<std::uint64_t> recompute;
  try {
    writer = std::make_unique<ResultsWriter>(path, true, header, ResultsWriter::Mode::resuming);
    recompute = writer->copy_rows_from(source.get(), statuses);
  } catch (const OutputError& error) {
    writer.reset();
    const std::string message = error.what();
    if (message.find("cannot be resumed") != std::string::npos) throw;
    const auto prefix = path.string() + ": ";
    unreadable(path, message.starts_with(prefix) ? message.substr(prefix.size()) : message);
  }
  if (!recompute.empty()) {
    pending.insert(pending.end(), recompute.begin(), recompute.end());
    std::sort(pending.begin(), pending.end());
  }
  if (damaged != nullptr) *damaged = recompute;
  writer->take_place();
  return writer;
}

}  // namespace orgsim
