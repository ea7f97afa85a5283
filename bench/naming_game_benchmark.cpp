// Naming games per second on the default organization scaled to 10,000
// agents (small world, within_degree 8), with knowledge and purpose off. Two
// views: the language mechanism inside the engine's step (every agent speaks
// once, in a shuffled order, with the step's tallies), and bare play() calls
// between a random speaker and one of its ties, which is the game itself.
// Inventories start from the departments' jargon, as in a real scenario, or
// empty, as in the minimal naming game.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>

#include "engine/simulation.hpp"
#include "mechanisms/language.hpp"
#include "scaled_scenario.hpp"

namespace orgsim::bench {
namespace {

Mechanisms language_alone(bool jargon) {
  return Mechanisms{.knowledge = false, .purpose = false, .jargon = jargon, .turnover_rate = 0.0};
}

// Agents without ties sit a step out, so they play no game.
std::uint64_t speakers_with_ties(const Organization& organization) {
  std::uint64_t speakers = 0;
  for (std::uint32_t agent = 0; agent < organization.agent_count(); ++agent) {
    speakers += organization.network.neighbours(agent).empty() ? 0 : 1;
  }
  return speakers;
}

void report_games(benchmark::State& state, double games) {
  state.SetItemsProcessed(static_cast<std::int64_t>(games));
  state.counters["games_per_s"] = benchmark::Counter(games, benchmark::Counter::kIsRate);
}

// As in the engine benchmark, each repetition times whole runs of the
// scenario's horizon so that early steps (many words in flight) and late ones
// (collapsed inventories) weigh as in a run; the iteration counts are fixed.
void BM_NamingGameStep(benchmark::State& state, bool jargon) {
  const auto config = scaled_config(static_cast<std::uint32_t>(state.range(0)), language_alone(jargon));
  // Every run has the same organization, so its speakers with ties are counted once.
  const auto games_per_step = speakers_with_ties(Simulation(config, kBenchKey).organization());
  step_whole_horizons(state, config);
  report_games(state, static_cast<double>(state.iterations()) * static_cast<double>(games_per_step));
}

// One benchmark iteration is a batch of games, so the timer's own cost
// disappears; a fresh organization is started (untimed) after as many games
// as one run of the horizon plays.
void BM_NamingGamePlay(benchmark::State& state, bool jargon) {
  constexpr std::uint32_t kBatch = 10'000;
  const auto config = scaled_config(static_cast<std::uint32_t>(state.range(0)), language_alone(jargon));
  std::optional<Simulation> simulation;
  simulation.emplace(config, kBenchKey);
  std::optional<LanguageMechanism> language;
  language.emplace(*config, simulation->organization());
  const std::uint32_t n = simulation->organization().agent_count();
  const std::uint64_t games_per_run = std::uint64_t{n} * config->steps;
  RandomStream stream(run_seed(kBenchKey), StreamId::language);
  std::uint64_t games_this_run = 0, replicate = 0, games = 0, successes = 0;
  for (auto _ : state) {
    if (games_this_run >= games_per_run) {
      state.PauseTiming();
      language.reset();
      simulation.emplace(config, RunKey{kBenchKey.scenario_seed, 0, ++replicate});
      language.emplace(*config, simulation->organization());
      games_this_run = 0;
      state.ResumeTiming();
    }
    auto& words = simulation->agents().words;
    for (std::uint32_t game = 0; game < kBatch; ++game) {
      const std::uint32_t speaker = stream.below(n);
      const std::uint32_t hearer = language->partner(speaker, stream);
      if (hearer == speaker) continue;
      successes += LanguageMechanism::play(words, speaker, hearer, stream) ? 1 : 0;
      ++games;
    }
    games_this_run += kBatch;
  }
  report_games(state, static_cast<double>(games));
  state.counters["success_share"] =
      games > 0 ? static_cast<double>(successes) / static_cast<double>(games) : 0;
}

BENCHMARK_CAPTURE(BM_NamingGameStep, jargon, true)
    ->ArgName("agents")
    ->Arg(10'000)
    ->Iterations(6 * kHorizon)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_NamingGameStep, empty, false)
    ->ArgName("agents")
    ->Arg(10'000)
    ->Iterations(6 * kHorizon)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_NamingGamePlay, jargon, true)
    ->ArgName("agents")
    ->Arg(10'000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_NamingGamePlay, empty, false)
    ->ArgName("agents")
    ->Arg(10'000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace orgsim::bench
