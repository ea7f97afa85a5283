#pragma once
// What a sweep would cost, before it runs (orgsim sweep --dry-run): the wall
// time from one short timed run, and a bound on the results file's size from
// its uncompressed data. Writes nothing.
#include <cstdint>

#include "experiments/plan.hpp"
#include "model/config.hpp"

namespace orgsim::sweep {

struct DryRunEstimate {
  std::uint64_t steps = 0;              // the scenario's horizon
  std::uint64_t calibration_steps = 0;  // those the timed run took: the horizon, at most 20
  std::uint64_t workers = 0;            // runs at once: the threads, or the runs when fewer
  double seconds_per_run = 0;
  double wall_seconds = 0;
  double megabytes = 0;  // at most, uncompressed
};

// Times `scenario`'s run `key` over a short horizon (20 steps at most) and
// scales it to the horizon; `runs` such runs on `threads` at once. `config`:
// the scenario's.
DryRunEstimate estimate_runs(const Scenario& scenario, const RunKey& key, const EngineConfig& config,
                             std::uint32_t threads, std::uint64_t runs);

// Times point 0 of `plan` over a short horizon. `config`: point 0's; `runs`:
// those this process would do (a shard's, or all), on `threads` at once.
DryRunEstimate estimate_sweep(const SweepPlan& plan, const EngineConfig& config, std::uint32_t threads,
                              std::uint64_t runs);

}  // namespace orgsim::sweep
