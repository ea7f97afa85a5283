// Docking: the minimal naming game on the complete graph with empty initial
// inventories (Baronchelli, Felici, Loreto, Caglioti & Steels 2006). Time to
// global consensus, counted in games, grows as N^1.5.
#include <fmt/core.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "engine/simulation.hpp"
#include "mechanisms/language.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

struct Convergence {
  double games = 0;
  double peak_total_words = 0;
};

// Plays games between a uniformly drawn speaker and a uniformly drawn other
// agent until every agent holds one and the same word.
Convergence converge(std::uint32_t agent_count, std::uint64_t replicate) {
  const auto config = testing::config_from(
      "[organization]\nnetwork = \"complete\"\n[language]\ninitial_inventory = \"empty\"\n"
      "schedule = \"random_speakers\"\n[knowledge]\nenabled = false\n[purpose]\nenabled = false\n"
      "[[departments]]\nname = \"All\"\nheadcount = " +
      std::to_string(agent_count - 1) + "\n");
  Simulation simulation(config, RunKey{2006, 0, replicate});
  const LanguageMechanism language(*config, simulation.organization());
  RandomStream stream(run_seed({2006, 0, replicate}), StreamId::language);
  auto& words = simulation.agents().words;
  Convergence result;
  std::uint64_t games = 0;
  do {
    const std::uint32_t speaker = stream.below(agent_count);
    LanguageMechanism::play(words, speaker, language.partner(speaker, stream), stream);
    ++games;
    result.peak_total_words = std::max(result.peak_total_words, static_cast<double>(words.total_words()));
  } while (!(words.distinct_words() == 1 && words.total_words() == agent_count));
  result.games = static_cast<double>(games);
  return result;
}

// Least-squares slope of log(y) on log(x).
double log_log_slope(const std::vector<double>& x, const std::vector<double>& y) {
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += std::log(x[i]) / static_cast<double>(x.size());
    my += std::log(y[i]) / static_cast<double>(y.size());
  }
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (std::log(x[i]) - mx) * (std::log(y[i]) - my);
    sxx += (std::log(x[i]) - mx) * (std::log(x[i]) - mx);
  }
  return sxy / sxx;
}

}  // namespace

TEST_CASE("Naming game: convergence time grows as N^1.5 on the complete graph", "[docking][naming_game]") {
  const std::vector<std::uint32_t> sizes{1000, 2000, 4000, 8000, 16000};
  constexpr int kRuns = 30;
  std::vector<double> sizes_real, mean_games, mean_peak;
  double relative_se_max = 0;
  for (const auto n : sizes) {
    double sum = 0, squares = 0, peak = 0;
    for (int run = 0; run < kRuns; ++run) {
      const auto result = converge(n, static_cast<std::uint64_t>(run));
      sum += result.games;
      squares += result.games * result.games;
      peak += result.peak_total_words / kRuns;
    }
    const double mean = sum / kRuns;
    const double sd = std::sqrt((squares - kRuns * mean * mean) / (kRuns - 1));
    relative_se_max = std::max(relative_se_max, sd / mean / std::sqrt(static_cast<double>(kRuns)));
    sizes_real.push_back(n);
    mean_games.push_back(mean);
    mean_peak.push_back(peak);
    WARN(fmt::format("N={}: mean convergence {:.0f} games (sd {:.0f}), peak total words {:.0f}", n, mean, sd,
                     peak));
    CHECK(mean > 0);
  }
  const double exponent = log_log_slope(sizes_real, mean_games);
  const double peak_exponent = log_log_slope(sizes_real, mean_peak);
  // The slope's standard error from the per-size spread: a relative SE e of
  // each mean gives a log-SE e, and over log N spread sxx = sum (ln N - mean)^2
  // the slope SE is about e * sqrt(1/sxx) ~ 0.6 e; the +-0.1 target is wider
  // than 4 such SEs whenever e < 0.04, which the spread here satisfies.
  WARN(fmt::format("fitted exponent {:.3f}, peak-words exponent {:.3f}, max relative SE of a mean {:.3f}",
                   exponent, peak_exponent, relative_se_max));
  CHECK(relative_se_max < 0.04);
  CHECK(std::abs(exponent - 1.5) <= 0.1);
  // Unbounded inventories: the peak number of words also grows as N^1.5.
  CHECK(std::abs(peak_exponent - 1.5) <= 0.1);
}

}  // namespace orgsim
