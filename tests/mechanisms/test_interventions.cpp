// Interventions: each kind's effect on the state, at its start and while it
// lasts, and that its levers end with it.
#include <catch2/catch.hpp>

#include "engine/simulation.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

const std::string kCompany =
    "[scenario]\nsteps = 20\n"
    "[[departments]]\nname = \"Sales\"\nheadcount = 40\nincentive_weight = 0.6\nkpi_alignment = 0.3\n"
    "jargon = \"deal\"\n"
    "[[departments]]\nname = \"Care\"\nheadcount = 30\njargon = \"care\"\n";

// Tests that switch L off to watch the words alone switch V on: it reads
// words without changing them, and an intervention whose mechanisms are all
// off is refused.
std::shared_ptr<const EngineConfig> with(const std::string& intervention,
                                         const std::vector<std::string>& set = {}) {
  return testing::config_from(kCompany + "[[interventions]]\n" + intervention, set);
}

void step_to(Simulation& simulation, std::uint32_t steps) {
  while (simulation.steps_done() < steps) simulation.step();
}

bool in(const Simulation& simulation, std::uint32_t agent, std::size_t department) {
  return simulation.organization().department[agent] == department;
}

}  // namespace

TEST_CASE("service_definition raises the targeted people's purpose anchors at its start", "[interventions]") {
  Simulation simulation(with("kind = \"service_definition\"\nstart = 2\nanchor_boost = 0.5\ndepartments = "
                             "[\"Sales\"]\n",
                             {"purpose.enabled=false"}),
                        RunKey{1, 0, 0});
  const auto before = simulation.agents().purpose_anchor;
  step_to(simulation, 2);
  CHECK(simulation.agents().purpose_anchor == before);  // not yet
  step_to(simulation, 3);
  for (std::uint32_t agent = 0; agent < before.size(); ++agent) {
    const double expected =
        in(simulation, agent, 0) ? before[agent] + 0.5 * (1 - before[agent]) : before[agent];
    CHECK(simulation.agents().purpose_anchor[agent] == Approx(expected));
  }
}

TEST_CASE("kpi_realignment redraws the KPI and scales incentives while it lasts", "[interventions]") {
  Simulation simulation(with("kind = \"kpi_realignment\"\nstart = 1\nduration = 3\nkpi_alignment = 1.0\n"
                             "incentive_scale = 0.0\ndepartments = [\"Sales\"]\n"),
                        RunKey{2, 0, 0});
  step_to(simulation, 2);
  const auto& shared = simulation.shared();
  const auto kpi = shared.kpi_of(0);
  CHECK(std::equal(kpi.begin(), kpi.end(), shared.reality.begin()));
  CHECK(shared.levers.incentive_weight[0] == 0.0);
  CHECK(shared.levers.incentive_weight[1] == 0.0);  // Care's own weight is 0 anyway
  step_to(simulation, 5);                           // steps 1..3 were the intervention's
  CHECK(shared.levers.incentive_weight[0] == 0.6);
}

TEST_CASE("listening_sessions pass words and beliefs between the departments, without blame",
          "[interventions]") {
  Simulation simulation(
      with("kind = \"listening_sessions\"\nstart = 0\nsessions_per_step = 2\nparticipants = 10\n",
           {"language.enabled=false", "knowledge.enabled=false", "perception.enabled=true"}),
      RunKey{3, 0, 0});
  step_to(simulation, 5);
  const auto& agents = simulation.agents();
  const auto& org = simulation.organization();
  const auto care_word = agents.words.words(org.departments[1].first_agent)[0];
  int sales_with_care_word = 0;
  for (std::uint32_t agent = org.departments[0].first_agent; agent < org.departments[0].first_agent + 40;
       ++agent) {
    sales_with_care_word += agents.words.contains(agent, care_word) ? 1 : 0;
  }
  // 100 meetings over 40 Sales people: nearly all have met someone from Care.
  CHECK(sales_with_care_word > 25);
  const auto result = Simulation(with("kind = \"listening_sessions\"\nstart = 0\n",
                                      {"knowledge.enabled=false", "encounters.enabled=true"}),
                                 RunKey{3, 0, 0})
                          .run();
  CHECK(result.organization_at(20, OrgObservable::knowledge_transfers) > 0.0);
}

TEST_CASE("language_program enrols its coverage, and a second session leaves only its word",
          "[interventions]") {
  for (const double coverage : {1.0, 0.5}) {
    Simulation simulation(
        with("kind = \"language_program\"\nstart = 2\nword = \"customer value\"\nsession_rate = 1\n"
             "coverage = " +
                 std::to_string(coverage) + "\n",
             {"language.enabled=false", "perception.enabled=true"}),
        RunKey{4, 0, 0});
    const auto& agents = simulation.agents();
    const auto& words = agents.words;
    const auto word = words.words_ever_used() - 1;  // the programme's word was invented last
    step_to(simulation, 3);                         // first session: the word joins the jargon
    const double share = static_cast<double>(words.holders(word)) / agents.agent_count;
    // 71 people: at 0.5 the share's sd is 0.06; 4 sd.
    CHECK(share == Approx(coverage).margin(coverage == 1.0 ? 0.0 : 0.24));
    for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
      // The CEO belongs to no department and has no jargon to keep.
      const bool ceo = simulation.organization().level[agent] == Level::ceo;
      if (words.contains(agent, word)) CHECK(words.size(agent) == (ceo ? 1U : 2U));
    }
    step_to(simulation, 4);  // second session: the known word is the only one kept
    CHECK(static_cast<double>(words.holders(word)) / agents.agent_count == share);
    for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
      if (words.contains(agent, word)) CHECK(words.size(agent) == 1);
    }
  }
}

TEST_CASE("language_program: an enrolled person attends a session with probability session_rate",
          "[interventions]") {
  Simulation simulation(with("kind = \"language_program\"\nstart = 0\nword = \"customer value\"\n"
                             "coverage = 1\nsession_rate = 0.25\n",
                             {"language.enabled=false", "perception.enabled=true"}),
                        RunKey{14, 0, 0});
  step_to(simulation, 1);
  const auto& words = simulation.agents().words;
  const double share =
      static_cast<double>(words.holders(words.words_ever_used() - 1)) / simulation.agents().agent_count;
  // 71 people: the share's sd is sqrt(0.25 x 0.75 / 71) = 0.051; 4 sd.
  CHECK(share == Approx(0.25).margin(0.21));
  CHECK(share > 0.0);
}

TEST_CASE("Competing language programmes keep pulling the same people two ways", "[interventions]") {
  Simulation simulation(with("name = \"first\"\nkind = \"language_program\"\nstart = 0\nword = \"value\"\n"
                             "coverage = 1\nsession_rate = 1\n"
                             "[[interventions]]\nname = \"second\"\nkind = \"language_program\"\nstart = 0\n"
                             "word = \"delight\"\ncoverage = 1\nsession_rate = 1\n",
                             {"language.enabled=false", "perception.enabled=true"}),
                        RunKey{15, 0, 0});
  const auto& agents = simulation.agents();
  const auto& words = agents.words;
  const auto second = words.words_ever_used() - 1;
  const auto first = second - 1;
  for (std::uint32_t steps = 2; steps <= 6; ++steps) {
    step_to(simulation, steps);
    // Each month the first programme's session strips all but its word, and
    // the second's adds its own again: nobody is ever left with one word.
    for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
      CHECK(words.size(agent) == 2);
      CHECK(words.contains(agent, first));
      CHECK(words.contains(agent, second));
    }
  }
}

TEST_CASE("leader_role_model: the CEO adopts the word and speaks it to the heads", "[interventions]") {
  Simulation simulation(with("kind = \"leader_role_model\"\nstart = 1\nword = \"care\"\nlevels = [\"ceo\"]\n",
                             {"language.enabled=false", "perception.enabled=true"}),
                        RunKey{5, 0, 0});
  const auto& org = simulation.organization();
  step_to(simulation, 2);
  const auto& words = simulation.agents().words;
  REQUIRE(words.size(0) == 1);
  const auto care = words.words(0)[0];
  CHECK(words.contains(org.departments[1].first_agent, care));
  // The Sales head heard it: it now knows "care" as well as (or instead of) "deal".
  CHECK(words.contains(org.departments[0].first_agent, care));
}

TEST_CASE("leadership_development moves styles toward servant", "[interventions]") {
  Simulation simulation(
      with("kind = \"leadership_development\"\nstart = 0\nstyle_shift = 0.5\n", {"leadership.enabled=true"}),
      RunKey{6, 0, 0});
  const auto before = simulation.agents().style;
  step_to(simulation, 1);
  for (std::uint32_t agent = 0; agent < before.size(); ++agent) {
    if (simulation.organization().level[agent] == Level::frontline) continue;
    CHECK(simulation.agents().style[agent] == Approx(before[agent] + 0.5F * (1 - before[agent])));
  }
}

TEST_CASE("mission_inclusion, feedback_loop, hiring_policy and client_pressure set their levers while active",
          "[interventions]") {
  // Engagement on, so that hiring_policy and client_pressure have an effect.
  const auto levers_during = [](const std::string& intervention, std::uint32_t step) {
    Simulation simulation(with(intervention, {"engagement.enabled=true"}), RunKey{7, 0, 0});
    step_to(simulation, step);
    return simulation.shared().levers;
  };
  auto levers = levers_during(
      "kind = \"mission_inclusion\"\nstart = 1\nduration = 2\nlistening_scale = 3\n"
      "engagement_boost = 0.2\ndepartments = [\"Care\"]\n",
      2);
  CHECK(levers.code_learning_scale == 3.0);
  CHECK(levers.engagement_boost[1] == 0.2);
  CHECK(levers.engagement_boost[0] == 0.0);
  levers = levers_during("kind = \"mission_inclusion\"\nstart = 1\nduration = 2\nlistening_scale = 3\n", 4);
  CHECK(levers.code_learning_scale == 1.0);  // over
  levers = levers_during("kind = \"feedback_loop\"\nstart = 0\nbias_reduction = 0.75\nvoice_scale = 4\n", 1);
  CHECK(levers.report_bias_scale == 0.25);
  CHECK(levers.voice_scale == 4.0);
  levers = levers_during("kind = \"hiring_policy\"\nstart = 0\nselectivity = 0.9\n", 1);
  CHECK(levers.hiring_selectivity == 0.9);
  levers = levers_during("kind = \"client_pressure\"\nstart = 3\nworkload = 0.7\n", 2);
  CHECK(levers.workload < 0.0);  // not yet
  levers = levers_during("kind = \"client_pressure\"\nstart = 3\nworkload = 0.7\n", 4);
  CHECK(levers.workload == 0.7);
}

TEST_CASE("Client pressure lowers engagement; mission inclusion raises it", "[interventions]") {
  const auto engagement_at_end = [](const std::string& intervention) {
    const auto result =
        Simulation(with(intervention, {"engagement.enabled=true", "scenario.steps=40"}), RunKey{8, 0, 0})
            .run();
    return result.organization_at(40, OrgObservable::engagement_mean);
  };
  const double pressed = engagement_at_end("kind = \"client_pressure\"\nstart = 0\nworkload = 1.0\n");
  const double included =
      engagement_at_end("kind = \"mission_inclusion\"\nstart = 0\nengagement_boost = 0.15\n");
  const double calm = engagement_at_end("kind = \"client_pressure\"\nstart = 0\nworkload = 0.0\n");
  // Targets differ by 0.5 (workload_weight x 1) and 0.15; after 40 steps at rate 0.1 engagement is within 2%
  // of them.
  CHECK(pressed < calm - 0.4);
  CHECK(included > calm + 0.1);
}

}  // namespace orgsim
