#pragma once
// What a run or a sweep would cost, before it runs (orgsim run --dry-run,
// orgsim sweep --dry-run): the wall time and the peak memory from one short
// timed run of the real organization, and a bound on the results file's size
// from its uncompressed data. Writes nothing.
#include <cstdint>

#include "experiments/plan.hpp"
#include "model/config.hpp"

namespace orgsim::sweep {

struct DryRunEstimate {
  std::uint64_t steps = 0;              // the scenario's horizon
  std::uint64_t calibration_steps = 0;  // those the timed run took: see calibration_steps_for
  std::uint64_t workers = 0;            // runs at once: the threads, or the runs when fewer
  double build_seconds = 0;             // building the organization, once per run
  double seconds_per_run = 0;           // building and the whole horizon
  double wall_seconds = 0;
  std::uint64_t peak_bytes = 0;  // the process's resident set at its peak
  double megabytes = 0;          // at most, uncompressed
};

// Steps the timed run takes for `agents` agents over a horizon of `steps`:
// about two million agent-steps (a second or so), at least 3 and at most 20,
// and never more than the horizon.
std::uint64_t calibration_steps_for(std::uint64_t agents, std::uint64_t steps);

// Builds `scenario`'s run `key`, times the building and a short run
// (calibration_steps_for) and scales the stepping to the horizon; `runs` such
// runs on `threads` at once. The peak memory is this process's, measured
// after the short run, with the full horizon's observables and each further
// concurrent run added. `config`: the scenario's.
DryRunEstimate estimate_runs(const Scenario& scenario, const RunKey& key, const EngineConfig& config,
                             std::uint32_t threads, std::uint64_t runs);

// The same for point 0 of `plan`. `config`: point 0's; `runs`: those this
// process would do (a shard's, or all), on `threads` at once.
DryRunEstimate estimate_sweep(const SweepPlan& plan, const EngineConfig& config, std::uint32_t threads,
                              std::uint64_t runs);

}  // namespace orgsim::sweep
