// The ledger side of the results file read back: run statuses (orgsim
// status) and one stored run (orgsim rerun). Resuming is in resume.cpp.
#include <fmt/core.h>
#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "core/errors.hpp"
#include "engine/observables.hpp"
#include "results/integrity.hpp"
#include "results/json_list.hpp"
#include "results/reading.hpp"
#include "results/results_file.hpp"

namespace orgsim {

using Handle = Hdf5Handle;

Handle open_for_reading(const std::filesystem::path& path, std::string* why) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  std::error_code missing;
  if (!std::filesystem::exists(path, missing)) {
    if (why != nullptr) *why = "no such file";
    return {};
  }
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) file = Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) {
    if (why != nullptr) *why = truncation(path).value_or("not a readable HDF5 file");
    return file;
  }
  if (auto cut = truncation(file.get(), path)) {
    if (why != nullptr) *why = std::move(*cut);
    return {};
  }
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

LedgerCounts read_ledger(const std::filesystem::path& path) {
  std::string why;
  const auto file = open_for_reading(path, &why);
  if (!file.valid()) throw OutputError(fmt::format("{}: {}", path.string(), why));
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

std::vector<std::uint64_t> find_damaged_runs(const std::filesystem::path& path) {
  std::string why;
  const auto file = open_for_reading(path, &why);
  if (!file.valid()) throw OutputError(fmt::format("{}: {}", path.string(), why));
  const Handle status(H5Dopen2(file.get(), "status", H5P_DEFAULT), H5Dclose);
  if (!status.valid())
    throw OutputError(fmt::format("{}: not an orgsim results file with a ledger", path.string()));
  std::vector<RunStatus> statuses(extent(status.get(), 0));
  static_assert(sizeof(RunStatus) == 1);
  if (!statuses.empty() &&
      H5Dread(status.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, statuses.data()) < 0)
    throw OutputError(fmt::format("{}: the ledger cannot be read (corrupt?)", path.string()));
  return damaged_runs(file.get(), statuses);
}

namespace {

// A 1-D dataset of variable-length strings (the swept parameters' keys).
std::vector<std::string> read_names(hid_t file, const char* name, const std::filesystem::path& path) {
  const Handle dataset(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) throw OutputError(fmt::format("{}: dataset '{}' is missing", path.string(), name));
  const Handle stored_type(H5Dget_type(dataset.get()), H5Tclose);
  const Handle space(H5Dget_space(dataset.get()), H5Sclose);
  if (H5Tget_class(stored_type.get()) != H5T_STRING || H5Tis_variable_str(stored_type.get()) <= 0 ||
      H5Sget_simple_extent_ndims(space.get()) != 1)
    throw OutputError(fmt::format("{}: '{}' has an unexpected type or shape", path.string(), name));
  std::vector<char*> texts(extent(dataset.get(), 0), nullptr);
  if (texts.empty()) return {};
  const Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  if (H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()) < 0)
    throw OutputError(fmt::format("{}: '{}' cannot be read (corrupt?)", path.string(), name));
  std::vector<std::string> names;
  names.reserve(texts.size());
  for (const char* text : texts) names.emplace_back(text == nullptr ? "" : text);
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, texts.data());
  return names;
}

}  // namespace

StoredRun read_stored_run(const std::filesystem::path& path, std::uint64_t run) {
  std::string why;
  const auto file = open_for_reading(path, &why);
  if (!file.valid()) throw OutputError(fmt::format("{}: {}", path.string(), why));
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
  RunResult observed;
  if (steps > 0) observed.size_for(static_cast<std::uint32_t>(steps - 1), departments);
  for (std::size_t v = 0; v < organization_observables().size(); ++v) {
    read_row(organization_observables()[v].name, H5T_NATIVE_DOUBLE, row.data(), steps);
    for (std::size_t t = 0; t < steps; ++t) observed.organization_at(t, v) = row[t];
  }
  for (std::size_t v = 0; v < department_observables().size(); ++v) {
    read_row(department_observables()[v].name, H5T_NATIVE_DOUBLE, row.data(), steps * departments);
    for (std::size_t t = 0; t < steps; ++t) {
      for (std::size_t d = 0; d < departments; ++d)
        observed.department_at(t, d, v) = row[t * departments + d];
    }
  }
  stored.organization = std::move(observed.organization);
  stored.departments = std::move(observed.departments);
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
  } else if (!stored.design.empty()) {
    for (auto& key : read_names(file.get(), "parameter", path)) {
      double value = 0;
      read_row(key, H5T_NATIVE_DOUBLE, &value, 1);
      stored.swept.emplace_back(std::move(key), value);
    }
  }
  return stored;
}

}  // namespace orgsim
