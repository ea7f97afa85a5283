#include "results/results_file.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "core/errors.hpp"
#include "results/integrity.hpp"
#include "results/reading.hpp"

namespace orgsim {
namespace {

// Level 1: observables compress about as well as at higher levels (5.04 vs
// 4.99 MB for a 300-run sweep) at less cost to the writer.
constexpr int kDeflateLevel = 1;
constexpr std::size_t kErrorLength = 256;  // fixed-length text: readable in crash-safe (SWMR) files
constexpr std::size_t kMaxChunkValues = std::size_t{1} << 22U;  // values per chunk at most

// What HDF5's shuffle, deflate and fletcher32 filters make of a chunk of
// doubles: bytes regrouped by position within the value, a zlib stream, its
// checksum.
// The shuffle buffer is the thread's own and reused: a sweep packs every
// run's chunks on its worker threads.
std::vector<std::uint8_t> compress_chunk(const double* values, std::size_t count) {
  constexpr std::size_t kWidth = sizeof(double);
  thread_local std::vector<std::uint8_t> shuffled;
  if (shuffled.size() < count * kWidth) shuffled.resize(count * kWidth);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(values);
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t j = 0; j < kWidth; ++j) shuffled[j * count + i] = bytes[i * kWidth + j];
  }
  uLongf size = compressBound(static_cast<uLong>(count * kWidth));
  std::vector<std::uint8_t> out(size + 4);  // the checksum's room, so appending it does not reallocate
  if (compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(count * kWidth), kDeflateLevel) !=
      Z_OK)
    throw std::runtime_error("zlib could not compress a chunk");
  out.resize(size);
  append_fletcher32(out);
  return out;
}

// The system's error number behind HDF5's last failure: its file driver
// records it in the error stack ("errno = 28, error message = ...").
int hdf5_errno() {
  int found = 0;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned, const H5E_error2_t* error, void* data) -> herr_t {
        const char* at = error->desc == nullptr ? nullptr : std::strstr(error->desc, "errno = ");
        if (at == nullptr) return 0;
        *static_cast<int*>(data) = std::atoi(at + std::strlen("errno = "));
        return 1;
      },
      &found);
  return found;
}

// Why writing to `path` failed, in words a person can act on: the system's
// error when one is known (`error`, or else HDF5's record of it), a full file
// system when the directory has no space left, else `otherwise`.
std::string failure_cause(const std::filesystem::path& path, int error, const char* otherwise) {
  if (error == 0) error = hdf5_errno();
  if (error == ENOSPC) return "no space left on the device; free some space or write elsewhere";
  if (error == EDQUOT) return "disk quota exceeded; free some space or write elsewhere";
  if (error == EFBIG) return "the file would exceed the file size limit (File too large; ulimit -f?)";
  const auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  struct statvfs space {};
  if (statvfs(directory.c_str(), &space) == 0 && space.f_bavail == 0)
    return "no space left on the device; free some space or write elsewhere";
  if (error != 0) return fmt::format("{} ({})", std::strerror(error), otherwise);
  return otherwise;
}

}  // namespace

void check_output_path(const std::filesystem::path& path) {
  if (path.empty()) throw OutputError("the output path is empty (give -o FILE)");
  const auto shown = printable(path.string(), 4096);
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw OutputError(fmt::format("{}: output path is a directory", shown));
  }
  const auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const auto shown_directory = printable(directory.string(), 4096);
  const auto status = std::filesystem::status(directory, error);
  if (!std::filesystem::exists(status)) {
    throw OutputError(fmt::format("{}: cannot create the output file: the directory {} does not exist", shown,
                                  shown_directory));
  }
  if (!std::filesystem::is_directory(status)) {
    throw OutputError(
        fmt::format("{}: cannot create the output file: {} is not a directory", shown, shown_directory));
  }
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    throw OutputError(fmt::format("{}: cannot create the output file: the directory {} is not writable",
                                  shown, shown_directory));
  }
}

namespace {

[[noreturn]] void cannot(const char* what, const std::filesystem::path& path) {
  cannot_write(what, path);
}

// Takes ownership of `id`; throws OutputError naming the operation and the
// file when the HDF5 call that returned it failed.
Hdf5Handle checked(hid_t id, Hdf5Handle::Closer closer, const char* what, const std::filesystem::path& path) {
  Hdf5Handle handle(id, closer);
  if (!handle.valid()) cannot(what, path);
  return handle;
}

void check_status(herr_t status, const char* what, const std::filesystem::path& path) {
  if (status < 0) cannot(what, path);
}

// A variable-length UTF-8 string type, for dimension scales of names.
Hdf5Handle text_type(const std::filesystem::path& path) {
  auto type = checked(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type", path);
  check_status(H5Tset_size(type.get(), H5T_VARIABLE), "create a string type", path);
  check_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), "create a string type", path);
  return type;
}

// Fixed-length string attributes: netCDF reads them as text attributes.
void put_text(hid_t object, const char* name, const std::string& value, const std::filesystem::path& path) {
  const auto type = checked(H5Tcopy(H5T_C_S1), H5Tclose, "write attribute", path);
  H5Tset_size(type.get(), std::max<std::size_t>(value.size(), 1));
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  const auto space = checked(H5Screate(H5S_SCALAR), H5Sclose, "write attribute", path);
  const auto attribute = checked(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                 H5Aclose, "write attribute", path);
  const std::string padded = value.empty() ? std::string(1, '\0') : value;
  check_status(H5Awrite(attribute.get(), type.get(), padded.data()), "write attribute", path);
}

void describe(hid_t dataset, std::string_view description, std::string_view unit,
              const std::filesystem::path& path) {
  put_text(dataset, "long_name", std::string(description), path);
  put_text(dataset, "units", std::string(unit), path);
}

// An integer attribute of one value, as netCDF writes one: a netCDF int.
void put_int(hid_t object, const char* name, std::int32_t value, const std::filesystem::path& path) {
  const hsize_t one = 1;
  const auto space = checked(H5Screate_simple(1, &one, nullptr), H5Sclose, "write attribute", path);
  const auto attribute =
      checked(H5Acreate2(object, name, H5T_NATIVE_INT32, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "write attribute", path);
  check_status(H5Awrite(attribute.get(), H5T_NATIVE_INT32, &value), "write attribute", path);
}

void attach_scale(hid_t dataset, const Hdf5Handle& scale, unsigned dimension,
                  const std::filesystem::path& path) {
  check_status(H5DSattach_scale(dataset, scale.get(), dimension), "attach a dimension scale", path);
}

// How a dataset is stored. Results are chunked and compressed; chunks hold
// one run so that rows are written as runs finish (1-D per-run datasets:
// blocks of runs). Per-run columns that every commit rewrites (status,
// equilibrium_step) are chunked but not compressed: a chunk of fixed size is
// rewritten where it is, whereas a compressed chunk whose size changes moves,
// and the space it leaves is not reused in single-writer mode, so the file
// would grow with every commit; they carry no checksum either, so that a
// chunk torn by a crash while it is rewritten stays readable (its bytes are
// each old or new, and a status is checked to be one of the three). Compressed
// chunks end in a Fletcher-32 checksum. Dimension scales are written once and
// stay contiguous.
enum class Storage { compressed, rewritten, contiguous };

// Doubles never written read as NaN, so a failed or pending run cannot pass
// for a run with zeros.
Hdf5Handle create_dataset(hid_t file, const std::string& name, hid_t type, const std::vector<hsize_t>& shape,
                          const std::filesystem::path& path, Storage storage = Storage::compressed) {
  const auto space = checked(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                             H5Sclose, "create dataset", path);
  const auto properties = checked(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset", path);
  std::vector<hsize_t> chunk = shape;
  // Per-run columns in blocks of 512 runs: a commit rewrites only a few small chunks.
  chunk[0] = shape.size() == 1 ? std::min<hsize_t>(shape[0], 512) : 1;
  // One run per chunk; very long horizons are split along steps to stay
  // far below HDF5's 4 GiB chunk limit.
  if (chunk.size() > 1) {
    const hsize_t per_step = chunk.size() > 2 ? std::max<hsize_t>(chunk[2], 1) : 1;
    chunk[1] = std::max<hsize_t>(1, std::min(chunk[1], static_cast<hsize_t>(kMaxChunkValues) / per_step));
  }
  if (storage != Storage::contiguous &&
      std::accumulate(shape.begin(), shape.end(), hsize_t{1}, std::multiplies<>()) > 0) {
    check_status(H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()), "set chunking",
                 path);
    if (storage == Storage::compressed) {
      H5Pset_shuffle(properties.get());
      H5Pset_deflate(properties.get(), kDeflateLevel);
      // Last, so that it covers the bytes as stored: a damaged chunk fails
      // every read, and a raw copy (resume, merge) checks it without
      // decompressing (the order h5py and netCDF use).
      H5Pset_fletcher32(properties.get());
    }
  }
  if (H5Tequal(type, H5T_NATIVE_INT64) > 0) {
    const std::int64_t never = -1;  // a pending or failed run did not reach equilibrium
    H5Pset_fill_value(properties.get(), H5T_NATIVE_INT64, &never);
  }
  if (H5Tequal(type, H5T_NATIVE_DOUBLE) > 0) {
    const double not_a_number = std::numeric_limits<double>::quiet_NaN();
    H5Pset_fill_value(properties.get(), H5T_NATIVE_DOUBLE, &not_a_number);
  }
  return checked(
      H5Dcreate2(file, name.c_str(), type, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT), H5Dclose,
      "create dataset", path);
}

Hdf5Handle make_scale(hid_t file, const char* name, hid_t type, hsize_t size, const void* values,
                      std::string_view description, std::string_view unit,
                      const std::filesystem::path& path) {
  auto dataset = create_dataset(file, name, type, {size}, path, Storage::contiguous);
  if (size > 0)
    check_status(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values), "write scale", path);
  check_status(H5DSset_scale(dataset.get(), name), "make dimension scale", path);
  describe(dataset.get(), description, unit, path);
  return dataset;
}

void write_row(hid_t dataset, hid_t type, std::uint64_t run, const void* values,
               const std::filesystem::path& path) {
  const auto space = checked(H5Dget_space(dataset), H5Sclose, "write run", path);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr);
  std::vector<hsize_t> start(shape.size(), 0);
  std::vector<hsize_t> count = shape;
  start[0] = run;
  count[0] = 1;
  H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
  const auto memory = checked(H5Screate_simple(rank, count.data(), nullptr), H5Sclose, "write run", path);
  check_status(H5Dwrite(dataset, type, memory.get(), space.get(), H5P_DEFAULT, values), "write run", path);
}

// The design matrix [design_point, parameter], labelled by the parameters' keys.
void write_design(hid_t file, const SweepHeader& sweep, const std::filesystem::path& path) {
  const hsize_t points = sweep.points.size();
  const hsize_t parameters = sweep.parameter_keys.size();
  std::vector<std::uint64_t> point_index(points);
  std::iota(point_index.begin(), point_index.end(), std::uint64_t{0});
  std::vector<const char*> names;
  for (const auto& key : sweep.parameter_keys) names.push_back(key.c_str());
  const auto point_scale = make_scale(file, "design_point", H5T_NATIVE_UINT64, points, point_index.data(),
                                      "Design point", "1", path);
  const auto parameter_scale = make_scale(file, "parameter", text_type(path).get(), parameters, names.data(),
                                          "Swept parameter (dotted key)", "", path);
  std::vector<double> matrix;
  for (const auto& point : sweep.points) matrix.insert(matrix.end(), point.begin(), point.end());
  const auto design = create_dataset(file, "design", H5T_NATIVE_DOUBLE, {points, parameters}, path);
  if (!matrix.empty())
    check_status(H5Dwrite(design.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, matrix.data()),
                 "write design", path);
  describe(design.get(), "Parameter values of each design point", "", path);
  attach_scale(design.get(), point_scale, 0, path);
  attach_scale(design.get(), parameter_scale, 1, path);
}

// Each observable's values for one run in the file's order (step, then
// department): the row the dataset stores at [run].
void for_each_observable_row(const RunResult& result, std::uint32_t horizon, std::size_t departments,
                             const std::function<void(std::size_t, const double*, std::size_t)>& use) {
  const std::size_t steps = std::size_t{horizon} + 1;
  const std::size_t organization_count = RunResult::organization_stride();
  const std::size_t department_count = department_observables().size();
  const std::size_t department_stride = departments * department_count;
  thread_local std::vector<double> column;
  column.resize(steps * std::max<std::size_t>(departments, 1));
  for (std::size_t v = 0; v < organization_count; ++v) {
    const double* from = result.organization.data() + v;
    for (std::size_t t = 0; t < steps; ++t) column[t] = from[t * organization_count];
    use(v, column.data(), steps);
  }
  for (std::size_t v = 0; v < department_count; ++v) {
    const double* from = result.departments.data() + v;
    for (std::size_t t = 0; t < steps; ++t) {
      for (std::size_t d = 0; d < departments; ++d)
        column[t * departments + d] = from[t * department_stride + d * department_count];
    }
    use(organization_count + v, column.data(), steps * departments);
  }
}

// Each run's scenario name (a compare file's point names), as characters
// along a dimension of their own like `error`: a netCDF char variable.
// Unlike `error_character`, the character dimension has no coordinate
// variable (netCDF marks such a dimension scale by its name), so that xarray
// joins the characters into one string per run: a coordinate of `run`.
// Written whole at creation.
void write_point_names(hid_t file, const Hdf5Handle& run_scale, const SweepHeader& sweep, hsize_t runs,
                       const std::filesystem::path& path) {
  std::size_t length = 1;
  for (const auto& name : sweep.point_names) length = std::max(length, name.size());
  const auto character_scale =
      create_dataset(file, "name_character", H5T_NATIVE_UINT16, {length}, path, Storage::contiguous);
  check_status(H5DSset_scale(
                   character_scale.get(),
                   fmt::format("This is a netCDF dimension but not a netCDF variable.{:10}", length).c_str()),
               "make dimension scale", path);
  std::vector<char> characters(runs * length, '\0');
  for (hsize_t run = 0; run < runs; ++run) {
    const auto& name = sweep.point_names.at(run / sweep.replicates);
    std::copy(name.begin(), name.end(), characters.begin() + static_cast<std::ptrdiff_t>(run * length));
  }
  const auto names =
      create_dataset(file, "scenario_name", H5T_C_S1, {runs, length}, path, Storage::contiguous);
  if (runs > 0)
    check_status(H5Dwrite(names.get(), H5T_C_S1, H5S_ALL, H5S_ALL, H5P_DEFAULT, characters.data()),
                 "write scenario names", path);
  describe(names.get(), "Name of the run's scenario (orgsim compare: one scenario per point)", "", path);
  put_text(names.get(), "_Encoding", "utf-8", path);
  attach_scale(names.get(), run_scale, 0, path);
  attach_scale(names.get(), character_scale, 1, path);
}

}  // namespace

void cannot_write(const char* what, const std::filesystem::path& path) {
  throw OutputError(fmt::format("{}: cannot {}: {}", path.string(), what,
                                failure_cause(path, 0, "disk full or not writable?")));
}

ResultsWriter::ResultsWriter(std::filesystem::path path, bool overwrite, const ResultsHeader& header,
                             Mode mode)
    : path_(std::move(path)),
      runs_(header.runs),
      steps_(header.steps),
      departments_(header.department_names.size()),
      mode_(mode),
      sweep_(header.sweep) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stack dumps
  check_output_path(path_);
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
  {
    const auto access = checked(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create the output file", path_);
    // Plain files keep the widely readable 1.8 format; crash-safe writing needs the 1.10 format.
    if (mode_ == Mode::plain) {
      H5Pset_libver_bounds(access.get(), H5F_LIBVER_V18, H5F_LIBVER_V18);
    } else {
      H5Pset_libver_bounds(access.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    }
    file_ = Hdf5Handle(H5Fcreate(temporary_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), H5Fclose);
  }
  if (!file_.valid()) {
    const int error = hdf5_errno();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);  // HDF5 may have created it before its first write failed
    throw OutputError(
        fmt::format("{}: cannot create the output file: {}", path_.string(),
                    failure_cause(temporary_, error, "does the directory exist and is it writable?")));
  }
  try {
    create_layout(header);
    if (mode_ == Mode::crash_safe) take_place();
  } catch (...) {
    close();
    std::filesystem::remove(temporary_);
    throw;
  }
}

void ResultsWriter::create_layout(const ResultsHeader& header) {
  const hid_t file = file_.get();
  put_text(file, "title", "orgsim results", path_);
  put_text(file, "engine_version", header.engine_version, path_);
  put_text(file, "scenario", header.scenario_text, path_);
  put_text(file, "scenario_resolved", header.scenario_resolved, path_);
  put_text(file, "scenario_hash", header.scenario_hash, path_);
  put_text(file, "command_line", header.command_line, path_);
  put_text(file, "created", header.created, path_);
  for (const auto& [name, value] : header.attributes) put_text(file, name.c_str(), value, path_);

  std::vector<std::uint64_t> run_index(runs_);
  std::iota(run_index.begin(), run_index.end(), std::uint64_t{0});
  std::vector<std::int32_t> step_index(steps_ + 1);
  std::iota(step_index.begin(), step_index.end(), 0);
  std::vector<const char*> names;
  for (const auto& name : header.department_names) names.push_back(name.c_str());
  const auto run_scale =
      make_scale(file, "run", H5T_NATIVE_UINT64, runs_, run_index.data(), "Run index", "1", path_);
  const auto step_scale = make_scale(file, "step", H5T_NATIVE_INT32, steps_ + 1, step_index.data(),
                                     "Step; step 0 is the state before the first step", "week", path_);
  const auto department_scale = make_scale(file, "department", text_type(path_).get(), departments_,
                                           names.data(), "Department name", "", path_);

  auto per_run = [&](const char* name, hid_t type, std::string_view description, std::string_view unit = "1",
                     Storage storage = Storage::compressed) {
    auto dataset = create_dataset(file, name, type, {runs_}, path_, storage);
    describe(dataset.get(), description, unit, path_);
    attach_scale(dataset.get(), run_scale, 0, path_);
    return dataset;
  };
  seed_ = per_run("seed", H5T_NATIVE_UINT64,
                  "Seed of the run's random streams, derived from the scenario seed, point and replicate");
  replicate_ = per_run("replicate", H5T_NATIVE_UINT64, "Replicate number within the run's point");
  point_ = per_run("point", H5T_NATIVE_UINT64, "Design point (0 for a single scenario)");
  // Filled in run by run, so rewritten at every commit.
  equilibrium_ = per_run("equilibrium_step", H5T_NATIVE_INT64,
                         "First step at March's knowledge equilibrium; -1 if not reached or not absorbing",
                         "week", Storage::rewritten);
  status_ = per_run("status", H5T_NATIVE_UINT8, "Run status: 0 pending, 1 done, 2 failed (the ledger)", "1",
                    Storage::rewritten);
  put_text(status_.get(), "flag_meanings", "pending done failed", path_);
  const std::uint8_t flag_values[] = {0, 1, 2};
  const hsize_t flag_count = 3;
  const auto flag_space =
      checked(H5Screate_simple(1, &flag_count, nullptr), H5Sclose, "write attribute", path_);
  const auto flags = checked(
      H5Acreate2(status_.get(), "flag_values", H5T_NATIVE_UINT8, flag_space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose, "write attribute", path_);
  check_status(H5Awrite(flags.get(), H5T_NATIVE_UINT8, flag_values), "write attribute", path_);
  // Characters along a dimension of their own: what netCDF calls a char
  // variable. error_character is a coordinate variable, so xarray keeps the
  // characters apart ([run, error_character]); h5py users join each row.
  std::vector<std::uint16_t> character_index(kErrorLength);
  std::iota(character_index.begin(), character_index.end(), std::uint16_t{0});
  const auto character_scale =
      make_scale(file, "error_character", H5T_NATIVE_UINT16, kErrorLength, character_index.data(),
                 "Character of an error message", "1", path_);
  error_ = create_dataset(file, "error", H5T_C_S1, {runs_, kErrorLength}, path_);
  describe(error_.get(), "Error message of a failed run; empty otherwise", "", path_);
  put_text(error_.get(), "_Encoding", "utf-8", path_);  // netCDF readers join the characters into text
  attach_scale(error_.get(), run_scale, 0, path_);
  attach_scale(error_.get(), character_scale, 1, path_);
  if (sweep_) {
    put_text(file, "sweep_design", sweep_->design_name, path_);
    put_text(file, "sweep_design_seed", std::to_string(sweep_->design_seed), path_);
    put_text(file, "sweep_replicates", std::to_string(sweep_->replicates), path_);
    put_text(file, "salib_problem", sweep_->salib_problem, path_);
    if (!sweep_->shard.empty()) put_text(file, "shard", sweep_->shard, path_);
    for (const auto& key : sweep_->parameter_keys) {
      parameter_datasets_.push_back(per_run(key.c_str(), H5T_NATIVE_DOUBLE,
                                            "Swept parameter: its value in the run's design point", ""));
    }
    write_design(file, *sweep_, path_);
    if (!sweep_->point_names.empty()) write_point_names(file, run_scale, *sweep_, runs_, path_);
    if (mode_ != Mode::resuming) write_plan();  // resuming copies it with everything else
  }

  // key_outcome: the place among the key outcomes, 1 first, or 0; readers
  // (orgsim_analysis) take the key outcomes and their order from it.
  const auto organization = organization_observables();
  for (std::size_t v = 0; v < organization.size(); ++v) {
    const auto& spec = organization[v];
    auto dataset = create_dataset(file, spec.name, H5T_NATIVE_DOUBLE, {runs_, hsize_t{steps_} + 1}, path_);
    describe(dataset.get(), spec.description, spec.unit, path_);
    put_int(dataset.get(), "key_outcome", static_cast<std::int32_t>(key_outcome_place(v)), path_);
    attach_scale(dataset.get(), run_scale, 0, path_);
    attach_scale(dataset.get(), step_scale, 1, path_);
    org_datasets_.push_back(std::move(dataset));
  }
  for (const auto& spec : department_observables()) {
    auto dataset =
        create_dataset(file, spec.name, H5T_NATIVE_DOUBLE, {runs_, hsize_t{steps_} + 1, departments_}, path_);
    describe(dataset.get(), spec.description, spec.unit, path_);
    put_int(dataset.get(), "key_outcome", 0, path_);
    attach_scale(dataset.get(), run_scale, 0, path_);
    attach_scale(dataset.get(), step_scale, 1, path_);
    attach_scale(dataset.get(), department_scale, 2, path_);
    department_datasets_.push_back(std::move(dataset));
  }
}

// Flushes HDF5's buffers and asks the kernel to put them on the disk, so
// that the ledger's order survives a machine crash, not only a killed process.
void ResultsWriter::sync() {
  check_status(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flush", path_);
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file_.get(), H5P_DEFAULT, &handle) >= 0 && handle != nullptr) {
    if (fsync(*static_cast<int*>(handle)) != 0) {
      throw OutputError(fmt::format("{}: cannot sync to disk: {}", path_.string(),
                                    failure_cause(path_, errno, "disk full or failing?")));
    }
  }
}

void ResultsWriter::take_place() {
  commit();
  check_status(H5Fstart_swmr_write(file_.get()), "start crash-safe writing", path_);
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

namespace {
// Set once HDF5 failed to close one of the writer's identifiers (after a
// failed flush): release_hdf5() must then leave the library as it is.
std::atomic<bool> identifier_left_open{false};
}  // namespace

// Datasets before the file: a file whose datasets are open stays open. After
// a failed flush (a full disk) HDF5 1.10 cannot close the file: see
// disable_hdf5_exit_handler().
void ResultsWriter::close() noexcept {
  bool failed = false;
  for (auto* list : {&org_datasets_, &department_datasets_, &parameter_datasets_}) {
    for (auto& dataset : *list) failed = dataset.close() < 0 || failed;
    list->clear();
  }
  for (auto* dataset : {&seed_, &replicate_, &point_, &equilibrium_, &status_, &error_})
    failed = dataset->close() < 0 || failed;
  failed = file_.close() < 0 || failed;
  if (failed) identifier_left_open = true;
}

void disable_hdf5_exit_handler() {
  H5dont_atexit();
}

void release_hdf5() noexcept {
  if (!identifier_left_open) H5close();
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
  check_status(H5Dwrite(seed_.get(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, seeds.data()),
               "write plan", path_);
  check_status(
      H5Dwrite(replicate_.get(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, replicates.data()),
      "write plan", path_);
  check_status(H5Dwrite(point_.get(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, points.data()),
               "write plan", path_);
  for (std::size_t p = 0; p < values.size(); ++p) {
    check_status(H5Dwrite(parameter_datasets_[p].get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                          values[p].data()),
                 "write plan", path_);
  }
}

void ResultsWriter::write_identity(std::uint64_t run, const RunKey& key, std::uint64_t seed) {
  if (sweep_) return;  // written with the plan
  write_row(seed_.get(), H5T_NATIVE_UINT64, run, &seed, path_);
  write_row(replicate_.get(), H5T_NATIVE_UINT64, run, &key.replicate, path_);
  write_row(point_.get(), H5T_NATIVE_UINT64, run, &key.point, path_);
}

void ResultsWriter::write_failure(std::uint64_t run, const RunKey& key, std::uint64_t seed,
                                  const std::string& message) {
  write_identity(run, key, seed);
  uncommitted_.push_back({run, RunStatus::failed, message});
}

void ResultsWriter::commit() {
  if (!file_.valid()) return;
  // Data first, durable, then the statuses that vouch for it.
  if (mode_ == Mode::crash_safe) sync();
  std::string text(kErrorLength, '\0');
  for (const auto& entry : uncommitted_) {
    const auto status = static_cast<std::uint8_t>(entry.status);
    write_row(status_.get(), H5T_NATIVE_UINT8, entry.run, &status, path_);
    if (entry.error.empty()) continue;  // the fill value is an empty message
    std::fill(text.begin(), text.end(), '\0');
    // Cut on a character boundary: a UTF-8 continuation byte never starts the cut-off part.
    std::size_t length = std::min(entry.error.size(), kErrorLength - 1);
    while (length < entry.error.size() && length > 0 &&
           (static_cast<unsigned char>(entry.error[length]) & 0xC0U) == 0x80U)
      --length;
    std::copy_n(entry.error.begin(), length, text.begin());
    write_row(error_.get(), H5T_C_S1, entry.run, text.data(), path_);
  }
  uncommitted_.clear();
  if (mode_ == Mode::crash_safe) sync();
}

// Each observable's row of one run, in the file's layout ([step] or
// [step][department]), handed to `use` with its dataset index (organization
// observables first).
hid_t ResultsWriter::observable_dataset(std::size_t index) const {
  return index < org_datasets_.size() ? org_datasets_[index].get()
                                      : department_datasets_[index - org_datasets_.size()].get();
}

std::vector<std::vector<std::uint8_t>> pack_run(const RunResult& result, std::uint32_t steps,
                                                std::size_t departments) {
  std::vector<std::vector<std::uint8_t>> chunks;
  if ((std::size_t{steps} + 1) * std::max<std::size_t>(departments, 1) > kMaxChunkValues)
    return chunks;  // split horizon
  // A row equal to the one this thread packed last for the same variable
  // (a switched-off mechanism's NaN, a count that stays 0) reuses its chunk.
  struct Packed {
    std::vector<double> row;
    std::vector<std::uint8_t> chunk;
  };
  thread_local std::vector<Packed> last;
  for_each_observable_row(result, steps, departments,
                          [&](std::size_t index, const double* values, std::size_t count) {
                            if (last.size() <= index) last.resize(index + 1);
                            auto& previous = last[index];
                            if (previous.row.size() != count ||
                                std::memcmp(previous.row.data(), values, count * sizeof(double)) != 0) {
                              previous.row.assign(values, values + count);
                              previous.chunk = compress_chunk(values, count);
                            }
                            chunks.push_back(previous.chunk);
                          });
  return chunks;
}

void ResultsWriter::write(const RunResult& result, const std::vector<std::vector<std::uint8_t>>& packed) {
  const std::uint64_t run = result.run;
  write_identity(run, result.key, result.seed);
  write_row(equilibrium_.get(), H5T_NATIVE_INT64, run, &result.equilibrium_step, path_);
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
    for_each_observable_row(result, steps_, departments_,
                            [&](std::size_t index, const double* values, std::size_t) {
                              write_row(observable_dataset(index), H5T_NATIVE_DOUBLE, run, values, path_);
                            });
  }
  uncommitted_.push_back({run, RunStatus::done, {}});
}

void ResultsWriter::finish() {
  commit();
  if (file_.valid()) check_status(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flush", path_);
  Hdf5Handle file = std::move(file_);
  close();  // datasets only: the file's own close is checked below
  if (file.close() < 0) {
    identifier_left_open = true;
    cannot("close", path_);
  }
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
