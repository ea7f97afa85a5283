#include "output/results_file.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "scenario/errors.hpp"

namespace orgsim {
namespace {

// Level 1: observables compress about as well as at higher levels (5.04 vs
// 4.99 MB for a 300-run sweep) at less cost to the writer.
constexpr int kDeflateLevel = 1;
constexpr std::size_t kErrorLength = 256;  // fixed-length text: readable in crash-safe (SWMR) files
constexpr std::size_t kMaxChunkValues = std::size_t{1} << 22U;  // values per chunk at most

// What HDF5's shuffle and deflate filters make of a chunk of doubles: bytes
// regrouped by position within the value, then a zlib stream.
std::vector<std::uint8_t> compress_chunk(const double* values, std::size_t count) {
  constexpr std::size_t kWidth = sizeof(double);
  std::vector<std::uint8_t> shuffled(count * kWidth);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(values);
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t j = 0; j < kWidth; ++j) shuffled[j * count + i] = bytes[i * kWidth + j];
  }
  uLongf size = compressBound(static_cast<uLong>(shuffled.size()));
  std::vector<std::uint8_t> out(size);
  if (compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(shuffled.size()), kDeflateLevel) !=
      Z_OK)
    throw std::runtime_error("zlib could not compress a chunk");
  out.resize(size);
  return out;
}

// Throws OutputError naming the operation and the file when an HDF5 call fails.
hid_t check(hid_t id, const char* what, const std::filesystem::path& path) {
  if (id < 0)
    throw OutputError(fmt::format("{}: cannot {} (disk full or not writable?)", path.string(), what));
  return id;
}

void check_status(herr_t status, const char* what, const std::filesystem::path& path) {
  if (status < 0)
    throw OutputError(fmt::format("{}: cannot {} (disk full or not writable?)", path.string(), what));
}

// Fixed-length string attributes: netCDF reads them as text attributes.
void put_text(hid_t object, const char* name, const std::string& value, const std::filesystem::path& path) {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, std::max<std::size_t>(value.size(), 1));
  H5Tset_strpad(type, H5T_STR_NULLPAD);
  H5Tset_cset(type, H5T_CSET_UTF8);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attribute =
      check(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT), "write attribute", path);
  const std::string padded = value.empty() ? std::string(1, '\0') : value;
  check_status(H5Awrite(attribute, type, padded.data()), "write attribute", path);
  H5Aclose(attribute);
  H5Sclose(space);
  H5Tclose(type);
}

void describe(hid_t dataset, std::string_view description, std::string_view unit,
              const std::filesystem::path& path) {
  put_text(dataset, "long_name", std::string(description), path);
  put_text(dataset, "units", std::string(unit), path);
}

// A chunked, compressed dataset; chunks hold one run so that rows are written
// as runs finish (1-D per-run datasets: blocks of runs). Dimension scales are
// written once and stay contiguous. Doubles never written read as NaN, so a
// failed or pending run cannot pass for a run with zeros.
hid_t create_dataset(hid_t file, const std::string& name, hid_t type, const std::vector<hsize_t>& shape,
                     const std::filesystem::path& path, bool chunked = true) {
  const hid_t space = H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr);
  const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
  std::vector<hsize_t> chunk = shape;
  // Per-run columns in blocks of 512 runs: a commit rewrites only a few small chunks.
  chunk[0] = shape.size() == 1 ? std::min<hsize_t>(shape[0], 512) : 1;
  // One run per chunk; very long horizons are split along steps to stay
  // far below HDF5's 4 GiB chunk limit.
  if (chunk.size() > 1) {
    const hsize_t per_step = chunk.size() > 2 ? std::max<hsize_t>(chunk[2], 1) : 1;
    chunk[1] = std::max<hsize_t>(1, std::min(chunk[1], static_cast<hsize_t>(kMaxChunkValues) / per_step));
  }
  if (chunked && std::accumulate(shape.begin(), shape.end(), hsize_t{1}, std::multiplies<>()) > 0) {
    check_status(H5Pset_chunk(properties, static_cast<int>(chunk.size()), chunk.data()), "set chunking",
                 path);
    H5Pset_shuffle(properties);
    H5Pset_deflate(properties, kDeflateLevel);
  }
  if (H5Tequal(type, H5T_NATIVE_INT64) > 0) {
    const std::int64_t never = -1;  // a pending or failed run did not reach equilibrium
    H5Pset_fill_value(properties, H5T_NATIVE_INT64, &never);
  }
  if (H5Tequal(type, H5T_NATIVE_DOUBLE) > 0) {
    const double not_a_number = std::numeric_limits<double>::quiet_NaN();
    H5Pset_fill_value(properties, H5T_NATIVE_DOUBLE, &not_a_number);
  }
  const hid_t dataset =
      check(H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, properties, H5P_DEFAULT),
            "create dataset", path);
  H5Pclose(properties);
  H5Sclose(space);
  return dataset;
}

hid_t make_scale(hid_t file, const char* name, hid_t type, hsize_t size, const void* values,
                 std::string_view description, std::string_view unit, const std::filesystem::path& path) {
  const hid_t dataset = create_dataset(file, name, type, {size}, path, false);
  if (size > 0)
    check_status(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), "write scale", path);
  check_status(H5DSset_scale(dataset, name), "make dimension scale", path);
  describe(dataset, description, unit, path);
  return dataset;
}

void write_row(hid_t dataset, hid_t type, std::uint64_t run, const void* values,
               const std::filesystem::path& path) {
  const hid_t space = H5Dget_space(dataset);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, shape.data(), nullptr);
  std::vector<hsize_t> start(shape.size(), 0);
  std::vector<hsize_t> count = shape;
  start[0] = run;
  count[0] = 1;
  H5Sselect_hyperslab(space, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
  const hid_t memory = H5Screate_simple(rank, count.data(), nullptr);
  const herr_t status = H5Dwrite(dataset, type, memory, space, H5P_DEFAULT, values);
  H5Sclose(memory);
  H5Sclose(space);
  check_status(status, "write run", path);
}

// The design matrix [design_point, parameter], labelled by the parameters' keys.
void write_design(hid_t file, const SweepHeader& sweep, const std::filesystem::path& path) {
  const hsize_t points = sweep.points.size();
  const hsize_t parameters = sweep.parameter_keys.size();
  std::vector<std::uint64_t> point_index(points);
  std::iota(point_index.begin(), point_index.end(), std::uint64_t{0});
  std::vector<const char*> names;
  for (const auto& key : sweep.parameter_keys) names.push_back(key.c_str());
  const hid_t string_type = H5Tcopy(H5T_C_S1);
  H5Tset_size(string_type, H5T_VARIABLE);
  H5Tset_cset(string_type, H5T_CSET_UTF8);
  const hid_t point_scale = make_scale(file, "design_point", H5T_NATIVE_UINT64, points, point_index.data(),
                                       "Design point", "1", path);
  const hid_t parameter_scale = make_scale(file, "parameter", string_type, parameters, names.data(),
                                           "Swept parameter (dotted key)", "", path);
  H5Tclose(string_type);
  std::vector<double> matrix;
  for (const auto& point : sweep.points) matrix.insert(matrix.end(), point.begin(), point.end());
  const hid_t design = create_dataset(file, "design", H5T_NATIVE_DOUBLE, {points, parameters}, path);
  if (!matrix.empty())
    check_status(H5Dwrite(design, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, matrix.data()),
                 "write design", path);
  describe(design, "Parameter values of each design point", "", path);
  H5DSattach_scale(design, point_scale, 0);
  H5DSattach_scale(design, parameter_scale, 1);
  H5Dclose(design);
  H5Dclose(point_scale);
  H5Dclose(parameter_scale);
}

// Each run's scenario name (a compare file's point names), as characters
// along a dimension of their own like `error`: a netCDF char variable.
// Unlike `error_character`, the character dimension has no coordinate
// variable (netCDF marks such a dimension scale by its name), so that xarray
// joins the characters into one string per run: a coordinate of `run`.
// Written whole at creation.
void write_point_names(hid_t file, hid_t run_scale, const SweepHeader& sweep, hsize_t runs,
                       const std::filesystem::path& path) {
  std::size_t length = 1;
  for (const auto& name : sweep.point_names) length = std::max(length, name.size());
  const hid_t character_scale =
      create_dataset(file, "name_character", H5T_NATIVE_UINT16, {length}, path, false);
  check_status(H5DSset_scale(
                   character_scale,
                   fmt::format("This is a netCDF dimension but not a netCDF variable.{:10}", length).c_str()),
               "make dimension scale", path);
  std::vector<char> characters(runs * length, '\0');
  for (hsize_t run = 0; run < runs; ++run) {
    const auto& name = sweep.point_names.at(run / sweep.replicates);
    std::copy(name.begin(), name.end(), characters.begin() + static_cast<std::ptrdiff_t>(run * length));
  }
  const hid_t names = create_dataset(file, "scenario_name", H5T_C_S1, {runs, length}, path, false);
  if (runs > 0)
    check_status(H5Dwrite(names, H5T_C_S1, H5S_ALL, H5S_ALL, H5P_DEFAULT, characters.data()),
                 "write scenario names", path);
  describe(names, "Name of the run's scenario (orgsim compare: one scenario per point)", "", path);
  put_text(names, "_Encoding", "utf-8", path);
  H5DSattach_scale(names, run_scale, 0);
  H5DSattach_scale(names, character_scale, 1);
  H5Dclose(names);
  H5Dclose(character_scale);
}

}  // namespace

ResultsWriter::ResultsWriter(std::filesystem::path path, bool overwrite, const ResultsHeader& header,
                             Mode mode)
    : path_(std::move(path)),
      runs_(header.runs),
      steps_(header.steps),
      departments_(header.department_names.size()),
      mode_(mode),
      sweep_(header.sweep) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stack dumps
  std::error_code status_error;
  const auto status = std::filesystem::status(path_, status_error);
  if (status_error && status_error != std::errc::no_such_file_or_directory) {
    throw OutputError(
        fmt::format("{}: cannot inspect the output path: {}", path_.string(), status_error.message()));
  }
  if (std::filesystem::is_directory(status)) {
    throw OutputError(fmt::format("{}: output path is a directory", path_.string()));
  }
  if (std::filesystem::exists(status) && !overwrite) {
    throw OutputError(fmt::format("{}: output file exists (pass --force to overwrite it)", path_.string()));
  }
  temporary_ = path_;
  // A plain file is built under a name of its own process. A sweep's file is
  // prepared under one fixed name, which the next attempt truncates, so a
  // sweep killed while resuming leaves no trail of partial files.
  temporary_ += mode_ == Mode::plain ? fmt::format(".partial-{}", getpid()) : std::string(".partial");
  const hid_t access = H5Pcreate(H5P_FILE_ACCESS);
  // Plain files keep the widely readable 1.8 format; crash-safe writing needs the 1.10 format.
  if (mode_ == Mode::plain) {
    H5Pset_libver_bounds(access, H5F_LIBVER_V18, H5F_LIBVER_V18);
  } else {
    H5Pset_libver_bounds(access, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  }
  file_ = H5Fcreate(temporary_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access);
  H5Pclose(access);
  if (file_ < 0) {
    throw OutputError(fmt::format(
        "{}: cannot create the output file (does the directory exist and is it writable?)", path_.string()));
  }
  try {
    put_text(file_, "title", "orgsim results", path_);
    put_text(file_, "engine_version", header.engine_version, path_);
    put_text(file_, "scenario", header.scenario_text, path_);
    put_text(file_, "scenario_resolved", header.scenario_resolved, path_);
    put_text(file_, "scenario_hash", header.scenario_hash, path_);
    put_text(file_, "command_line", header.command_line, path_);
    put_text(file_, "created", header.created, path_);
    for (const auto& [name, value] : header.attributes) put_text(file_, name.c_str(), value, path_);

    std::vector<std::uint64_t> run_index(runs_);
    std::iota(run_index.begin(), run_index.end(), std::uint64_t{0});
    std::vector<std::int32_t> step_index(steps_ + 1);
    std::iota(step_index.begin(), step_index.end(), 0);
    std::vector<const char*> names;
    for (const auto& name : header.department_names) names.push_back(name.c_str());
    const hid_t string_type = H5Tcopy(H5T_C_S1);
    H5Tset_size(string_type, H5T_VARIABLE);
    H5Tset_cset(string_type, H5T_CSET_UTF8);
    const hid_t run_scale =
        make_scale(file_, "run", H5T_NATIVE_UINT64, runs_, run_index.data(), "Run index", "1", path_);
    const hid_t step_scale = make_scale(file_, "step", H5T_NATIVE_INT32, steps_ + 1, step_index.data(),
                                        "Step; step 0 is the state before the first step", "week", path_);
    const hid_t department_scale = make_scale(file_, "department", string_type, departments_, names.data(),
                                              "Department name", "", path_);
    H5Tclose(string_type);

    auto per_run = [&](const char* name, hid_t type, std::string_view description,
                       std::string_view unit = "1") {
      const hid_t dataset = create_dataset(file_, name, type, {runs_}, path_);
      describe(dataset, description, unit, path_);
      H5DSattach_scale(dataset, run_scale, 0);
      return dataset;
    };
    seed_ = per_run("seed", H5T_NATIVE_UINT64,
                    "Seed of the run's random streams, derived from the scenario seed, point and replicate");
    replicate_ = per_run("replicate", H5T_NATIVE_UINT64, "Replicate number within the run's point");
    point_ = per_run("point", H5T_NATIVE_UINT64, "Design point (0 for a single scenario)");
    equilibrium_ =
        per_run("equilibrium_step", H5T_NATIVE_INT64,
                "First step at March's knowledge equilibrium; -1 if not reached or not absorbing", "week");
    status_ = per_run("status", H5T_NATIVE_UINT8, "Run status: 0 pending, 1 done, 2 failed (the ledger)");
    put_text(status_, "flag_meanings", "pending done failed", path_);
    const std::uint8_t flag_values[] = {0, 1, 2};
    const hsize_t flag_count = 3;
    const hid_t flag_space = H5Screate_simple(1, &flag_count, nullptr);
    const hid_t flags =
        check(H5Acreate2(status_, "flag_values", H5T_NATIVE_UINT8, flag_space, H5P_DEFAULT, H5P_DEFAULT),
              "write attribute", path_);
    check_status(H5Awrite(flags, H5T_NATIVE_UINT8, flag_values), "write attribute", path_);
    H5Aclose(flags);
    H5Sclose(flag_space);
    // Characters along a dimension of their own: what netCDF calls a char
    // variable. error_character is a coordinate variable, so xarray keeps the
    // characters apart ([run, error_character]); h5py users join each row.
    std::vector<std::uint16_t> character_index(kErrorLength);
    std::iota(character_index.begin(), character_index.end(), std::uint16_t{0});
    const hid_t character_scale =
        make_scale(file_, "error_character", H5T_NATIVE_UINT16, kErrorLength, character_index.data(),
                   "Character of an error message", "1", path_);
    error_ = create_dataset(file_, "error", H5T_C_S1, {runs_, kErrorLength}, path_);
    describe(error_, "Error message of a failed run; empty otherwise", "", path_);
    put_text(error_, "_Encoding", "utf-8", path_);  // netCDF readers join the characters into text
    H5DSattach_scale(error_, run_scale, 0);
    H5DSattach_scale(error_, character_scale, 1);
    H5Dclose(character_scale);
    if (sweep_) {
      put_text(file_, "sweep_design", sweep_->design_name, path_);
      put_text(file_, "sweep_design_seed", std::to_string(sweep_->design_seed), path_);
      put_text(file_, "sweep_replicates", std::to_string(sweep_->replicates), path_);
      put_text(file_, "salib_problem", sweep_->salib_problem, path_);
      for (const auto& key : sweep_->parameter_keys) {
        parameter_datasets_.push_back(per_run(key.c_str(), H5T_NATIVE_DOUBLE,
                                              "Swept parameter: its value in the run's design point", ""));
      }
      write_design(file_, *sweep_, path_);
      if (!sweep_->point_names.empty()) write_point_names(file_, run_scale, *sweep_, runs_, path_);
      if (mode_ != Mode::resuming) write_plan();  // resuming copies it with everything else
    }

    for (const auto& spec : organization_observables()) {
      const hid_t dataset = create_dataset(file_, std::string(spec.name), H5T_NATIVE_DOUBLE,
                                           {runs_, hsize_t{steps_} + 1}, path_);
      describe(dataset, spec.description, spec.unit, path_);
      H5DSattach_scale(dataset, run_scale, 0);
      H5DSattach_scale(dataset, step_scale, 1);
      org_datasets_.push_back(dataset);
    }
    for (const auto& spec : department_observables()) {
      const hid_t dataset = create_dataset(file_, std::string(spec.name), H5T_NATIVE_DOUBLE,
                                           {runs_, hsize_t{steps_} + 1, departments_}, path_);
      describe(dataset, spec.description, spec.unit, path_);
      H5DSattach_scale(dataset, run_scale, 0);
      H5DSattach_scale(dataset, step_scale, 1);
      H5DSattach_scale(dataset, department_scale, 2);
      department_datasets_.push_back(dataset);
    }
    H5Dclose(run_scale);
    H5Dclose(step_scale);
    H5Dclose(department_scale);
    if (mode_ == Mode::crash_safe) take_place();
  } catch (...) {
    close();
    std::filesystem::remove(temporary_);
    throw;
  }
}

// Flushes HDF5's buffers and asks the kernel to put them on the disk, so
// that the ledger's order survives a machine crash, not only a killed process.
void ResultsWriter::sync() {
  check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flush", path_);
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file_, H5P_DEFAULT, &handle) >= 0 && handle != nullptr) {
    if (fsync(*static_cast<int*>(handle)) != 0)
      throw OutputError(fmt::format("{}: cannot sync to disk (disk full or failing?)", path_.string()));
  }
}

void ResultsWriter::take_place() {
  commit();
  check_status(H5Fstart_swmr_write(file_), "start crash-safe writing", path_);
  sync();
  std::error_code rename_error;
  std::filesystem::rename(temporary_, path_, rename_error);
  if (rename_error) {
    throw OutputError(
        fmt::format("{}: cannot move the file into place: {}", path_.string(), rename_error.message()));
  }
  // The rename itself reaches the disk with the directory.
  const auto directory = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  if (const int descriptor = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY); descriptor >= 0) {
    fsync(descriptor);
    ::close(descriptor);
  }
  temporary_ = path_;
  mode_ = Mode::crash_safe;
}

ResultsWriter::~ResultsWriter() {
  if (finished_) return;
  close();
  if (mode_ == Mode::crash_safe) return;  // in place and valid: --resume continues it
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void ResultsWriter::close() noexcept {
  for (auto* list : {&org_datasets_, &department_datasets_, &parameter_datasets_}) {
    for (const auto dataset : *list) H5Dclose(dataset);
    list->clear();
  }
  for (auto* dataset : {&seed_, &replicate_, &point_, &equilibrium_, &status_, &error_}) {
    if (*dataset >= 0) H5Dclose(*dataset);
    *dataset = -1;
  }
  if (file_ >= 0) H5Fclose(file_);
  file_ = -1;
}

// A sweep knows every run's identity before it starts: written once at
// creation, the columns are never rewritten (a crash-safe file never reuses
// the space of a rewritten chunk).
void ResultsWriter::write_plan() {
  std::vector<std::uint64_t> seeds(runs_), replicates(runs_), points(runs_);
  std::vector<std::vector<double>> values(parameter_datasets_.size(), std::vector<double>(runs_));
  for (std::uint64_t run = 0; run < runs_; ++run) {
    const RunKey key{sweep_->scenario_seed, run / sweep_->replicates, run % sweep_->replicates};
    seeds[run] = run_seed(sweep_->common_random_numbers ? RunKey{key.scenario_seed, 0, key.replicate} : key);
    replicates[run] = key.replicate;
    points[run] = key.point;
    for (std::size_t p = 0; p < values.size(); ++p) values[p][run] = sweep_->points.at(key.point)[p];
  }
  if (runs_ == 0) return;
  check_status(H5Dwrite(seed_, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, seeds.data()), "write plan",
               path_);
  check_status(H5Dwrite(replicate_, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, replicates.data()),
               "write plan", path_);
  check_status(H5Dwrite(point_, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, points.data()),
               "write plan", path_);
  for (std::size_t p = 0; p < values.size(); ++p) {
    check_status(
        H5Dwrite(parameter_datasets_[p], H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values[p].data()),
        "write plan", path_);
  }
}

void ResultsWriter::write_identity(std::uint64_t run, const RunKey& key, std::uint64_t seed) {
  if (sweep_) return;  // written with the plan
  write_row(seed_, H5T_NATIVE_UINT64, run, &seed, path_);
  write_row(replicate_, H5T_NATIVE_UINT64, run, &key.replicate, path_);
  write_row(point_, H5T_NATIVE_UINT64, run, &key.point, path_);
  if (sweep_) {
    const auto& values = sweep_->points.at(key.point);
    for (std::size_t p = 0; p < parameter_datasets_.size(); ++p)
      write_row(parameter_datasets_[p], H5T_NATIVE_DOUBLE, run, &values[p], path_);
  }
}

void ResultsWriter::write_failure(std::uint64_t run, const RunKey& key, std::uint64_t seed,
                                  const std::string& message) {
  write_identity(run, key, seed);
  uncommitted_.push_back({run, RunStatus::failed, message});
}

void ResultsWriter::commit() {
  if (file_ < 0) return;
  // Data first, durable, then the statuses that vouch for it.
  if (mode_ == Mode::crash_safe) sync();
  std::string text(kErrorLength, '\0');
  for (const auto& entry : uncommitted_) {
    const auto status = static_cast<std::uint8_t>(entry.status);
    write_row(status_, H5T_NATIVE_UINT8, entry.run, &status, path_);
    if (entry.error.empty()) continue;  // the fill value is an empty message
    std::fill(text.begin(), text.end(), '\0');
    // Cut on a character boundary: a UTF-8 continuation byte never starts the cut-off part.
    std::size_t length = std::min(entry.error.size(), kErrorLength - 1);
    while (length < entry.error.size() && length > 0 &&
           (static_cast<unsigned char>(entry.error[length]) & 0xC0U) == 0x80U)
      --length;
    std::copy_n(entry.error.begin(), length, text.begin());
    write_row(error_, H5T_C_S1, entry.run, text.data(), path_);
  }
  uncommitted_.clear();
  if (mode_ == Mode::crash_safe) sync();
}

// Each observable's row of one run, in the file's layout ([step] or
// [step][department]), handed to `use` with its dataset index (organization
// observables first).
void ResultsWriter::for_each_row(
    const RunResult& result, const std::function<void(std::size_t, const double*, std::size_t)>& use) const {
  const std::size_t steps = steps_ + 1;
  std::vector<double> column(steps * std::max<std::size_t>(departments_, 1));
  for (std::size_t v = 0; v < org_datasets_.size(); ++v) {
    for (std::size_t t = 0; t < steps; ++t) column[t] = result.organization[t * kOrgObservables + v];
    use(v, column.data(), steps);
  }
  for (std::size_t v = 0; v < department_datasets_.size(); ++v) {
    for (std::size_t t = 0; t < steps; ++t) {
      for (std::size_t d = 0; d < departments_; ++d) {
        column[t * departments_ + d] =
            result.departments[(t * departments_ + d) * kDepartmentObservables + v];
      }
    }
    use(org_datasets_.size() + v, column.data(), steps * departments_);
  }
}

hid_t ResultsWriter::observable_dataset(std::size_t index) const {
  return index < org_datasets_.size() ? org_datasets_[index]
                                      : department_datasets_[index - org_datasets_.size()];
}

std::vector<std::vector<std::uint8_t>> ResultsWriter::pack(const RunResult& result) const {
  std::vector<std::vector<std::uint8_t>> chunks;
  if ((steps_ + 1) * std::max<std::size_t>(departments_, 1) > kMaxChunkValues)
    return chunks;  // split horizon
  for_each_row(result, [&](std::size_t, const double* values, std::size_t count) {
    chunks.push_back(compress_chunk(values, count));
  });
  return chunks;
}

void ResultsWriter::write(const RunResult& result, const std::vector<std::vector<std::uint8_t>>& packed) {
  const std::uint64_t run = result.run;
  write_identity(run, result.key, result.seed);
  write_row(equilibrium_, H5T_NATIVE_INT64, run, &result.equilibrium_step, path_);
  if (!packed.empty()) {
    if (packed.size() != org_datasets_.size() + department_datasets_.size())
      throw std::logic_error("packed chunks do not match the datasets");
    const hsize_t offset[3] = {run, 0, 0};
    for (std::size_t i = 0; i < packed.size(); ++i) {
      check_status(
          H5Dwrite_chunk(observable_dataset(i), H5P_DEFAULT, 0, offset, packed[i].size(), packed[i].data()),
          "write run", path_);
    }
  } else {
    for_each_row(result, [&](std::size_t index, const double* values, std::size_t) {
      write_row(observable_dataset(index), H5T_NATIVE_DOUBLE, run, values, path_);
    });
  }
  uncommitted_.push_back({run, RunStatus::done, {}});
}

void ResultsWriter::finish() {
  commit();
  if (file_ >= 0) check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flush", path_);
  const hid_t file = file_;
  file_ = -1;
  close();  // datasets only: the file's own close is checked below
  check_status(H5Fclose(file), "close", path_);
  if (mode_ == Mode::crash_safe) {
    finished_ = true;
    return;
  }
  std::error_code rename_error;
  std::filesystem::rename(temporary_, path_, rename_error);
  if (rename_error) {
    throw OutputError(fmt::format("{}: cannot move the finished file into place: {}", path_.string(),
                                  rename_error.message()));
  }
  finished_ = true;
}

}  // namespace orgsim
