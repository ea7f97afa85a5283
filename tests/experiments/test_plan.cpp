// A sweep as runs: numbering, seeds that depend only on (scenario seed,
// point, replicate), and points that are the scenario with --set values.
#include <catch2/catch.hpp>
#include <cstring>

#include "engine/simulation.hpp"
#include "experiments/plan.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

const std::string kFirm =
    "[scenario]\nsteps = 10\nseed = 42\n"
    "[[departments]]\nname = \"Sales\"\nheadcount = 30\njargon = \"deal\"\n"
    "[[departments]]\nname = \"Care\"\nheadcount = 20\n"
    "[sweep]\nreplicates = 3\n[sweep.parameters]\n"
    "\"knowledge.socialization_rate\" = [0.1, 0.4]\n"
    "\"departments.Sales.incentive_weight\" = [0, 0.3, 0.6]\n";

}  // namespace

TEST_CASE("Runs are numbered point x replicates + replicate over a grid in file order", "[sweep]") {
  const sweep::SweepPlan plan(testing::scenario_from(kFirm));
  CHECK(plan.points() == 6);
  CHECK(plan.replicates() == 3);
  CHECK(plan.runs() == 18);
  CHECK(plan.key(0).point == 0);
  CHECK(plan.key(5).point == 1);
  CHECK(plan.key(5).replicate == 2);
  CHECK(plan.key(17).point == 5);
  CHECK(plan.key(17).scenario_seed == 42);
  // The last parameter varies fastest.
  CHECK(plan.assignments(1) == std::vector<std::string>{"knowledge.socialization_rate=0.1",
                                                        "departments.Sales.incentive_weight=0.3"});
  CHECK(plan.assignments(3) ==
        std::vector<std::string>{"knowledge.socialization_rate=0.4", "departments.Sales.incentive_weight=0"});
}

TEST_CASE("A design point is the scenario with its values set, and runs like it", "[sweep]") {
  const sweep::SweepPlan plan(testing::scenario_from(kFirm));
  const auto at_point = plan.scenario_at(4);
  CHECK(at_point.real("knowledge.socialization_rate") == 0.4);
  CHECK(at_point.departments()[0].real("incentive_weight") == 0.3);
  // The same scenario given with --set, run with the run's key, gives the same results.
  const auto by_hand = testing::config_from(
      kFirm, {"knowledge.socialization_rate=0.4", "departments.Sales.incentive_weight=0.3"});
  const auto key = plan.key(4 * 3 + 1);
  const auto swept = Simulation(plan.config_at(4), key).run().organization;
  const auto set = Simulation(by_hand, key).run().organization;
  REQUIRE(swept.size() == set.size());
  CHECK(std::memcmp(swept.data(), set.data(), swept.size() * sizeof(double)) == 0);  // NaN included
}

TEST_CASE("A run's seed depends on its point and replicate, not on the design around it", "[sweep]") {
  const sweep::SweepPlan plan(testing::scenario_from(kFirm));
  std::string other = kFirm;
  other.replace(other.find("[0.1, 0.4]"), 10, "[0.2, 0.3, 0.5]");
  const sweep::SweepPlan wider(testing::scenario_from(other));
  CHECK(wider.runs() == 27);
  for (std::uint64_t run = 0; run < plan.runs(); ++run) {
    CHECK(run_seed(plan.key(run)) == run_seed(wider.key(run)));
  }
  CHECK(run_seed(plan.key(0)) != run_seed(plan.key(1)));
  CHECK(run_seed(plan.key(0)) != run_seed(plan.key(3)));
}

TEST_CASE("The design seed is derived from the scenario seed unless given", "[sweep]") {
  const std::string sampled =
      "[scenario]\nseed = 42\n[[departments]]\nname = \"Sales\"\nheadcount = 30\n"
      "[sweep]\ndesign = \"latin_hypercube\"\nsamples = 5\n[sweep.parameters]\n"
      "\"knowledge.socialization_rate\" = { min = 0.1, max = 0.5 }\n";
  const sweep::SweepPlan derived(testing::scenario_from(sampled));
  const sweep::SweepPlan again(testing::scenario_from(sampled));
  const sweep::SweepPlan chosen(testing::scenario_from(sampled, {"sweep.seed=7"}));
  CHECK(derived.spec().seed != 0);
  CHECK(derived.design().points == again.design().points);
  CHECK(chosen.spec().seed == 7);
  CHECK(chosen.design().points != derived.design().points);
  // Redrawing the design leaves every run's seed alone.
  CHECK(run_seed(chosen.key(2)) == run_seed(derived.key(2)));
}

TEST_CASE("Intervention fields can be swept by the intervention's name", "[sweep]") {
  const std::string text =
      "[scenario]\nsteps = 10\n[[departments]]\nname = \"Sales\"\nheadcount = 30\n"
      "[[interventions]]\nname = \"definition\"\nkind = \"service_definition\"\nstart = 5\n"
      "[sweep]\n[sweep.parameters]\n\"interventions.definition.start\" = [2, 9]\n";
  const sweep::SweepPlan plan(testing::scenario_from(text));
  CHECK_NOTHROW(plan.validate_points());
  REQUIRE(plan.points() == 2);
  CHECK(plan.scenario_at(1).interventions().at(0).integer("start") == 9);
  // A start at the horizon is refused when the file is read, before any point is built.
  std::string late = text;
  late.replace(late.find("[2, 9]"), 6, "[2, 10]");
  CHECK_THROWS_AS(testing::scenario_from(late), ScenarioError);
}

}  // namespace orgsim
