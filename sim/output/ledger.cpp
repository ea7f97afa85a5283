// The ledger side of the results file: reading run statuses back, and
// resuming a sweep that stopped early by carrying everything it recorded into
// a fresh file that then takes the old one's place.
#include <fmt/core.h>
#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "engine/observables.hpp"
#include "output/json_list.hpp"
#include "output/results_file.hpp"
#include "scenario/errors.hpp"

namespace orgsim {
namespace {

// Closes an HDF5 handle when it goes out of scope.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  hid_t get() const noexcept { return id_; }
  bool valid() const noexcept { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// Opens a results file for reading, also one whose writer was killed: the
// single-writer read mode accepts a file still marked as being written.
hid_t open_for_reading(const std::filesystem::path& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, H5P_DEFAULT);
  if (file < 0) file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  return file;
}

std::string read_text_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return {};
  const Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
  const Handle type(H5Aget_type(attribute.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0) return {};
  std::string text(H5Tget_size(type.get()), '\0');
  if (H5Aread(attribute.get(), type.get(), text.data()) < 0) return {};
  text.resize(std::strlen(text.c_str()));
  return text;
}

std::uint64_t extent(hid_t dataset, int dimension) {
  const Handle space(H5Dget_space(dataset), H5Sclose);
  hsize_t dims[H5S_MAX_RANK] = {};
  if (H5Sget_simple_extent_ndims(space.get()) <= dimension) return 0;
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  return dims[dimension];
}

[[noreturn]] void unreadable(const std::filesystem::path& path, const std::string& why) {
  throw OutputError(fmt::format("{}: cannot be resumed: {}; nothing was changed", path.string(), why));
}

}  // namespace

void ResultsWriter::copy_rows_from(std::int64_t source_file) {
  std::vector<std::pair<hid_t, std::string>> datasets = {
      {seed_, "seed"},     {replicate_, "replicate"}, {point_, "point"}, {equilibrium_, "equilibrium_step"},
      {status_, "status"}, {error_, "error"}};
  for (std::size_t v = 0; v < org_datasets_.size(); ++v)
    datasets.emplace_back(org_datasets_[v], organization_observables()[v].name);
  for (std::size_t v = 0; v < department_datasets_.size(); ++v)
    datasets.emplace_back(department_datasets_[v], department_observables()[v].name);
  for (std::size_t p = 0; p < parameter_datasets_.size(); ++p)
    datasets.emplace_back(parameter_datasets_[p], sweep_->parameter_keys[p]);

  std::vector<char> buffer;
  for (const auto& [target, name] : datasets) {
    const Handle source(H5Dopen2(source_file, name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!source.valid()) unreadable(path_, fmt::format("dataset '{}' is missing", name));
    const Handle type(H5Dget_type(target), H5Tclose);
    const Handle target_space(H5Dget_space(target), H5Sclose);
    const Handle source_space(H5Dget_space(source.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(target_space.get());
    std::vector<hsize_t> shape(static_cast<std::size_t>(rank)), source_shape(shape.size());
    H5Sget_simple_extent_dims(target_space.get(), shape.data(), nullptr);
    if (H5Sget_simple_extent_ndims(source_space.get()) != rank)
      unreadable(path_, fmt::format("'{}' has another shape", name));
    H5Sget_simple_extent_dims(source_space.get(), source_shape.data(), nullptr);
    if (source_shape != shape) unreadable(path_, fmt::format("'{}' has another shape", name));
    // Blocks of whole runs, about 8 MB at a time, so memory stays bounded.
    std::size_t row_bytes = H5Tget_size(type.get());
    for (std::size_t d = 1; d < shape.size(); ++d) row_bytes *= shape[d];
    const hsize_t block = std::max<hsize_t>(1, (8U << 20U) / std::max<std::size_t>(row_bytes, 1));
    for (hsize_t first = 0; first < shape[0]; first += block) {
      std::vector<hsize_t> start(shape.size(), 0), count = shape;
      start[0] = first;
      count[0] = std::min(block, shape[0] - first);
      buffer.resize(count[0] * row_bytes);
      const Handle memory(H5Screate_simple(rank, count.data(), nullptr), H5Sclose);
      H5Sselect_hyperslab(source_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
      H5Sselect_hyperslab(target_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
      if (H5Dread(source.get(), type.get(), memory.get(), source_space.get(), H5P_DEFAULT, buffer.data()) < 0)
        unreadable(path_, fmt::format("'{}' cannot be read (corrupt?)", name));
      if (H5Dwrite(target, type.get(), memory.get(), target_space.get(), H5P_DEFAULT, buffer.data()) < 0)
        throw OutputError(fmt::format("{}: cannot write while resuming (disk full?)", temporary_.string()));
    }
  }
}

std::unique_ptr<ResultsWriter> resume_results(const std::filesystem::path& path, const ResultsHeader& header,
                                              std::vector<std::uint64_t>& pending) {
  std::error_code missing;
  if (!std::filesystem::is_regular_file(path, missing)) {
    throw OutputError(
        fmt::format("{}: no sweep file to resume (run the sweep without --resume)", path.string()));
  }
  const Handle source(open_for_reading(path), H5Fclose);
  if (!source.valid()) unreadable(path, "not a readable HDF5 file (corrupt?)");
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
  std::vector<std::uint8_t> statuses(header.runs);
  if (header.runs > 0 &&
      H5Dread(status.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, statuses.data()) < 0) {
    unreadable(path, "its ledger cannot be read (corrupt?)");
  }
  pending.clear();
  for (std::uint64_t run = 0; run < header.runs; ++run) {
    if (statuses[run] == static_cast<std::uint8_t>(RunStatus::pending)) pending.push_back(run);
  }
  auto writer = std::make_unique<ResultsWriter>(path, true, header, ResultsWriter::Mode::resuming);
  writer->copy_rows_from(source.get());
  writer->take_place();
  return writer;
}

LedgerCounts read_ledger(const std::filesystem::path& path) {
  const Handle file(open_for_reading(path), H5Fclose);
  if (!file.valid()) throw OutputError(fmt::format("{}: not a readable HDF5 file", path.string()));
  LedgerCounts counts;
  counts.scenario_hash = read_text_attribute(file.get(), "scenario_hash");
  const Handle status(H5Dopen2(file.get(), "status", H5P_DEFAULT), H5Dclose);
  const Handle error(H5Dopen2(file.get(), "error", H5P_DEFAULT), H5Dclose);
  if (counts.scenario_hash.empty() || !status.valid() || !error.valid()) {
    throw OutputError(fmt::format("{}: not an orgsim results file with a ledger", path.string()));
  }
  const auto runs = extent(status.get(), 0);
  std::vector<std::uint8_t> statuses(runs);
  const std::size_t length = extent(error.get(), 1);
  if (extent(error.get(), 0) != runs) {
    throw OutputError(fmt::format("{}: the ledger's status and error disagree (corrupt?)", path.string()));
  }
  std::vector<char> errors(runs * length);
  if (runs > 0 &&
      (H5Dread(status.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, statuses.data()) < 0 ||
       H5Dread(error.get(), H5T_C_S1, H5S_ALL, H5S_ALL, H5P_DEFAULT, errors.data()) < 0)) {
    throw OutputError(fmt::format("{}: the ledger cannot be read (corrupt?)", path.string()));
  }
  for (std::uint64_t run = 0; run < runs; ++run) {
    switch (static_cast<RunStatus>(statuses[run])) {
      case RunStatus::done:
        ++counts.done;
        break;
      case RunStatus::failed:
        ++counts.failed;
        counts.failures.emplace_back(
            run, std::string(errors.data() + run * length, strnlen(errors.data() + run * length, length)));
        break;
      default:
        ++counts.pending;
    }
  }
  return counts;
}

StoredRun read_stored_run(const std::filesystem::path& path, std::uint64_t run) {
  const Handle file(open_for_reading(path), H5Fclose);
  if (!file.valid()) throw OutputError(fmt::format("{}: not a readable HDF5 file", path.string()));
  StoredRun stored;
  stored.scenario_resolved = read_text_attribute(file.get(), "scenario_resolved");
  if (stored.scenario_resolved.empty()) {
    throw OutputError(fmt::format("{}: not an orgsim results file (no scenario_resolved)", path.string()));
  }
  // One row of a [run, ...] dataset, converted to `type`.
  // `capacity` values fit in `values`: a foreign file's shapes are checked before anything is read.
  auto read_row = [&](const std::string& name, hid_t type, void* values, std::size_t capacity) {
    const Handle dataset(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) throw OutputError(fmt::format("{}: dataset '{}' is missing", path.string(), name));
    const Handle space(H5Dget_space(dataset.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 1 || rank > 3)
      throw OutputError(fmt::format("{}: '{}' has an unexpected shape", path.string(), name));
    std::array<hsize_t, 3> shape{}, start{}, count{};
    H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr);
    std::size_t values_per_row = 1;
    for (int d = 1; d < rank; ++d) values_per_row *= shape[static_cast<std::size_t>(d)];
    if (values_per_row != capacity) {
      throw OutputError(fmt::format("{}: '{}' has an unexpected shape", path.string(), name));
    }
    if (run >= shape[0]) {
      throw OutputError(fmt::format("{}: has {} runs, there is no run {}", path.string(), shape[0], run));
    }
    start[0] = run;
    count = shape;
    count[0] = 1;
    H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
    const Handle memory(H5Screate_simple(rank, count.data(), nullptr), H5Sclose);
    if (H5Dread(dataset.get(), type, memory.get(), space.get(), H5P_DEFAULT, values) < 0)
      throw OutputError(fmt::format("{}: '{}' cannot be read (corrupt?)", path.string(), name));
  };
  stored.design = read_text_attribute(file.get(), "sweep_design");
  std::uint8_t status = 0;
  read_row("status", H5T_NATIVE_UINT8, &status, 1);
  stored.status = static_cast<RunStatus>(status);
  read_row("seed", H5T_NATIVE_UINT64, &stored.seed, 1);
  const Handle steps_scale(H5Dopen2(file.get(), "step", H5P_DEFAULT), H5Dclose);
  const Handle departments_scale(H5Dopen2(file.get(), "department", H5P_DEFAULT), H5Dclose);
  if (!steps_scale.valid() || !departments_scale.valid())
    throw OutputError(fmt::format("{}: not an orgsim results file", path.string()));
  const std::size_t steps = extent(steps_scale.get(), 0);
  const std::size_t departments = extent(departments_scale.get(), 0);
  std::vector<double> row(steps * std::max<std::size_t>(departments, 1));
  stored.organization.assign(steps * kOrgObservables, 0.0);
  for (std::size_t v = 0; v < kOrgObservables; ++v) {
    read_row(std::string(organization_observables()[v].name), H5T_NATIVE_DOUBLE, row.data(), steps);
    for (std::size_t t = 0; t < steps; ++t) stored.organization[t * kOrgObservables + v] = row[t];
  }
  stored.departments.assign(steps * departments * kDepartmentObservables, 0.0);
  for (std::size_t v = 0; v < kDepartmentObservables; ++v) {
    read_row(std::string(department_observables()[v].name), H5T_NATIVE_DOUBLE, row.data(),
             steps * departments);
    for (std::size_t t = 0; t < steps; ++t) {
      for (std::size_t d = 0; d < departments; ++d)
        stored.departments[(t * departments + d) * kDepartmentObservables + v] = row[t * departments + d];
    }
  }
  read_row("point", H5T_NATIVE_UINT64, &stored.point, 1);
  read_row("replicate", H5T_NATIVE_UINT64, &stored.replicate, 1);
  if (stored.design == "compare") {
    // One scenario per point: the run's own is the point's element of the list.
    std::vector<std::string> scenarios;
    try {
      scenarios = parse_json_string_list(stored.scenario_resolved);
    } catch (const std::invalid_argument& error) {
      throw OutputError(
          fmt::format("{}: scenario_resolved is not a list of scenarios ({})", path.string(), error.what()));
    }
    if (stored.point >= scenarios.size()) {
      throw OutputError(fmt::format("{}: run {} is of point {}, but the file lists {} scenario(s)",
                                    path.string(), run, stored.point, scenarios.size()));
    }
    stored.scenario_resolved = scenarios[stored.point];
  }
  return stored;
}

}  // namespace orgsim
