// P (Friedkin-Johnsen): anchors, susceptibility, and the manager's weight.
#include <catch2/catch.hpp>

#include "engine/simulation.hpp"
#include "mechanisms/purpose.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {
const std::string kTwoDepartments =
    "[knowledge]\nenabled = false\n[language]\nenabled = false\n"
    "[[departments]]\nname = \"A\"\nheadcount = 30\npurpose_baseline = 0.2\npurpose_spread = 0.2\n"
    "incentive_weight = 0.25\n"
    "[[departments]]\nname = \"B\"\nheadcount = 30\npurpose_baseline = 0.9\npurpose_spread = 0.4\n";
}

TEST_CASE("Anchors are drawn within baseline +- spread/2, clipped to the unit interval", "[purpose]") {
  Simulation simulation(testing::config_from(kTwoDepartments), RunKey{1, 0, 0});
  const auto& org = simulation.organization();
  const auto& agents = simulation.agents();
  for (std::uint32_t agent = 1; agent < org.agent_count(); ++agent) {
    const double anchor = agents.purpose_anchor[agent];
    if (org.department[agent] == 0) {
      CHECK(anchor >= 0.1);
      CHECK(anchor <= 0.3);
    } else {
      CHECK(anchor >= 0.7);
      CHECK(anchor <= 1.0);
    }
    CHECK(agents.purpose[agent] == anchor);
  }
}

TEST_CASE("Susceptibility 0 keeps everyone at the anchor", "[purpose]") {
  const auto config = testing::config_from(kTwoDepartments, {"purpose.susceptibility=0"});
  Simulation simulation(config, RunKey{1, 0, 0});
  for (int t = 0; t < 10; ++t) simulation.step();
  CHECK(simulation.agents().purpose == simulation.agents().purpose_anchor);
}

TEST_CASE("Incentives lower susceptibility: lambda_i = lambda (1 - w_d)", "[purpose]") {
  const auto config = testing::config_from(kTwoDepartments);
  Simulation simulation(config, RunKey{1, 0, 0});
  const PurposeMechanism purpose(*config, simulation.organization());
  CHECK(purpose.susceptibility(simulation.shared(), 1) == Approx(0.8 * 0.75));
  CHECK(purpose.susceptibility(simulation.shared(), 31) == Approx(0.8));
}

TEST_CASE("The manager's weight scales with trust", "[purpose]") {
  const auto config = testing::config_from(kTwoDepartments, {"purpose.manager_weight=3"});
  Simulation simulation(config, RunKey{1, 0, 0});
  const auto& org = simulation.organization();
  const PurposeMechanism purpose(*config, org);
  auto& agents = simulation.agents();
  const std::uint32_t agent = 10;
  const std::uint32_t manager = org.manager[agent];
  for (const float trust : {1.0F, 0.5F, 0.0F}) {
    agents.trust[agent] = trust;
    double manager_weight = -1;
    int manager_visits = 0;
    purpose.for_each_weight(agents, agent, [&](std::uint32_t j, double weight) {
      if (j == manager) {
        manager_weight = weight;
        ++manager_visits;
      }
    });
    CHECK(manager_visits == 1);
    CHECK(manager_weight == Approx(3.0 * trust));
  }
}

TEST_CASE("Mixing pulls departments' purpose toward each other", "[purpose]") {
  const auto config = testing::config_from(kTwoDepartments, {"organization.cross_degree=4"});
  const auto result = Simulation(config, RunKey{1, 0, 0}).run();
  const auto at = [&](std::uint32_t step, std::size_t department) {
    return result.department_at(step, department, DepartmentObservable::purpose_mean);
  };
  const double gap_start = at(0, 1) - at(0, 0);
  const double gap_end = at(config->steps, 1) - at(config->steps, 0);
  CHECK(gap_start > 0.5);
  CHECK(gap_end < gap_start);
  CHECK(gap_end > 0);  // anchors keep the departments apart (lambda < 1)
}

}  // namespace orgsim
