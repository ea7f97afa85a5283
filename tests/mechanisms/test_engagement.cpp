// E (engagement, turnover, hiring): the target, March's turnover recovered
// exactly when the disengagement term is off, disengagement-driven leaving,
// and hiring policy.
#include <catch2/catch.hpp>
#include <cstring>

#include "engine/simulation.hpp"
#include "mechanisms/engagement.hpp"
#include "support/results.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

using testing::org_value;

const std::string kOrganization =
    "[scenario]\nsteps = 60\n[knowledge]\nturnover_rate = 0.02\n"
    "[[departments]]\nname = \"Sales\"\nheadcount = 80\nincentive_weight = 0.3\njargon = \"deal\"\n"
    "[[departments]]\nname = \"Care\"\nheadcount = 60\njargon = \"care\"\n";

double total(const RunResult& result, OrgObservable which, std::uint32_t steps) {
  double sum = 0;
  for (std::uint32_t t = 1; t <= steps; ++t) sum += org_value(result, t, which);
  return sum;
}

}  // namespace

TEST_CASE("Engagement target rises with purpose and trust, falls with workload", "[engagement]") {
  const auto config =
      testing::config_from(kOrganization, {"engagement.enabled=true", "engagement.baseline=0.6",
                                           "engagement.purpose_weight=0.4", "engagement.trust_weight=0.2",
                                           "engagement.workload=0.5", "engagement.workload_weight=0.4"});
  Simulation simulation(config, RunKey{1, 0, 0});
  auto& agents = simulation.agents();
  const EngagementMechanism engagement(*config, simulation.organization());
  agents.purpose[5] = 0.9;
  agents.trust[5] = 0.25F;
  CHECK(engagement.target(agents, simulation.shared(), 5) ==
        Approx(0.6 + 0.4 * 0.4 + 0.2 * -0.25 - 0.4 * 0.5));
  agents.purpose[5] = 0.0;
  agents.trust[5] = 0.0F;
  CHECK(engagement.target(agents, simulation.shared(), 5) == Approx(0.6 - 0.2 - 0.1 - 0.2));
}

TEST_CASE("With the disengagement term off, turnover is exactly March's p3", "[engagement]") {
  const auto march = Simulation(testing::config_from(kOrganization), RunKey{2, 0, 0}).run();
  const auto engaged =
      Simulation(testing::config_from(kOrganization,
                                      {"engagement.enabled=true", "engagement.disengagement_turnover=0"}),
                 RunKey{2, 0, 0})
          .run();
  for (std::uint32_t t = 0; t <= 60; ++t) {
    CHECK(org_value(engaged, t, OrgObservable::leavers) == org_value(march, t, OrgObservable::leavers));
    CHECK(org_value(engaged, t, OrgObservable::individual_knowledge) ==
          org_value(march, t, OrgObservable::individual_knowledge));
  }
}

TEST_CASE("Disengaged people leave more", "[engagement]") {
  const auto run = [](const std::string& workload) {
    return Simulation(
               testing::config_from(kOrganization, {"engagement.enabled=true", "knowledge.turnover_rate=0",
                                                    "engagement.disengagement_turnover=0.2",
                                                    "engagement.workload=" + workload}),
               RunKey{3, 0, 0})
        .run();
  };
  const auto calm = run("0");
  const auto pressed = run("1");
  CHECK(org_value(pressed, 60, OrgObservable::engagement_mean) <
        org_value(calm, 60, OrgObservable::engagement_mean));
  // Engagement near 0.6 vs 0.1: leaving rates ~0.08 vs ~0.18 a step over 141
  // agents and 60 steps, totals ~680 vs ~1,500 with Poisson sd < 40.
  CHECK(total(pressed, OrgObservable::leavers, 60) > 1.5 * total(calm, OrgObservable::leavers, 60));
}

TEST_CASE("Selective hiring brings beliefs that agree with the code", "[engagement]") {
  const auto config =
      testing::config_from(kOrganization, {"engagement.enabled=true", "engagement.hiring_selectivity=1",
                                           "knowledge.turnover_rate=1", "scenario.steps=1"});
  Simulation simulation(config, RunKey{4, 0, 0});
  auto shared = simulation.shared();
  for (std::size_t j = 0; j < shared.code.size(); ++j) shared.code[j] = j % 2 == 0 ? 1 : 0;
  const EngagementMechanism engagement(*config, simulation.organization());
  RandomStream stream(6, StreamId::turnover);
  auto& agents = simulation.agents();
  engagement.draw_hire_beliefs(agents, shared, 7, stream);
  for (std::size_t j = 0; j < shared.code.size(); j += 2)
    CHECK(agents.beliefs.get(7, static_cast<std::uint32_t>(j)) == 1);
}

TEST_CASE("New hires can bring a word from outside", "[engagement]") {
  Simulation simulation(
      testing::config_from(kOrganization, {"engagement.enabled=true", "engagement.newcomer_words=\"outside\"",
                                           "language.enabled=false"}),
      RunKey{5, 0, 0});
  CHECK(simulation.agents().words.distinct_words() == 2);
  const auto result = simulation.run();
  CHECK(simulation.agents().words.distinct_words() > 2);
  // Newcomers bring the words, so the observables record them although L is off.
  CHECK(org_value(result, 0, OrgObservable::distinct_words) == 2.0);
  CHECK(org_value(result, 60, OrgObservable::distinct_words) > 2.0);
}

}  // namespace orgsim
