#pragma once
// Runs many simulations on a pool of worker threads and hands each finished
// run to one consumer on the calling thread, which alone owns the results
// file. A run's results depend only on its key, never on which thread ran it
// or in which order runs finished.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/simulation.hpp"

namespace orgsim {

class ResultsWriter;

struct RunOutcome {
  RunResult result;  // result.run is always set; the rest only when the run succeeded
  bool failed = false;
  std::string error;                              // what the run threw, when it failed
  std::vector<std::vector<std::uint8_t>> packed;  // filled by RunQueue::prepare, if any
};

struct RunQueue {
  std::vector<std::uint64_t> runs;  // run numbers, handed out in this order
  // Instead of `runs`: called by the worker threads (so it must be
  // thread-safe) for the next run to do; it may block, and nullopt means no
  // more. An MPI worker rank is fed this way, as runs arrive from rank 0.
  std::function<std::optional<std::uint64_t>()> next_run;
  // Called once, from whichever thread, when a failure stops the queue: a
  // next_run that blocks must return nullopt from then on.
  std::function<void()> on_stop;
  std::function<RunResult(std::uint64_t run)> execute;
  // The message of the OutOfMemory that a run's std::bad_alloc becomes:
  // what the run was estimated to need and what is available.
  std::function<std::string(std::uint64_t run)> out_of_memory;
  // Runs on the worker after a successful run: work for the consumer done in
  // parallel (compressing the run's rows, for one).
  std::function<void(RunOutcome&)> prepare;
  std::uint32_t threads = 1;
  // Set (e.g. by a signal handler) to stop handing out runs; runs in flight finish.
  const std::atomic<bool>* stop_requested = nullptr;
  // Called on the consuming thread when no run has finished for idle_interval
  // (a sweep commits its ledger on time even while long runs are in flight).
  std::function<void()> on_idle;
  std::chrono::milliseconds idle_interval{250};
  // true: a run that throws is reported as failed and the others go on (sweeps);
  // false: the first failure stops the others and is rethrown (a single scenario).
  bool keep_going = false;
};

// Calls `consume` once per run, on the calling thread, in completion order.
// An exception from `consume` stops the others and is rethrown here; so does
// a run that runs out of memory, as OutOfMemory, whether or not keep_going.
void run_queue(const RunQueue& queue, const std::function<void(RunOutcome&&)>& consume);

struct ReplicatePlan {
  std::shared_ptr<const EngineConfig> config;
  std::uint64_t scenario_seed = 1;
  std::uint64_t replicates = 1;
  std::uint32_t threads = 1;
  const std::atomic<bool>* stop_requested = nullptr;
  ResultsWriter* writer = nullptr;  // if given, each run is written here before `consume` sees it
  std::atomic<std::uint64_t>* steps_done = nullptr;  // if given, gains one per step of any run
};

// A scenario's replicates 0..n-1 at point 0.
void run_replicates(const ReplicatePlan& plan, const std::function<void(RunResult&&)>& consume);

}  // namespace orgsim
