// Throughput of the engine's weekly step on the default organization scaled
// to 1k, 10k and 100k agents, with all mechanisms and with each alone (the
// breakdown says where a step's time goes).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>

#include "engine/simulation.hpp"
#include "scaled_scenario.hpp"

namespace orgsim::bench {
namespace {

void report_agent_steps(benchmark::State& state, const Simulation& simulation) {
  const auto agents = simulation.organization().agent_count();
  const auto agent_steps = static_cast<double>(state.iterations()) * agents;
  state.SetItemsProcessed(static_cast<std::int64_t>(agent_steps));
  state.counters["agent_steps_per_s"] = benchmark::Counter(agent_steps, benchmark::Counter::kIsRate);
  state.counters["ties_per_agent"] =
      static_cast<double>(simulation.organization().network.tie_count()) / agents;
}

// A step late in a run (settled beliefs, collapsed word inventories) costs
// less than an early one, so every repetition times whole runs of the
// scenario's horizon, steps 1 to 260 of each, and the figure is the mean step
// of a run. Starting the next run is not timed. The iteration counts below
// are therefore fixed (whole horizons, about half a second or more each) and
// --benchmark_min_time does not apply to this suite.
void BM_EngineStep(benchmark::State& state, Mechanisms mechanisms) {
  const auto config = scaled_config(static_cast<std::uint32_t>(state.range(0)), mechanisms);
  const auto simulation = step_whole_horizons(state, config);
  report_agent_steps(state, *simulation);
}

constexpr Mechanisms kAll{};
// All seven mechanisms: K, L, P and leadership, encounters, perception, engagement.
constexpr Mechanisms kSeven{.full_model = true};
constexpr Mechanisms kKnowledgeOnly{.language = false, .purpose = false};
constexpr Mechanisms kLanguageOnly{.knowledge = false, .purpose = false};
constexpr Mechanisms kPurposeOnly{.knowledge = false, .language = false};
// What is left: turnover and the bookkeeping every step does.
constexpr Mechanisms kNone{.knowledge = false, .language = false, .purpose = false};

constexpr benchmark::IterationCount horizons(benchmark::IterationCount runs) {
  return runs * kHorizon;
}

BENCHMARK_CAPTURE(BM_EngineStep, all_seven, kSeven)
    ->ArgName("agents")
    ->Arg(10'000)
    ->Iterations(horizons(2))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_EngineStep, KLP, kAll)
    ->ArgName("agents")
    ->Arg(1'000)
    ->Iterations(horizons(10))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_EngineStep, KLP, kAll)
    ->ArgName("agents")
    ->Arg(10'000)
    ->Iterations(horizons(1))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_EngineStep, KLP, kAll)
    ->ArgName("agents")
    ->Arg(100'000)
    ->Iterations(horizons(1))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_EngineStep, K, kKnowledgeOnly)
    ->ArgName("agents")
    ->Arg(10'000)
    ->Iterations(horizons(2))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_EngineStep, L, kLanguageOnly)
    ->ArgName("agents")
    ->Arg(10'000)
    ->Iterations(horizons(6))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_EngineStep, P, kPurposeOnly)
    ->ArgName("agents")
    ->Arg(10'000)
    ->Iterations(horizons(12))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_EngineStep, turnover_only, kNone)
    ->ArgName("agents")
    ->Arg(10'000)
    ->Iterations(horizons(100))
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace orgsim::bench
