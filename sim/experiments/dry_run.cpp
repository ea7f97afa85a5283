#include "experiments/dry_run.hpp"

#include <fmt/core.h>
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "engine/memory.hpp"
#include "engine/observables.hpp"
#include "engine/simulation.hpp"
#include "experiments/run_one.hpp"

namespace orgsim::sweep {
namespace {

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// Every observable as a double at each of `steps` + 1 steps.
std::uint64_t observable_bytes(const EngineConfig& config, std::uint64_t steps) {
  return 8 * (steps + 1) *
         (organization_observables().size() + department_observables().size() * config.department_count());
}

// What a run process holds beyond a dry run's: the results file's library
// and its caches (measured: about 6 MiB, alike at 1,200 and 200,000 agents).
constexpr std::uint64_t kResultsWriterBytes = 6ULL << 20U;

}  // namespace

std::uint64_t calibration_steps_for(std::uint64_t agents, std::uint64_t steps) {
  // Enough steps to average over a second or so of stepping, whose cost
  // changes little from week to week; a large organization needs few, and
  // its building, timed apart, is not multiplied by the horizon.
  constexpr std::uint64_t kAgentSteps = 2'000'000;
  const std::uint64_t wanted = (kAgentSteps + agents - 1) / std::max<std::uint64_t>(agents, 1);
  return std::min(steps, std::clamp<std::uint64_t>(wanted, 3, 20));
}

DryRunEstimate estimate_sweep(const SweepPlan& plan, const EngineConfig& config, std::uint32_t threads,
                              std::uint64_t runs) {
  return estimate_runs(plan.scenario_at(0), plan.key(0), config, threads, runs);
}

DryRunEstimate estimate_runs(const Scenario& scenario, const RunKey& key, const EngineConfig& config,
                             std::uint32_t threads, std::uint64_t runs) {
  DryRunEstimate estimate;
  const auto steps = static_cast<std::uint64_t>(scenario.integer("scenario.steps"));
  estimate.steps = steps;
  estimate.calibration_steps = calibration_steps_for(config.organization.agent_count(), steps);
  Scenario short_run = scenario;
  short_run.apply_override(fmt::format("scenario.steps={}", estimate.calibration_steps));
  const auto short_config = std::make_shared<const EngineConfig>(EngineConfig::from(short_run));

  const std::uint64_t resident_before = process_status_bytes("VmRSS:");
  const auto started = std::chrono::steady_clock::now();
  double stepping = 0;
  {
    Simulation simulation(short_config, key);
    simulation.set_threads(threads_per_run(config.organization.agent_count(), runs, threads));
    const auto built = std::chrono::steady_clock::now();
    (void)simulation.run();
    const auto finished = std::chrono::steady_clock::now();
    estimate.build_seconds = seconds_between(started, built);
    stepping = seconds_between(built, finished);
  }
  const std::uint64_t peak = process_status_bytes("VmHWM:");
  estimate.seconds_per_run = estimate.build_seconds +
                             stepping * static_cast<double>(steps) /
                                 static_cast<double>(std::max<std::uint64_t>(estimate.calibration_steps, 1));
  estimate.workers = std::min<std::uint64_t>(threads, runs);
  estimate.wall_seconds = estimate.seconds_per_run * static_cast<double>(runs) /
                          static_cast<double>(std::max<std::uint64_t>(estimate.workers, 1));

  // The short run's peak stands for a run's (its state changes size little
  // after building); a real run also holds the results writer, the whole
  // horizon's observables, and each further worker another run.
  const std::uint64_t more_observables =
      observable_bytes(config, steps) - observable_bytes(config, estimate.calibration_steps);
  const std::uint64_t one_run = (peak > resident_before ? peak - resident_before : 0) + more_observables;
  estimate.peak_bytes = peak + kResultsWriterBytes + more_observables +
                        (std::max<std::uint64_t>(estimate.workers, 1) - 1) * one_run;

  // Every observable as a double at every step, and a few hundred bytes of
  // identity and ledger per run.
  estimate.megabytes =
      static_cast<double>(runs) * (static_cast<double>(observable_bytes(config, steps)) + 300) / 1e6;
  return estimate;
}

}  // namespace orgsim::sweep
