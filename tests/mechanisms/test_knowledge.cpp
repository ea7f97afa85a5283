// K (March 1991 with KPI pull): the rules one at a time, on hand-set states.
#include <fmt/core.h>
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>

#include "engine/simulation.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

struct Fixture {
  std::shared_ptr<const EngineConfig> config;
  Simulation simulation;
  KnowledgeMechanism knowledge;
  RandomStream stream{99, StreamId::knowledge};

  explicit Fixture(const std::vector<std::string>& overrides)
      : config(
            testing::config_from("[organization]\nnetwork = \"complete\"\n[language]\nenabled = false\n"
                                 "[purpose]\nenabled = false\n[[departments]]\nname = \"A\"\nheadcount = 39\n"
                                 "kpi_alignment = 0.5\n",
                                 overrides)),
        simulation(config, RunKey{1, 0, 0}),
        knowledge(*config, simulation.organization()) {}

  AgentState& agents() { return simulation.agents(); }
  SharedState& shared() { return const_cast<SharedState&>(simulation.shared()); }
};

}  // namespace

TEST_CASE("KPI targets agree with reality on exactly round(kappa m) dimensions", "[knowledge]") {
  Fixture fixture({"knowledge.dimensions=40", "departments.A.kpi_alignment=0.3"});
  const auto& shared = fixture.simulation.shared();
  const auto kpi = shared.kpi_of(0);
  int agreeing = 0;
  for (std::size_t j = 0; j < kpi.size(); ++j) agreeing += kpi[j] == shared.reality[j] ? 1 : 0;
  CHECK(agreeing == 12);
}

TEST_CASE("Socialization moves a belief one step toward the code and only where the code is set",
          "[knowledge]") {
  Fixture fixture({"knowledge.socialization_rate=1", "knowledge.code_learning_rate=0"});
  auto& agents = fixture.agents();
  auto& shared = fixture.shared();
  const std::uint32_t m = agents.dimensions;
  for (std::uint32_t j = 0; j < m; ++j) shared.code[j] = j % 3 == 0 ? 0 : (j % 3 == 1 ? 1 : -1);
  for (std::uint32_t i = 0; i < agents.agent_count; ++i) {
    for (std::uint32_t j = 0; j < m; ++j) agents.beliefs.set(i, j, static_cast<std::int8_t>((i + j) % 3) - 1);
  }
  const auto before = agents.beliefs;
  fixture.knowledge.step(agents, shared, fixture.stream);
  for (std::uint32_t i = 0; i < agents.agent_count; ++i) {
    for (std::uint32_t j = 0; j < m; ++j) {
      const int old_belief = before.get(i, j);
      const int code = shared.code[j];
      const int expected = code == 0 || old_belief == code ? old_belief : old_belief + code;
      CHECK(agents.beliefs.get(i, static_cast<std::uint32_t>(j)) == expected);
    }
  }
}

TEST_CASE("With p1 = 0 beliefs never change, with full KPI pull they follow the KPI", "[knowledge]") {
  {
    Fixture fixture({"knowledge.socialization_rate=0"});
    const auto before = fixture.agents().beliefs;
    for (int t = 0; t < 20; ++t) fixture.knowledge.step(fixture.agents(), fixture.shared(), fixture.stream);
    CHECK(fixture.agents().beliefs == before);
  }
  {
    // w = 1 and phi = 0 give pi = 1: the KPI is always the target.
    Fixture fixture({"knowledge.socialization_rate=1", "departments.A.incentive_weight=1",
                     "departments.A.purpose_baseline=0", "departments.A.purpose_spread=0"});
    auto& agents = fixture.agents();
    fixture.knowledge.step(agents, fixture.shared(), fixture.stream);
    fixture.knowledge.step(agents, fixture.shared(), fixture.stream);
    const auto kpi = fixture.simulation.shared().kpi_of(0);
    for (std::uint32_t i = 1; i < agents.agent_count; ++i) {
      for (std::uint32_t j = 0; j < agents.dimensions; ++j)
        CHECK(agents.beliefs.get(i, static_cast<std::uint32_t>(j)) == kpi[j]);
    }
  }
}

TEST_CASE("The KPI is the target with probability pi = w (1 - phi)", "[knowledge]") {
  for (const double purpose : {0.5, 0.2}) {
    // w = 1, fixed purpose phi (P off, no spread): pi = 1 - phi.
    Fixture fixture({"knowledge.socialization_rate=1", "knowledge.code_learning_rate=0",
                     "departments.A.incentive_weight=1",
                     fmt::format("departments.A.purpose_baseline={}", purpose),
                     "departments.A.purpose_spread=0"});
    auto& agents = fixture.agents();
    auto& shared = fixture.shared();
    const auto kpi = fixture.simulation.shared().kpi_of(0);
    for (std::uint32_t j = 0; j < agents.dimensions; ++j) shared.code[j] = static_cast<std::int8_t>(-kpi[j]);
    for (std::uint32_t i = 0; i < agents.agent_count; ++i) {
      for (std::uint32_t j = 0; j < agents.dimensions; ++j) agents.beliefs.set(i, j, 0);
    }
    fixture.knowledge.step(agents, shared, fixture.stream);
    double toward_kpi = 0, moved = 0;
    for (std::uint32_t i = 1; i < agents.agent_count; ++i) {  // the CEO has no KPI pull
      for (std::uint32_t j = 0; j < agents.dimensions; ++j) {
        toward_kpi += agents.beliefs.get(i, static_cast<std::uint32_t>(j)) == kpi[j] ? 1 : 0;
        moved += 1;
      }
    }
    // 39 x 30 = 1,170 trials: SE of the share <= 0.015; 4 SE.
    CHECK(toward_kpi / moved == Approx(1.0 - purpose).margin(0.06));
  }
}

TEST_CASE("The code hears only its sample: with one voice, |v_j| = 1 and the rate is p2", "[knowledge]") {
  for (const int sample : {1, 40}) {
    Fixture fixture({fmt::format("knowledge.code_sample_size={}", sample), "knowledge.code_learning_rate=0.5",
                     "knowledge.socialization_rate=0", "knowledge.dimensions=400"});
    auto& agents = fixture.agents();
    auto& shared = fixture.shared();
    for (std::uint32_t i = 0; i < agents.agent_count; ++i) {
      for (std::uint32_t j = 0; j < agents.dimensions; ++j) agents.beliefs.set(i, j, shared.reality[j]);
    }
    fixture.knowledge.step(agents, shared, fixture.stream);
    double learned = 0;
    for (std::uint32_t j = 0; j < agents.dimensions; ++j)
      learned += shared.code[j] == shared.reality[j] ? 1 : 0;
    // One voice: each dimension learns with p2 = 0.5 (SE 0.025 over 400); all 40: 1 - 0.5^40.
    CHECK(learned / agents.dimensions == Approx(sample == 1 ? 0.5 : 1.0).margin(0.1));
  }
}

TEST_CASE("Code learning adopts the superior group's majority, p2 = 0 keeps the code", "[knowledge]") {
  for (const double p2 : {0.0, 1.0}) {
    Fixture fixture({"knowledge.socialization_rate=0", fmt::format("knowledge.code_learning_rate={}", p2)});
    auto& agents = fixture.agents();
    auto& shared = fixture.shared();
    // Everyone believes reality exactly: all beat the blank code, and on each
    // dimension the majority is the true value.
    for (std::uint32_t i = 0; i < agents.agent_count; ++i) {
      for (std::uint32_t j = 0; j < agents.dimensions; ++j) agents.beliefs.set(i, j, shared.reality[j]);
    }
    fixture.knowledge.step(agents, shared, fixture.stream);
    for (std::uint32_t j = 0; j < agents.dimensions; ++j)
      CHECK(shared.code[j] == (p2 == 1.0 ? shared.reality[j] : 0));
    if (p2 == 1.0) CHECK(fixture.knowledge.at_equilibrium(agents, shared));
  }
}

TEST_CASE("Peer learning moves beliefs one step toward the superior colleagues' majority", "[knowledge]") {
  Fixture fixture(
      {"knowledge.socialization_rate=0", "knowledge.code_learning_rate=0", "knowledge.peer_learning_rate=1"});
  auto& agents = fixture.agents();
  auto& shared = fixture.shared();
  const std::uint32_t m = agents.dimensions;
  std::fill(shared.reality.begin(), shared.reality.end(), std::int8_t{1});
  // Ten agents know everything, ten know the first half, the rest nothing:
  // no zero beliefs, so action scores are knowledge and there are no coins.
  for (std::uint32_t i = 0; i < agents.agent_count; ++i) {
    for (std::uint32_t j = 0; j < m; ++j) {
      agents.beliefs.set(i, j, i < 10 || (i < 20 && j < m / 2) ? std::int8_t{1} : std::int8_t{-1});
    }
  }
  fixture.knowledge.step(agents, shared, fixture.stream);
  for (std::uint32_t i = 0; i < agents.agent_count; ++i) {
    for (std::uint32_t j = 0; j < m; ++j) {
      // The best have no superior colleague; the middle group's superiors all
      // believe +1; the rest see 20 superiors, a +1 majority on the first half
      // and a tie (no majority) on the second.
      const int expected = i < 10 ? 1 : i < 20 ? (j < m / 2 ? 1 : 0) : (j < m / 2 ? 0 : -1);
      CHECK(agents.beliefs.get(i, static_cast<std::uint32_t>(j)) == expected);
    }
  }
}

TEST_CASE("Turbulence p4 = 1 flips every dimension of reality each step", "[knowledge]") {
  Fixture fixture({"knowledge.turbulence_rate=1"});
  const auto before = fixture.simulation.shared().reality;
  fixture.knowledge.step(fixture.agents(), fixture.shared(), fixture.stream);
  for (std::size_t j = 0; j < before.size(); ++j) CHECK(fixture.simulation.shared().reality[j] == -before[j]);
  CHECK_FALSE(fixture.knowledge.equilibrium_is_absorbing());
}

TEST_CASE("Actions copy non-zero beliefs and flip fair coins for zeros", "[knowledge]") {
  // Actions are not stored: each score is sum_j a_ij r_j, the non-zero
  // beliefs' part known, the zero beliefs' part a sum of fair coins.
  Fixture fixture(
      {"knowledge.socialization_rate=0", "knowledge.code_learning_rate=0", "knowledge.dimensions=200"});
  auto& agents = fixture.agents();
  const auto before = agents.beliefs;
  fixture.knowledge.step(agents, fixture.shared(), fixture.stream);
  const auto& reality = fixture.simulation.shared().reality;
  std::int64_t zeros = 0, coin_total = 0;
  for (std::uint32_t i = 0; i < agents.agent_count; ++i) {
    std::int32_t known = 0, agent_zeros = 0;
    for (std::uint32_t j = 0; j < agents.dimensions; ++j) {
      const int belief = before.get(i, j);
      known += belief * reality[j];
      agent_zeros += belief == 0 ? 1 : 0;
    }
    const std::int32_t coins = agents.scores[i] - known;  // sum of the zeros' +-1 coins times r_j
    CHECK(std::abs(coins) <= agent_zeros);
    CHECK((coins + agent_zeros) % 2 == 0);
    zeros += agent_zeros;
    coin_total += coins;
  }
  // About 2,700 coins, each +-1: the total's SD is sqrt(2,700) ~ 52; 4 SD.
  CAPTURE(zeros, coin_total);
  CHECK(std::abs(static_cast<double>(coin_total)) < 4 * std::sqrt(static_cast<double>(zeros)));
}

TEST_CASE("The listened-to sample is drawn without replacement in a large organization", "[knowledge]") {
  // With a sample of 5 out of 40 and p2 = 1, the code follows the majority
  // of at most 5 voices: |v_j| <= 5 and the code still learns.
  Fixture fixture(
      {"knowledge.code_sample_size=5", "knowledge.code_learning_rate=1", "knowledge.socialization_rate=0"});
  auto& agents = fixture.agents();
  auto& shared = fixture.shared();
  for (std::uint32_t i = 0; i < agents.agent_count; ++i) {
    for (std::uint32_t j = 0; j < agents.dimensions; ++j) agents.beliefs.set(i, j, shared.reality[j]);
  }
  fixture.knowledge.step(agents, shared, fixture.stream);
  CHECK(shared.code == shared.reality);
}

TEST_CASE("Socialization's mask moves each dimension independently with probability p1 alpha",
          "[knowledge]") {
  // 20,000 masks of 30 lanes per probability: a lane's share has SE
  // sqrt(q(1-q)/20,000) <= 0.0036, and a pair of lanes both moving has SE
  // below 0.0035; both are checked within 4 SE.
  RandomStream stream(11, StreamId::knowledge);
  constexpr int kMasks = 20'000;
  constexpr std::uint64_t kLanes = (std::uint64_t{1} << 30U) - 1;
  for (const double q : {0.0, 0.013, 0.1, 0.3, 0.5, 0.77, 1.0}) {
    const auto threshold = static_cast<std::uint64_t>(q * 0x1.0p32);
    std::array<int, 30> moved{};
    int first_two = 0;
    for (int i = 0; i < kMasks; ++i) {
      const std::uint64_t mask = KnowledgeMechanism::moving_lanes(kLanes, threshold, stream);
      REQUIRE((mask & ~kLanes) == 0);
      for (std::size_t lane = 0; lane < moved.size(); ++lane)
        moved[lane] += static_cast<int>((mask >> lane) & 1U);
      first_two += (mask & 3U) == 3U ? 1 : 0;
    }
    const double se = std::sqrt(q * (1 - q) / kMasks);
    CAPTURE(q);
    for (const int count : moved)
      CHECK(count / static_cast<double>(kMasks) == Approx(q).margin(4 * se + 1e-12));
    const double both_se = std::sqrt(q * q * (1 - q * q) / kMasks);
    CHECK(first_two / static_cast<double>(kMasks) == Approx(q * q).margin(4 * both_se + 1e-12));
  }
}

}  // namespace orgsim
