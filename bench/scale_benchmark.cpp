// How the whole model's cost grows with the organization: the default
// organization (bench/scaled_scenario.hpp, all seven mechanisms) at one size
// per process, so that the peak resident set belongs to that size alone.
// bench/run-scale-benchmark runs it at each size and prints the table of
// docs/performance.md.
//
//   orgsim_scale_benchmark rate AGENTS STEPS RUNS [THREADS]
//     builds RUNS runs (replicates 0, 1, ...) one after the other and steps
//     each for its first STEPS weeks, on THREADS threads (default one);
//     only stepping is timed, in CPU and in wall-clock seconds. Every size
//     times the same weeks of a run, since an early week (beliefs still
//     moving, large word inventories) costs more than a late one; small
//     organizations repeat them over more replicates so that each size's
//     figure rests on a similar amount of work.
//   orgsim_scale_benchmark full AGENTS STEPS
//     builds one run and runs it for STEPS weeks as `orgsim run` does (every
//     week observed), timing building and running together.
//
// Times are CPU time of the process (CLOCK_PROCESS_CPUTIME_ID): on a shared
// machine wall time counts other tenants' work too. Output: one line of
// key=value pairs.
#include <fmt/core.h>
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/memory.hpp"
#include "engine/simulation.hpp"
#include "scaled_scenario.hpp"

namespace orgsim::bench {
namespace {

double wall_seconds() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

std::shared_ptr<const EngineConfig> organization(std::uint32_t agents, std::uint32_t steps) {
  auto scenario = Scenario::from_text(scaled_scenario_text(agents, {.full_model = true}), "bench.toml");
  scenario.apply_override(fmt::format("scenario.steps={}", steps));
  return std::make_shared<const EngineConfig>(EngineConfig::from(scenario));
}

void measure_rate(std::uint32_t agents, std::uint32_t steps, std::uint32_t runs, std::uint32_t threads) {
  const auto config = organization(agents, steps);
  double stepping = 0;
  double stepping_wall = 0;
  double building = 0;
  std::uint64_t ties = 0;
  for (std::uint32_t replicate = 0; replicate < runs; ++replicate) {
    const double build_started = cpu_seconds();
    auto simulation = std::make_unique<Simulation>(config, RunKey{kBenchKey.scenario_seed, 0, replicate});
    simulation->set_threads(threads);
    const double step_started = cpu_seconds();
    const double wall_started = wall_seconds();
    for (std::uint32_t t = 0; t < steps; ++t) simulation->step();
    stepping_wall += wall_seconds() - wall_started;
    stepping += cpu_seconds() - step_started;
    building += step_started - build_started;
    ties += simulation->organization().network.tie_count();
  }
  const double agent_steps = static_cast<double>(agents) * steps * runs;
  fmt::print(
      "agents={} steps={} runs={} threads={} ties_per_agent={:.3f} build_cpu_s={:.3f} step_cpu_s={:.3f} "
      "step_wall_s={:.3f} agent_steps_per_cpu_s={:.0f}\n",
      agents, steps, runs, threads, static_cast<double>(ties) / runs / agents, building / runs, stepping,
      stepping_wall, agent_steps / stepping);
}

void measure_full_run(std::uint32_t agents, std::uint32_t steps) {
  const auto config = organization(agents, steps);
  const double started = cpu_seconds();
  auto simulation = std::make_unique<Simulation>(config, kBenchKey);
  const double built = cpu_seconds();
  const auto result = simulation->run();
  const double finished = cpu_seconds();
  const auto ties = simulation->organization().network.tie_count();
  const auto peak = process_status_bytes("VmHWM:");
  // The budget allows 8 bytes per tie; what is left per agent is judged.
  const double per_agent_after_ties = (static_cast<double>(peak) - 8.0 * static_cast<double>(ties)) / agents;
  fmt::print(
      "agents={} steps={} ties_per_agent={:.3f} build_cpu_s={:.3f} run_cpu_s={:.3f} total_cpu_s={:.3f} "
      "agent_steps_per_cpu_s={:.0f} peak_rss_bytes={} bytes_per_agent_after_8_per_tie={:.1f} "
      "recorded_steps={}\n",
      agents, steps, static_cast<double>(ties) / agents, built - started, finished - built,
      finished - started, static_cast<double>(agents) * steps / (finished - built), peak,
      per_agent_after_ties, result.recorded_steps());
}

}  // namespace
}  // namespace orgsim::bench

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const auto argument = [&](int i) { return static_cast<std::uint32_t>(std::stoul(argv[i])); };
  if (mode == "rate" && (argc == 5 || argc == 6)) {
    orgsim::bench::measure_rate(argument(2), argument(3), argument(4), argc == 6 ? argument(5) : 1);
  } else if (mode == "full" && argc == 4) {
    orgsim::bench::measure_full_run(argument(2), argument(3));
  } else {
    std::fprintf(stderr,
                 "usage: orgsim_scale_benchmark rate AGENTS STEPS RUNS [THREADS]\n"
                 "       orgsim_scale_benchmark full AGENTS STEPS\n");
    return 2;
  }
  return 0;
}
