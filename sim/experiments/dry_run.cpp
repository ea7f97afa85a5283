#include "experiments/dry_run.hpp"

#include <fmt/core.h>
#include <algorithm>
#include <chrono>
#include <memory>

#include "engine/observables.hpp"
#include "experiments/run_one.hpp"

namespace orgsim::sweep {

DryRunEstimate estimate_sweep(const SweepPlan& plan, const EngineConfig& config, std::uint32_t threads,
                              std::uint64_t runs) {
  return estimate_runs(plan.scenario_at(0), plan.key(0), config, threads, runs);
}

DryRunEstimate estimate_runs(const Scenario& scenario, const RunKey& key, const EngineConfig& config,
                             std::uint32_t threads, std::uint64_t runs) {
  DryRunEstimate estimate;
  const auto steps = static_cast<std::uint64_t>(scenario.integer("scenario.steps"));
  estimate.steps = steps;
  estimate.calibration_steps = std::min<std::uint64_t>(steps, 20);
  Scenario short_run = scenario;
  short_run.apply_override(fmt::format("scenario.steps={}", estimate.calibration_steps));
  const auto short_config = std::make_shared<const EngineConfig>(EngineConfig::from(short_run));
  const auto started = std::chrono::steady_clock::now();
  (void)run_one(short_config, key);
  const double calibration =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  estimate.seconds_per_run =
      calibration * static_cast<double>(steps) / static_cast<double>(estimate.calibration_steps);
  estimate.workers = std::min<std::uint64_t>(threads, runs);
  estimate.wall_seconds = estimate.seconds_per_run * static_cast<double>(runs) /
                          static_cast<double>(std::max<std::uint64_t>(estimate.workers, 1));
  // Every observable as a double at every step, and a few hundred bytes of
  // identity and ledger per run.
  const double values_per_run =
      static_cast<double>(steps + 1) *
      (static_cast<double>(organization_observables().size()) +
       static_cast<double>(department_observables().size() * config.department_count()));
  estimate.megabytes = static_cast<double>(runs) * (values_per_run * 8 + 300) / 1e6;
  return estimate;
}

}  // namespace orgsim::sweep
