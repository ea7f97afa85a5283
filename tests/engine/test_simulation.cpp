// The engine as a whole: reproducibility, independence of the mechanisms'
// streams, switches, and a golden short run.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <numeric>

#include "engine/simulation.hpp"
#include "support/results.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

using testing::org_value;

const std::string kSmall =
    "[scenario]\nsteps = 25\n[knowledge]\nturnover_rate = 0.01\n"
    "[[departments]]\nname = \"Sales\"\nheadcount = 60\nincentive_weight = 0.5\nkpi_alignment = 0.4\n"
    "jargon = \"deal\"\n"
    "[[departments]]\nname = \"Care\"\nheadcount = 40\nincentive_weight = 0.2\njargon = \"care\"\n";

// All seven mechanisms and one intervention of each runtime kind.
const std::string kFull =
    kSmall +
    "[leadership]\nenabled = true\n[encounters]\nenabled = true\n[perception]\nenabled = true\n"
    "[engagement]\nenabled = true\n"
    "[[interventions]]\nkind = \"language_program\"\nstart = 3\nword = \"value\"\n"
    "[[interventions]]\nkind = \"leader_role_model\"\nstart = 5\nword = \"value\"\n"
    "[[interventions]]\nkind = \"listening_sessions\"\nstart = 2\nduration = 10\n"
    "[[interventions]]\nkind = \"client_pressure\"\nstart = 1\n";

bool bit_identical(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("The same key gives bit-identical results, another replicate differs",
          "[engine][reproducibility]") {
  const auto config = testing::config_from(kSmall);
  const auto first = Simulation(config, RunKey{5, 0, 3}).run();
  const auto again = Simulation(config, RunKey{5, 0, 3}).run();
  const auto other = Simulation(config, RunKey{5, 0, 4}).run();
  CHECK(bit_identical(first.organization, again.organization));
  CHECK(bit_identical(first.departments, again.departments));
  CHECK_FALSE(bit_identical(first.organization, other.organization));
  CHECK(first.seed == run_seed({5, 0, 3}));
}

TEST_CASE("A run gives the same bits on any number of threads", "[engine][reproducibility][threads]") {
  // Large enough that the front line, its managers and every loop over
  // agents span several blocks (core/blocks.hpp), with all seven mechanisms
  // and interventions on.
  std::string big = kFull;
  big.replace(big.find("headcount = 60"), 14, "headcount = 3100");
  big.replace(big.find("headcount = 40"), 14, "headcount = 2300");
  // A span of three puts more than a block of managers above the front line.
  const auto config = testing::config_from(big, {"scenario.steps=12", "organization.span_of_control=3"});
  REQUIRE(config->organization.agent_count() > 5 * kAgentBlock);
  REQUIRE(config->organization.agent_count() / 4 > kAgentBlock);
  Simulation one(config, RunKey{8, 0, 0});
  const auto alone = one.run();
  for (const std::uint32_t threads : {2U, 3U}) {
    Simulation shared(config, RunKey{8, 0, 0});
    shared.set_threads(threads);
    REQUIRE(shared.threads() == threads);
    const auto result = shared.run();
    CHECK(bit_identical(alone.organization, result.organization));
    CHECK(bit_identical(alone.departments, result.departments));
  }
}

TEST_CASE("Golden values of a short run", "[engine][golden]") {
  // Pins the whole schedule: any change to a mechanism, the order of draws
  // or the observables shows up here. Update only for an intended change,
  // and say so in the commit and in docs/validation.md's list of releases
  // whose runs differ (last: acting, socialization and perception's
  // reports drawing from streams of their own per block of agents).
  const auto result = Simulation(testing::config_from(kSmall), RunKey{1, 0, 0}).run();
  CHECK(org_value(result, 25, OrgObservable::code_knowledge) == 0.8666666666666667);
  CHECK(org_value(result, 25, OrgObservable::individual_knowledge) == 0.52310231023102316);
  CHECK(org_value(result, 25, OrgObservable::purpose_mean) == 0.49408424680370061);
  CHECK(org_value(result, 25, OrgObservable::silo_divergence) == 0.0068161764705882422);
  CHECK(org_value(result, 25, OrgObservable::words_per_agent) == 1.0990099009900991);
  CHECK(org_value(result, 25, OrgObservable::consensus_share) == 0.47524752475247523);
  CHECK(org_value(result, 25, OrgObservable::communication_success) == 0.84158415841584155);
}

TEST_CASE("Golden values of a short run of the full model", "[engine][golden]") {
  // As above, for the coupled model with interventions.
  const auto result = Simulation(testing::config_from(kFull), RunKey{1, 0, 0}).run();
  CHECK(org_value(result, 25, OrgObservable::code_knowledge) == 0.83333333333333337);
  CHECK(org_value(result, 25, OrgObservable::individual_knowledge) == 0.41320132013201316);
  CHECK(org_value(result, 25, OrgObservable::consensus_share) == 0.97029702970297027);
  CHECK(org_value(result, 25, OrgObservable::trust_mean) == 0.66407978593712991);
  CHECK(org_value(result, 25, OrgObservable::authority_mean) == 0.66631170646538807);
  CHECK(org_value(result, 25, OrgObservable::engagement_mean) == 0.43976643091381185);
  CHECK(org_value(result, 25, OrgObservable::blame_rate) == 0.0);
  CHECK(org_value(result, 25, OrgObservable::knowledge_transfers) == 1.0);
  CHECK(org_value(result, 25, OrgObservable::leavers) == 2.0);
  CHECK(org_value(result, 25, OrgObservable::actual_value) == 0.30635140549766932);
  CHECK(org_value(result, 25, OrgObservable::perception_gap) == 0.16288231152685562);
}

TEST_CASE("Switching a mechanism off freezes its state and leaves the others' draws alone", "[engine]") {
  const auto all_on = Simulation(testing::config_from(kSmall), RunKey{2, 0, 0}).run();
  Simulation without_language(testing::config_from(kSmall, {"language.enabled=false"}), RunKey{2, 0, 0});
  const auto no_language = without_language.run();
  Simulation without_purpose(testing::config_from(kSmall, {"purpose.enabled=false"}), RunKey{2, 0, 0});
  const auto mean_purpose = [&] {
    const auto& purpose = without_purpose.agents().purpose;
    return std::accumulate(purpose.begin(), purpose.end(), 0.0) / static_cast<double>(purpose.size());
  };
  const double p_start = mean_purpose();
  const auto no_purpose = without_purpose.run();
  Simulation without_knowledge(testing::config_from(kSmall, {"knowledge.enabled=false"}), RunKey{2, 0, 0});
  const auto no_knowledge = without_knowledge.run();
  for (std::uint32_t step = 0; step <= 25; ++step) {
    // Knowledge does not read words, so its trajectory is untouched by L.
    CHECK(org_value(no_language, step, OrgObservable::code_knowledge) ==
          org_value(all_on, step, OrgObservable::code_knowledge));
    // Newcomers arrive (turnover), so a switched-off mechanism's observables
    // are still recorded: without L, inventories keep their jargon
    // (newcomers get the same jargon); without K, the code stays blank.
    CHECK(org_value(no_language, step, OrgObservable::distinct_words) == 2.0);
    CHECK(std::isnan(org_value(no_language, step, OrgObservable::communication_success)));
    CHECK(org_value(no_knowledge, step, OrgObservable::code_knowledge) == 0.0);
  }
  // Without L, inventories keep their jargon (turnover hands newcomers the same jargon).
  CHECK(without_language.agents().words.distinct_words() == 2);
  // Without K, the code stays blank.
  const auto& code = without_knowledge.shared().code;
  CHECK(std::all_of(code.begin(), code.end(), [](std::int8_t c) { return c == 0; }));
  // Without P, purpose stays at the anchors except where newcomers draw new ones.
  CHECK(mean_purpose() == Approx(p_start).margin(0.02));
  // With P on, the KPI pull (pi = w(1 - phi)) depends on purpose, so K changes.
  bool knowledge_differs = false;
  for (std::uint32_t step = 1; step <= 25; ++step) {
    knowledge_differs =
        knowledge_differs || org_value(no_purpose, step, OrgObservable::individual_knowledge) !=
                                 org_value(all_on, step, OrgObservable::individual_knowledge);
  }
  CHECK(knowledge_differs);
}

TEST_CASE("An isolated run records nothing of a switched-off mechanism", "[engine]") {
  // No turnover, no interventions, nothing but K moving beliefs: the
  // observables of L, A, X, V and E are not computed and hold the fill value.
  const auto isolated =
      Simulation(testing::config_from(kSmall, {"knowledge.turnover_rate=0", "language.enabled=false"}),
                 RunKey{2, 0, 0})
          .run();
  for (std::uint32_t step = 0; step <= 25; ++step) {
    CHECK(std::isnan(org_value(isolated, step, OrgObservable::distinct_words)));
    CHECK(std::isnan(org_value(isolated, step, OrgObservable::trust_mean)));
    CHECK(std::isnan(org_value(isolated, step, OrgObservable::blame_rate)));
    CHECK(std::isfinite(org_value(isolated, step, OrgObservable::code_knowledge)));
    CHECK(std::isfinite(org_value(isolated, step, OrgObservable::purpose_mean)));
  }
}

TEST_CASE("A run at rest records what stepping on would have recorded", "[engine]") {
  // The March docking setup reaches its absorbing equilibrium early; run()
  // then carries the last week forward. Stepping and observing every week
  // must give the same bits.
  const auto config = testing::config_from(
      "[scenario]\nsteps = 200\n[organization]\nnetwork = \"complete\"\n[knowledge]\n"
      "socialization_rate = 0.9\ncode_learning_rate = 0.9\n[language]\nenabled = false\n"
      "[purpose]\nenabled = false\n[[departments]]\nname = \"All\"\nheadcount = 19\n");
  Simulation resting(config, RunKey{4, 0, 0});
  const auto carried = resting.run();
  REQUIRE(carried.equilibrium_step >= 0);
  REQUIRE(carried.equilibrium_step < 150);
  Simulation stepping(config, RunKey{4, 0, 0});
  RunResult every_week;
  every_week.size_for(200, stepping.organization().departments.size());
  for (std::uint32_t t = 0; t <= 200; ++t) {
    if (t > 0) stepping.step();
    stepping.observe(every_week.organization_step(t), every_week.departments_step(t));
  }
  CHECK(bit_identical(carried.organization, every_week.organization));
  CHECK(bit_identical(carried.departments, every_week.departments));
  CHECK(resting.steps_done() == 200);
}

TEST_CASE("Observables at the start follow from the initial state", "[engine][observables]") {
  const auto result = Simulation(testing::config_from(kSmall), RunKey{3, 0, 0}).run();
  CHECK(org_value(result, 0, OrgObservable::code_knowledge) == 0.0);  // the code starts blank
  // Beliefs are uniform on {-1, 0, 1}: a third equal the blank code; 101 agents x 30 dims.
  CHECK(org_value(result, 0, OrgObservable::code_alignment) == Approx(1.0 / 3.0).margin(0.03));
  CHECK(org_value(result, 0, OrgObservable::distinct_words) == 2.0);
  CHECK(org_value(result, 0, OrgObservable::words_per_agent) ==
        Approx(100.0 / 101.0));  // the CEO has no jargon
  CHECK(org_value(result, 0, OrgObservable::consensus_share) == Approx(60.0 / 101.0));
  CHECK(org_value(result, 0, OrgObservable::departments_off_dominant) == 1.0);
  CHECK(std::isnan(org_value(result, 0, OrgObservable::communication_success)));
  CHECK(org_value(result, 25, OrgObservable::communication_success) >= 0.0);
}

TEST_CASE("Silo divergence is zero for one department and grows under silo KPIs", "[engine][observables]") {
  const auto one = Simulation(testing::config_from("[scenario]\nsteps = 5\n[[departments]]\nname = \"A\"\n"
                                                   "headcount = 50\n"),
                              RunKey{1, 0, 0})
                       .run();
  CHECK(org_value(one, 5, OrgObservable::silo_divergence) == 0.0);
  // Two departments paid on opposite KPIs: beliefs within a silo agree more than across.
  const auto silos =
      Simulation(testing::config_from("[scenario]\nsteps = 60\n[purpose]\nenabled = false\n"
                                      "[[departments]]\nname = \"A\"\nheadcount = 100\n"
                                      "incentive_weight = 1\nkpi_alignment = 1\npurpose_baseline = 0\n"
                                      "purpose_spread = 0\n"
                                      "[[departments]]\nname = \"B\"\nheadcount = 100\n"
                                      "incentive_weight = 1\nkpi_alignment = 0\npurpose_baseline = 0\n"
                                      "purpose_spread = 0\n"),
                 RunKey{1, 0, 0})
          .run();
  CHECK(org_value(silos, 0, OrgObservable::silo_divergence) == Approx(0.0).margin(0.01));
  CHECK(org_value(silos, 60, OrgObservable::silo_divergence) > 0.5);
}

}  // namespace orgsim

namespace orgsim {

TEST_CASE("Turnover replaces about p3 N agents a step and resets the newcomers", "[engine][turnover]") {
  const auto config = testing::config_from(kSmall, {"knowledge.turnover_rate=0.3", "scenario.steps=1"});
  Simulation simulation(config, RunKey{4, 0, 0});
  auto& agents = simulation.agents();
  for (auto& trust : agents.trust) trust = 0.25F;
  for (int t = 0; t < 10; ++t) simulation.step();
  double fresh = 0;
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    if (agents.tenure[agent] > 1) continue;  // hired in the last step
    fresh += 1;
    CHECK(agents.trust[agent] == 1.0F);
    CHECK(agents.words.size(agent) <= 1);
  }
  // Leavers in the last step ~ Binomial(101, 0.3): mean 30.3, sd 4.6; 4 sd.
  CHECK(std::abs(fresh - 30.3) < 18.4);
  const auto result = Simulation(config, RunKey{4, 0, 1}).run();
  CHECK(org_value(result, 1, OrgObservable::leavers) > 0);
}

TEST_CASE("A new leader brings a new style from the department's distribution and the reports trust afresh",
          "[engine][turnover][leadership]") {
  const auto config = testing::config_from(
      kSmall, {"leadership.enabled=true", "leadership.initial_trust=0.35", "leadership.ceo_style=0.6",
               "departments.Sales.leadership_style=0.8", "departments.Sales.leadership_spread=0.2",
               "departments.Care.leadership_style=0.3", "departments.Care.leadership_spread=0.1",
               "knowledge.turnover_rate=0.3"});
  Simulation simulation(config, RunKey{9, 0, 0});
  const auto& org = simulation.organization();
  auto& agents = simulation.agents();
  // Marks that no draw can give: styles 0 (outside both departments' ranges), trust 0.05, tenure 100.
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    if (org.level[agent] != Level::frontline) agents.style[agent] = 0.0F;
    agents.trust[agent] = 0.05F;
    agents.tenure[agent] = 100;
  }
  simulation.step();
  const auto hired = [&](std::uint32_t agent) { return agents.tenure[agent] == 1; };
  const float initial_trust = 0.35F;
  int new_leaders = 0;
  int old_leaders = 0;
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    if (org.level[agent] == Level::frontline) continue;
    INFO("agent " << agent);
    const auto reports = org.direct_reports(agent);
    if (hired(agent)) {
      ++new_leaders;
      const double low = agent == 0 ? 0.6 : org.department[agent] == 0 ? 0.7 : 0.25;
      const double high = agent == 0 ? 0.6 : org.department[agent] == 0 ? 0.9 : 0.35;
      CHECK(agents.style[agent] >= Approx(low));
      CHECK(agents.style[agent] <= Approx(high));
      for (const auto report : reports) CHECK(agents.trust[report] == initial_trust);
    } else {
      ++old_leaders;
      CHECK(agents.style[agent] == 0.0F);
      // The reports' trust moved from 0.05 toward its target; it was not reset.
      for (const auto report : reports) {
        if (!hired(report)) CHECK(agents.trust[report] != initial_trust);
      }
    }
  }
  CHECK(new_leaders > 0);
  CHECK(old_leaders > 0);

  // When the CEO leaves, the successor's style is leadership.ceo_style (the
  // executive has no spread) and the heads trust afresh.
  Simulation everyone_leaves(
      testing::config_from(kSmall, {"leadership.enabled=true", "leadership.ceo_style=0.6",
                                    "leadership.initial_trust=0.35", "knowledge.turnover_rate=1"}),
      RunKey{9, 0, 0});
  auto& all = everyone_leaves.agents();
  for (auto& style : all.style) style = 0.0F;
  for (auto& trust : all.trust) trust = 0.05F;
  everyone_leaves.step();
  CHECK(all.style[0] == 0.6F);
  for (const auto head : everyone_leaves.organization().direct_reports(0))
    CHECK(all.trust[head] == initial_trust);
}

TEST_CASE("Leadership development reaches code learning in the step it starts", "[engine][leadership]") {
  // Executives of style 0 developed all the way to 1 at step 0 must make the
  // code listen as much, in that very step, as executives of style 1 from the
  // start: p2 scaled by 1.5, not 0.5, from the first step on.
  const std::vector<std::string> common{"leadership.enabled=true",
                                        "departments.Sales.leadership_spread=0",
                                        "departments.Care.leadership_spread=0",
                                        "knowledge.code_sample_size=1",
                                        "knowledge.code_learning_rate=0.3",
                                        "knowledge.dimensions=400",
                                        "knowledge.turnover_rate=0",
                                        "scenario.steps=1"};
  auto developed_settings = common;
  for (const auto* setting : {"leadership.ceo_style=0", "departments.Sales.leadership_style=0",
                              "departments.Care.leadership_style=0"})
    developed_settings.emplace_back(setting);
  auto servant_settings = common;
  for (const auto* setting : {"leadership.ceo_style=1", "departments.Sales.leadership_style=1",
                              "departments.Care.leadership_style=1"})
    servant_settings.emplace_back(setting);
  const std::string development =
      "[[interventions]]\nkind = \"leadership_development\"\nstart = 0\nstyle_shift = 1\n";
  Simulation developed(testing::config_from(kSmall + development, developed_settings), RunKey{6, 0, 0});
  Simulation servant(testing::config_from(kSmall, servant_settings), RunKey{6, 0, 0});
  CHECK(developed.shared().executive_listening == Approx(0.5));
  CHECK(servant.shared().executive_listening == Approx(1.5));
  // Everyone knows reality, so the one voice heard beats the blank code on every dimension.
  for (auto* simulation : {&developed, &servant}) {
    auto& agents = simulation->agents();
    for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
      for (std::uint32_t j = 0; j < agents.dimensions; ++j)
        agents.beliefs.set(agent, j, simulation->shared().reality[j]);
    }
  }
  developed.step();
  servant.step();
  CHECK(developed.shared().executive_listening == Approx(1.5));
  CHECK(developed.shared().code == servant.shared().code);
  // With |v_j| = 1 each dimension is learned with p2_eff: 0.3 x 1.5 = 0.45, against 0.15 had the
  // step heard the old styles; over 400 dimensions the SE is 0.025 (4 SE = 0.1).
  double learned = 0;
  for (const auto c : developed.shared().code) learned += c != 0 ? 1 : 0;
  CHECK(learned / 400 == Approx(0.45).margin(0.1));
}

TEST_CASE("The shipped naming-game scenario reaches one word for everyone", "[engine][language]") {
  const auto scenario = Scenario::from_file(testing::source_path("scenarios/docking/naming_game.toml"));
  const auto config = std::make_shared<const EngineConfig>(EngineConfig::from(scenario));
  for (std::uint64_t replicate = 0; replicate < 2; ++replicate) {
    const auto result = Simulation(config, RunKey{2006, 0, replicate}).run();
    const std::uint32_t last = config->steps;
    // Convergence takes about 51 steps of N games at N = 1,000 (sd ~7); 200 is far beyond.
    CHECK(org_value(result, last, OrgObservable::distinct_words) == 1.0);
    CHECK(org_value(result, last, OrgObservable::consensus_share) == 1.0);
    CHECK(org_value(result, 1, OrgObservable::distinct_words) > 100.0);
  }
}

}  // namespace orgsim

namespace orgsim {

// The equilibrium rule asks every mechanism of the week whether it moves beliefs beyond March's
// socialization and code learning; each answer on its own makes the equilibrium not absorbing.
TEST_CASE("March's equilibrium is absorbing only when no mechanism moves beliefs elsewhere", "[simulation]") {
  const std::string small =
      "[scenario]\nsteps = 3\n[[departments]]\nname = \"A\"\nheadcount = 20\n"
      "[[departments]]\nname = \"B\"\nheadcount = 20\n";
  const auto absorbing = [&](const std::vector<std::string>& overrides) {
    return Simulation(testing::config_from(small, overrides), RunKey{1, 0, 0})
        .knowledge()
        .equilibrium_is_absorbing();
  };
  CHECK(absorbing({}));
  CHECK_FALSE(absorbing({"leadership.enabled=true", "leadership.bottom_up_rate=0.05"}));
  CHECK(absorbing({"leadership.enabled=true", "leadership.bottom_up_rate=0"}));
  CHECK_FALSE(absorbing({"engagement.enabled=true", "engagement.disengagement_turnover=0.01"}));
  CHECK_FALSE(absorbing({"encounters.enabled=true", "encounters.transfer_probability=0.3"}));
  CHECK(absorbing(
      {"encounters.enabled=true", "encounters.transfer_probability=0.3", "language.enabled=false"}));
  CHECK_FALSE(absorbing({"knowledge.turnover_rate=0.01"}));
  CHECK_FALSE(absorbing({"departments.A.incentive_weight=0.2"}));
  CHECK_FALSE(absorbing({"knowledge.peer_learning_rate=0.5"}));
}

}  // namespace orgsim
