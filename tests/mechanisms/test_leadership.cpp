// A (leadership and earned authority): the trust target, authority that
// vanishes below the threshold and gates influence, and bottom-up learning.
#include <fmt/core.h>
#include <catch2/catch.hpp>

#include "engine/simulation.hpp"
#include "mechanisms/leadership.hpp"
#include "mechanisms/purpose.hpp"
#include "model/queries.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

const std::string kTwoStyles =
    "[scenario]\nsteps = 80\n[leadership]\nenabled = true\n"
    "[[departments]]\nname = \"Servant\"\nheadcount = 60\nleadership_style = 0.9\nleadership_spread = 0\n"
    "jargon = \"service\"\n"
    "[[departments]]\nname = \"Control\"\nheadcount = 60\nleadership_style = 0.1\nleadership_spread = 0\n"
    "jargon = \"output\"\n";

double department_value(const RunResult& result, std::uint32_t step, std::size_t department,
                        DepartmentObservable which) {
  return result.department_at(step, department, which);
}

}  // namespace

TEST_CASE("Trust target: compliance floor under control, full trust for a servant who shares the word",
          "[leadership]") {
  const auto config =
      testing::config_from(kTwoStyles, {"leadership.compliance_floor=0.2", "leadership.language_weight=0.3"});
  Simulation simulation(config, RunKey{1, 0, 0});
  auto& agents = simulation.agents();
  const auto& org = simulation.organization();
  const LeadershipMechanism leadership(*config, org);
  const std::uint32_t report = org.departments[0].first_agent + 20;
  const std::uint32_t manager = org.manager[report];
  agents.style[manager] = 0.0F;
  agents.words.clear(report);
  CHECK(leadership.trust_target(agents, report) == Approx(0.2));
  agents.style[manager] = 1.0F;
  agents.words.add(report, agents.words.words(manager)[0]);
  CHECK(leadership.trust_target(agents, report) == Approx(1.0));
  agents.style[manager] = 0.5F;
  CHECK(leadership.trust_target(agents, report) == Approx(0.2 + 0.8 * (0.7 * 0.5 + 0.3)));
}

TEST_CASE("Authority below the threshold vanishes and removes the manager's influence", "[leadership]") {
  const auto config = testing::config_from(kTwoStyles, {"leadership.authority_threshold=0.4"});
  Simulation simulation(config, RunKey{1, 0, 0});
  auto& agents = simulation.agents();
  const auto& org = simulation.organization();
  const LeadershipMechanism leadership(*config, org);
  const std::uint32_t head = org.departments[1].first_agent;
  const auto reports = org.direct_reports(head);
  REQUIRE(!reports.empty());
  for (const auto report : reports) agents.trust[report] = 0.3F;
  leadership.confer_authority(agents);
  const std::uint32_t report = reports[0];
  CHECK(agents.authority[report] == 0.0F);
  CHECK(mean_report_trust(org, agents, head) == Approx(0.3));
  // No weight in the purpose network...
  const PurposeMechanism purpose(*config, org);
  purpose.for_each_weight(agents, report, [&](std::uint32_t j, double weight) {
    if (j == head) CHECK(weight == 0.0);
  });
  // ...and no socialization: alpha = 0 leaves the report's beliefs alone.
  auto shared = simulation.shared();
  for (auto& c : shared.code) c = 1;
  const auto before = agents.beliefs.row(report);
  KnowledgeMechanism knowledge(*config, org);
  RandomStream stream(3, StreamId::knowledge);
  knowledge.step(agents, shared, stream);
  CHECK(before == agents.beliefs.row(report));
  // Above the threshold, authority is the reports' mean trust.
  for (const auto r : reports) agents.trust[r] = 0.8F;
  leadership.confer_authority(agents);
  CHECK(agents.authority[report] == Approx(0.8F));
}

TEST_CASE("Servant leaders learn from their reports; control leaders do not", "[leadership]") {
  for (const float style : {0.0F, 1.0F}) {
    const auto config = testing::config_from(kTwoStyles, {"leadership.bottom_up_rate=1"});
    Simulation simulation(config, RunKey{2, 0, 0});
    auto& agents = simulation.agents();
    const auto& org = simulation.organization();
    const LeadershipMechanism leadership(*config, org);
    const std::uint32_t head = org.departments[0].first_agent;
    for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) agents.style[agent] = style;
    // The head believes -1 everywhere, every report +1: each step moves one belief one step up.
    for (std::uint32_t j = 0; j < agents.dimensions; ++j) {
      agents.beliefs.set(head, j, -1);
      for (const auto report : org.direct_reports(head)) agents.beliefs.set(report, j, 1);
    }
    RandomStream stream(5, StreamId::leadership);
    for (int t = 0; t < 10; ++t) leadership.step(agents, stream);
    int moved = 0;
    for (const auto b : agents.beliefs.row(head)) moved += b + 1;
    CHECK(moved == (style > 0 ? 10 : 0));
  }
}

TEST_CASE("Executives who listen speed up code learning: p2 scaled by 0.5 + their mean style",
          "[leadership]") {
  for (const double style : {0.0, 1.0}) {
    const auto config = testing::config_from(
        kTwoStyles,
        {"leadership.ceo_style=" + std::to_string(style), "departments.Servant.leadership_spread=0",
         "departments.Servant.leadership_style=" + std::to_string(style),
         "departments.Control.leadership_style=" + std::to_string(style), "knowledge.code_sample_size=1",
         "knowledge.code_learning_rate=0.3", "knowledge.socialization_rate=0", "knowledge.dimensions=400"});
    Simulation simulation(config, RunKey{6, 0, 0});
    CHECK(simulation.shared().executive_listening == Approx(0.5 + style));
    auto& agents = simulation.agents();
    auto shared = simulation.shared();
    for (std::uint32_t i = 0; i < agents.agent_count; ++i) {
      for (std::uint32_t j = 0; j < agents.dimensions; ++j) agents.beliefs.set(i, j, shared.reality[j]);
    }
    KnowledgeMechanism knowledge(*config, simulation.organization());
    RandomStream stream(8, StreamId::knowledge);
    knowledge.step(agents, shared, stream);
    double learned = 0;
    for (std::uint32_t j = 0; j < agents.dimensions; ++j) learned += shared.code[j] != 0 ? 1 : 0;
    // One voice, |v_j| = 1: each dimension is learned with p2_eff = 0.3 x (0.5 + style),
    // 0.15 or 0.45; over 400 dimensions the SE is at most 0.025 (4 SE = 0.1).
    CHECK(learned / agents.dimensions == Approx(0.3 * (0.5 + style)).margin(0.1));
  }
}

TEST_CASE("Servant leadership builds trust and keeps authority; control loses it", "[leadership][pattern]") {
  const auto result =
      Simulation(testing::config_from(kTwoStyles, {"language.enabled=false"}), RunKey{3, 0, 0}).run();
  const double servant = department_value(result, 80, 0, DepartmentObservable::trust_mean);
  const double control = department_value(result, 80, 1, DepartmentObservable::trust_mean);
  // Targets with each department's own word: servant 0.2 + 0.8 (0.7 x 0.9 + 0.3) = 0.944,
  // control 0.2 + 0.8 (0.7 x 0.1 + 0.3) = 0.496; after 80 steps at eta = 0.1 trust is
  // within 0.1% of them (0.9^80 < 3e-4), so the gap is far beyond any noise.
  CHECK(servant == Approx(0.944).margin(0.01));
  CHECK(control == Approx(0.496).margin(0.01));
  // Without the language term the target is rho + (1 - rho) sigma: 0.92 for
  // servants, the floor 0.2 (below the 0.4 threshold) under pure control.
  const auto managers_without = [&](const std::string& style) {
    const auto run =
        Simulation(testing::config_from(kTwoStyles, {"language.enabled=false", "leadership.language_weight=0",
                                                     "leadership.ceo_style=" + style,
                                                     "departments.Servant.leadership_style=" + style,
                                                     "departments.Control.leadership_style=" + style}),
                   RunKey{3, 0, 0})
            .run();
    return run.organization_at(80, OrgObservable::managers_without_authority);
  };
  RandomStream network_stream(1, StreamId::network);
  const auto org = Organization::build(testing::config_from(kTwoStyles)->organization, network_stream);
  double leaders = 0;
  for (std::uint32_t agent = 0; agent < org.agent_count(); ++agent)
    leaders += org.direct_reports(agent).empty() ? 0 : 1;
  CHECK(managers_without("0.9") == 0.0);
  CHECK(managers_without("0") == leaders);
}

}  // namespace orgsim
