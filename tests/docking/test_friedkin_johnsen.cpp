// Docking: Friedkin & Johnsen (1990). With W and Lambda fixed, purpose
// converges to phi* = (I - Lambda W)^-1 (I - Lambda) phi0; with Lambda = I it
// is DeGroot consensus at pi^T phi0, pi the stationary distribution of W.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine/simulation.hpp"
#include "mechanisms/purpose.hpp"
#include "support/dense.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

constexpr const char* kSmallOrganization =
    "[organization]\nnetwork = \"small_world\"\nwithin_degree = 4\ncross_degree = 1\nspan_of_control = 3\n"
    "[knowledge]\nenabled = false\n[language]\nenabled = false\n"
    "[[departments]]\nname = \"A\"\nheadcount = 9\nincentive_weight = 0.5\npurpose_baseline = 0.3\n"
    "purpose_spread = 0.4\n"
    "[[departments]]\nname = \"B\"\nheadcount = 8\nincentive_weight = 0.1\npurpose_baseline = 0.7\n"
    "purpose_spread = 0.4\n"
    "[[departments]]\nname = \"C\"\nheadcount = 6\npurpose_baseline = 0.5\npurpose_spread = 0.6\n";

// W from the mechanism's own row weights, normalised; an independent dense copy.
testing::Matrix dense_influence(const PurposeMechanism& purpose, const AgentState& agents) {
  const std::uint32_t n = agents.agent_count;
  testing::Matrix w(n, std::vector<double>(n, 0.0));
  for (std::uint32_t i = 0; i < n; ++i) {
    double row = 0;
    purpose.for_each_weight(agents, i, [&](std::uint32_t j, double weight) {
      w[i][j] += weight;
      row += weight;
    });
    for (auto& entry : w[i]) entry /= row;
  }
  return w;
}

// Steps until the largest change is below 1e-14 and returns phi.
std::vector<double> iterate_to_fixed_point(Simulation& simulation, PurposeMechanism& purpose) {
  auto& agents = simulation.agents();
  for (int iteration = 0; iteration < 100000; ++iteration) {
    const auto before = agents.purpose;
    purpose.step(agents, simulation.shared());
    double change = 0;
    for (std::size_t i = 0; i < before.size(); ++i)
      change = std::max(change, std::abs(agents.purpose[i] - before[i]));
    if (change < 1e-14) return agents.purpose;
  }
  FAIL("purpose did not converge");
  return {};
}

}  // namespace

TEST_CASE("Friedkin-Johnsen: equilibrium equals the dense solve", "[docking][friedkin_johnsen]") {
  const auto config = testing::config_from(kSmallOrganization);
  Simulation simulation(config, RunKey{7, 0, 0});
  auto& agents = simulation.agents();
  const std::uint32_t n = agents.agent_count;
  // Distinct trust levels so the manager weights differ from the default.
  for (std::uint32_t i = 0; i < n; ++i) agents.trust[i] = 0.2F + 0.05F * static_cast<float>(i % 7);
  PurposeMechanism purpose(*config, simulation.organization());
  const auto w = dense_influence(purpose, agents);
  const auto anchors = agents.purpose_anchor;

  testing::Matrix system(n, std::vector<double>(n, 0.0));
  std::vector<double> rhs(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const double lambda = purpose.susceptibility(simulation.shared(), i);
    for (std::uint32_t j = 0; j < n; ++j) system[i][j] = (i == j ? 1.0 : 0.0) - lambda * w[i][j];
    rhs[i] = (1.0 - lambda) * anchors[i];
  }
  const auto expected = testing::solve(system, rhs);
  const auto simulated = iterate_to_fixed_point(simulation, purpose);
  double largest_difference = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    INFO("agent " << i);
    CHECK(std::abs(simulated[i] - expected[i]) <= 1e-9);
    largest_difference = std::max(largest_difference, std::abs(simulated[i] - expected[i]));
  }
  WARN("Friedkin-Johnsen: " << n << " agents, largest |simulated - dense solve| = " << largest_difference);
  // Incentives anchor: lambda_i = lambda (1 - w_d).
  CHECK(purpose.susceptibility(simulation.shared(), 1) == Approx(0.8 * 0.5));
}

TEST_CASE("Friedkin-Johnsen with Lambda = I is DeGroot consensus", "[docking][friedkin_johnsen]") {
  const auto config = testing::config_from(
      kSmallOrganization,
      {"purpose.susceptibility=1.0", "departments.A.incentive_weight=0", "departments.B.incentive_weight=0"});
  Simulation simulation(config, RunKey{7, 0, 1});
  auto& agents = simulation.agents();
  PurposeMechanism purpose(*config, simulation.organization());
  const auto w = dense_influence(purpose, agents);
  const auto anchors = agents.purpose_anchor;
  const std::uint32_t n = agents.agent_count;
  // Stationary distribution: pi = pi W by power iteration (W is primitive:
  // connected through reporting lines, with positive self weights).
  std::vector<double> pi(n, 1.0 / n);
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::vector<double> next(n, 0.0);
    for (std::uint32_t i = 0; i < n; ++i) {
      for (std::uint32_t j = 0; j < n; ++j) next[j] += pi[i] * w[i][j];
    }
    pi.swap(next);
  }
  double consensus = 0;
  for (std::uint32_t i = 0; i < n; ++i) consensus += pi[i] * anchors[i];
  const auto simulated = iterate_to_fixed_point(simulation, purpose);
  double largest_difference = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    CHECK(std::abs(simulated[i] - consensus) <= 1e-9);
    largest_difference = std::max(largest_difference, std::abs(simulated[i] - consensus));
  }
  WARN("DeGroot: consensus " << consensus << ", largest |phi_i - pi^T phi0| = " << largest_difference);
}

}  // namespace orgsim
