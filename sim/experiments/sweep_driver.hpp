#pragma once
// A sweep run into its results file. What is left of the sweep is handed out
// over threads or over MPI ranks, and each finished run is written and its
// status committed through the results writer as it arrives, so the file on
// disk is valid, and resumable, at every moment.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "experiments/distributed.hpp"
#include "experiments/plan.hpp"
#include "experiments/replicates.hpp"
#include "experiments/writer_lock.hpp"
#include "results/results_file.hpp"
#include "results/shards.hpp"

namespace orgsim::sweep {

// What every rank of a sweep knows: the plan and where its results go.
struct SweepSetup {
  SweepPlan plan;
  std::uint32_t threads = 1;  // per process: the pool, or each worker rank's
  std::string output;
  std::optional<Shard> shard;  // --shard I/N: only the runs I, I + N, I + 2N, ...
  std::uint32_t steps = 0;
  std::size_t departments = 0;
  // A test hook, read from the environment: the runs that ORGSIM_FAIL_RUNS
  // lists ("3,17") throw instead of running, so that tests can see failed
  // runs recorded, resumed and reported, on threads and on ranks alike.
  std::set<std::uint64_t> failing;

  // The runs this process's file holds: the shard's, or all.
  std::uint64_t runs() const;
};

// `plan` as validated for `threads` runs at once (SweepPlan::validate_points);
// the rest follows from it and from the environment.
SweepSetup sweep_setup(SweepPlan plan, std::uint32_t threads, std::string output, std::optional<Shard> shard);

// The results file a sweep writes, opened (or resumed) under its lock.
class SweepOutput {
 public:
  enum class Opening { create, overwrite, resume };
  // Refuses (OutputError, nothing changed) a file another sweep writes, an
  // existing file unless overwriting, and on resume a file of another
  // scenario or another shard.
  SweepOutput(const SweepSetup& setup, const std::string& command_line, Opening opening);

  ResultsWriter& writer() noexcept { return *writer_; }
  const std::vector<std::uint64_t>& runs() const noexcept { return runs_; }  // still to do
  const LedgerCounts& before() const noexcept { return before_; }  // what a resumed file already holds
  // Runs a resumed file recorded done or failed whose stored results were
  // damaged: not copied, pending, run again.
  const std::vector<std::uint64_t>& damaged() const noexcept { return damaged_; }
  // Commits and closes the file, then removes the lock file.
  void close();

 private:
  WriterLock lock_;
  std::unique_ptr<ResultsWriter> writer_;
  std::vector<std::uint64_t> runs_, damaged_;
  LedgerCounts before_;
};

// How the runs are handed out: run_queue() on this process's threads, or
// over_ranks() to the worker ranks of an MPI job (from rank 0).
using Executor = std::function<void(const RunQueue&, const std::function<void(RunOutcome&&)>&)>;
Executor over_ranks(const distributed::Session& session);

// A worker rank's part of the sweep: computes the runs rank 0 hands out.
void serve(const distributed::Session& session, const SweepSetup& setup);

struct SweepTally {
  std::uint64_t done = 0, failed = 0, pending = 0;  // of the runs this invocation had to do
  double seconds = 0;
  double writing_seconds = 0;  // of those, the writer's
  // CPU time of the thread that writes (and, across MPI ranks, also receives
  // the runs and shows progress); unlike writing_seconds, no waiting for a core.
  double writing_cpu_seconds = 0;
};

// Runs what is left of the sweep through `execute`, writes each run as it
// arrives and commits the statuses at least every 250 ms, then closes
// `output`. After each run, `progress` gets the file's done and failed
// counts, a resumed file's earlier ones included. Once *stop_requested, no
// run starts and the runs in flight finish.
SweepTally drive(const SweepSetup& setup, SweepOutput& output, const Executor& execute,
                 const std::atomic<bool>* stop_requested,
                 const std::function<void(std::uint64_t done, std::uint64_t failed)>& progress);

}  // namespace orgsim::sweep
