#pragma once
// The results file (HDF5, readable by netCDF-4 tools): dimensions run, step
// and department as dimension scales; organization observables [run, step];
// department observables [run, step, department]; per-run seed, replicate and
// point; and the provenance of the file at the root. Only this writer touches
// the file. It writes to a temporary name beside the target and renames it
// into place on finish(), so a crash never leaves a half-written file under
// the final name.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/simulation.hpp"
#include "results/hdf5_handle.hpp"

namespace orgsim {

// What a sweep adds to the file: its design and the swept values per run.
struct SweepHeader {
  std::string design_name;
  std::uint64_t design_seed = 0;
  std::string salib_problem;                // JSON
  std::vector<std::string> parameter_keys;  // dotted keys, one dataset each along run
  std::vector<std::vector<double>> points;  // [point][parameter]
  std::uint64_t replicates = 1;             // run = point * replicates + replicate
  std::uint64_t scenario_seed = 0;          // with point and replicate, gives each run's seed
  std::string shard;                        // "I/N" when the file holds one shard's results
  // orgsim compare: replicate r of every point runs with point 0's seed
  // (common random numbers), and each point is a scenario with a name,
  // stored per run in `scenario_name` (run, name_character).
  bool common_random_numbers = false;
  std::vector<std::string> point_names;
};

enum class RunStatus : std::uint8_t { pending = 0, done = 1, failed = 2 };

struct ResultsHeader {
  std::string engine_version;
  std::string scenario_text;      // the file as given
  std::string scenario_resolved;  // every parameter after defaults and --set
  std::string scenario_hash;
  std::string command_line;
  std::string created;  // ISO 8601, UTC
  std::vector<std::string> department_names;
  std::uint64_t runs = 0;
  std::uint32_t steps = 0;
  std::optional<SweepHeader> sweep;
  std::vector<std::pair<std::string, std::string>> attributes;  // further root text attributes, by name
};

// Refuses (OutputError) a path no results file can be written to: empty, an
// existing directory, or in a directory that does not exist, is not a
// directory or cannot be written. The commands call it before any work, so a
// bad -o never costs a run; ResultsWriter calls it too.
void check_output_path(const std::filesystem::path& path);

class ResultsWriter {
 public:
  // Refuses (OutputError) an existing `path` unless `overwrite`, and a
  // directory it cannot write to, before any run starts.
  //
  // A plain writer builds the file under a temporary name and renames it on
  // finish(). A crash-safe writer (sweeps) puts the file in place at once
  // and keeps it valid on disk at every moment (HDF5 single-writer mode:
  // metadata reaches the disk in an order that never leaves a dangling
  // pointer), with each run's status, the ledger, committed only after its
  // data: a sweep killed at any point leaves a file that --resume can read.
  enum class Mode { plain, crash_safe, resuming };  // resuming: built aside, then take_place()
  ResultsWriter(std::filesystem::path path, bool overwrite, const ResultsHeader& header,
                Mode mode = Mode::plain);
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;
  ~ResultsWriter();

  // A finished run: its data now, its status "done" at the next commit().
  // `packed`, from pack_run(), is written as it is.
  void write(const RunResult& result, const std::vector<std::vector<std::uint8_t>>& packed = {});
  // A run that threw: its identity now, status "failed" and the message at the next commit().
  void write_failure(std::uint64_t run, const RunKey& key, std::uint64_t seed, const std::string& message);
  // Makes everything written so far durable, then records the statuses.
  void commit();
  // Commits, closes the file and (plain writer) moves it to its final name.
  void finish();

  const std::filesystem::path& temporary_path() const noexcept { return temporary_; }
  std::uint64_t runs() const noexcept { return runs_; }

  // Used by resume and merge: copies from an open file with the same layout
  // every run's identity, the ledger of the runs done or failed and the
  // results of the runs done, given the file's `statuses`. Runs whose stored
  // results are damaged (integrity.hpp) are not copied: they stay pending
  // here and are returned, ascending. A damaged ledger, identity column or
  // file structure is refused (OutputError).
  std::vector<std::uint64_t> copy_rows_from(hid_t source_file, const std::vector<RunStatus>& statuses);
  // Switches a writer created for resuming into crash-safe mode and moves it over `path`.
  void take_place();

 private:
  void create_layout(const ResultsHeader& header);
  void close() noexcept;
  void write_identity(std::uint64_t run, const RunKey& key, std::uint64_t seed);
  void write_plan();
  hid_t observable_dataset(std::size_t index) const;
  void sync();

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  std::uint64_t runs_ = 0;
  std::uint32_t steps_ = 0;
  std::size_t departments_ = 0;
  Mode mode_ = Mode::plain;
  Hdf5Handle file_;
  std::vector<Hdf5Handle> org_datasets_, department_datasets_, parameter_datasets_;
  Hdf5Handle seed_, replicate_, point_, equilibrium_, status_, error_;
  std::optional<SweepHeader> sweep_;
  struct PendingStatus {
    std::uint64_t run;
    RunStatus status;
    std::string error;
  };
  std::vector<PendingStatus> uncommitted_;
  bool finished_ = false;
};

// Keeps HDF5 from closing, at exit, the files still open then. Called first
// in main, before any other HDF5 call. Once a flush has failed (a full disk),
// HDF5 1.10 cannot close the file: its metadata cache stays in a state in
// which every later flush fails, and the failed close leaves the file's
// identifier pointing at a file it has half destroyed, on which its exit
// handler crashes (SIGSEGV after the error was reported). orgsim closes
// every file it opens itself, and main ends with release_hdf5().
void disable_hdf5_exit_handler();
// What HDF5's exit handler would do (H5close: every identifier closed, the
// library's memory released), unless a writer's identifier could not be
// closed: then nothing, and the process ends with it open.
void release_hdf5() noexcept;

// A run's observables compressed as a results file of `steps` steps and
// `departments` departments stores them (one chunk per dataset: shuffle, then
// deflate), so that the threads or ranks that compute runs do the costly part
// in parallel and the writer stores the chunks as they are. Needs no file;
// thread-safe. Empty when a run spans several chunks.
std::vector<std::vector<std::uint8_t>> pack_run(const RunResult& result, std::uint32_t steps,
                                                std::size_t departments);

// Opens `path`, a sweep file killed or stopped before the end, checks that it
// was written for the same scenario and layout as `header`, and returns a
// crash-safe writer in its place holding everything it recorded; `pending`
// receives the runs still to do, ascending. Runs recorded done or failed
// whose stored results are damaged are run again: they are pending in the
// new file, in `pending`, and in `damaged` if given. A file from another
// scenario, one that is cut short, or one that cannot be read is refused
// (OutputError) and left as it is.
std::unique_ptr<ResultsWriter> resume_results(const std::filesystem::path& path, const ResultsHeader& header,
                                              std::vector<std::uint64_t>& pending,
                                              std::vector<std::uint64_t>* damaged = nullptr);

// Done, failed and pending counts of a results file (orgsim status).
struct LedgerCounts {
  std::uint64_t done = 0, failed = 0, pending = 0;
  std::string scenario_hash;
  std::vector<std::pair<std::uint64_t, std::string>> failures;  // run and message
};
LedgerCounts read_ledger(const std::filesystem::path& path);
// The runs the file records done or failed whose stored results are damaged
// (integrity.hpp), ascending; reads every such run's chunks. Throws
// OutputError for a file that cannot be read or is cut short.
std::vector<std::uint64_t> find_damaged_runs(const std::filesystem::path& path);

// One run as the file holds it, in RunResult's layout, with the scenario the
// file was written for and the run's identity and swept values as stored
// (orgsim rerun).
struct StoredRun {
  std::string scenario_resolved;  // of the run's own scenario (a compare file holds one per point)
  std::string design;             // the sweep's design ("compare" for orgsim compare); empty for orgsim run
  RunStatus status = RunStatus::pending;
  std::uint64_t seed = 0, point = 0, replicate = 0;
  std::vector<std::pair<std::string, double>> swept;  // sweeps: each swept key and the run's value
  std::vector<double> organization;                   // [step][organization observable]
  std::vector<double> departments;                    // [step][department][department observable]
};
StoredRun read_stored_run(const std::filesystem::path& path, std::uint64_t run);

}  // namespace orgsim
