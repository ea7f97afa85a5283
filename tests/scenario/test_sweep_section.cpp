// The [sweep] section: what it accepts, the order it keeps, and each way it
// refuses input, with the line it points at.
#include <catch2/catch.hpp>
#include <string>

#include "scenario/scenario.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

using Kind = ScenarioError::Kind;
const std::string kFirm =
    "[scenario]\nsteps = 20\n"
    "[[departments]]\nname = \"Sales\"\nheadcount = 30\n"
    "[[departments]]\nname = \"Care\"\nheadcount = 20\n";

ScenarioError error_from(const std::string& sweep, const std::vector<std::string>& overrides = {}) {
  try {
    testing::scenario_from(kFirm + sweep, overrides);
  } catch (const ScenarioError& error) {
    return error;
  }
  FAIL("no ScenarioError for:\n" << sweep);
  throw std::logic_error("unreachable");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("A sweep section lists its parameters in file order, ranges expanded", "[scenario][sweep]") {
  const auto scenario =
      testing::scenario_from(kFirm +
                             "[sweep]\nreplicates = 4\n[sweep.parameters]\n"
                             "\"organization.within_degree\" = [2, 4]\n"
                             "\"departments.Sales.incentive_weight\" = { min = 0, max = 0.5, "
                             "steps = 3 }\n"
                             "\"organization.span_of_control\" = { min = 2, max = 7, steps = 3 }\n");
  const auto* sweep = scenario.sweep();
  REQUIRE(sweep != nullptr);
  CHECK(sweep->replicates == 4);
  REQUIRE(sweep->design.parameters.size() == 3);
  // The TOML reader sorts keys; the section keeps the order the file gives.
  CHECK(sweep->design.parameters[0].key == "organization.within_degree");
  CHECK(sweep->design.parameters[1].key == "departments.Sales.incentive_weight");
  CHECK(sweep->design.parameters[1].values == std::vector<double>{0.0, 0.25, 0.5});
  CHECK(sweep->design.parameters[2].integer);
  CHECK(sweep->design.parameters[2].values == std::vector<double>{2.0, 4.0, 7.0});  // 4.5 rounds to even
  CHECK(sweep->parameter_where[1].line == 13);
}

TEST_CASE("Integer parameters record the values their runs use", "[scenario][sweep]") {
  const auto scenario = testing::scenario_from(
      kFirm + "[sweep]\n[sweep.parameters]\n\"organization.span_of_control\" = [2.4, 3.6]\n");
  CHECK(scenario.sweep()->design.parameters.at(0).values == std::vector<double>{2.0, 4.0});
}

TEST_CASE("The resolved scenario prints the sweep so that it loads back the same", "[scenario][sweep]") {
  const auto scenario =
      testing::scenario_from(kFirm +
                             "[sweep]\ndesign = \"latin_hypercube\"\nsamples = 8\n[sweep.parameters]\n"
                             "\"knowledge.socialization_rate\" = { min = 0.05, max = 0.5 }\n");
  const auto again = testing::scenario_from(scenario.resolved_toml());
  CHECK(again.resolved_toml() == scenario.resolved_toml());
  CHECK(again.hash() == scenario.hash());
  REQUIRE(again.sweep() != nullptr);
  CHECK(again.sweep()->design.kind == sweep::DesignKind::latin_hypercube);
  CHECK(again.sweep()->design.parameters.at(0).maximum == 0.5);
}

TEST_CASE("Overrides change the design's own keys and the hash, not the swept parameters",
          "[scenario][sweep]") {
  const std::string sweep = "[sweep]\n[sweep.parameters]\n\"knowledge.socialization_rate\" = [0.1, 0.2]\n";
  const auto base = testing::scenario_from(kFirm + sweep);
  const auto more = testing::scenario_from(kFirm + sweep, {"sweep.replicates=7"});
  CHECK(more.sweep()->replicates == 7);
  CHECK(more.hash() != base.hash());
  CHECK(error_from(sweep, {"sweep.parameters.x=1"}).kind() == Kind::invalid);
  CHECK(testing::scenario_from(kFirm).sweep() == nullptr);
  CHECK(contains(error_from("", {"sweep.replicates=3"}).what(), "no [sweep] section"));
}

TEST_CASE("A sweep section refuses what no run could take, naming the line", "[scenario][sweep][errors]") {
  const std::string header = "[sweep]\n[sweep.parameters]\n";  // parameters start on line 11
  auto error = error_from(header + "\"knowledge.socialisation_rate\" = [0.1]\n");
  CHECK(error.kind() == Kind::unknown_key);
  CHECK(error.where().line == 11);

  error = error_from(header + "\"departments.Sales.incentive_weight\" = [0.2, 1.5]\n");
  CHECK(error.kind() == Kind::out_of_range);
  CHECK(error.where().line == 11);
  CHECK(contains(error.what(), "departments.Sales.incentive_weight=1.5"));

  error = error_from(header + "\"departments.Legal.incentive_weight\" = [0.2]\n");
  CHECK(error.kind() == Kind::unknown_department);

  CHECK(error_from(header + "\"scenario.name\" = [1]\n").kind() == Kind::invalid);        // not numeric
  CHECK(error_from(header + "\"scenario.steps\" = [10, 20]\n").kind() == Kind::invalid);  // shared horizon
  CHECK(error_from(header + "\"knowledge.socialization_rate\" = { min = 0.5, max = 0.1, steps = 2 }\n")
            .kind() == Kind::invalid);
  CHECK(
      error_from(header + "\"knowledge.socialization_rate\" = { min = 0.1, max = 0.5, step = 2 }\n").kind() ==
      Kind::unknown_key);
  // A grid needs values; a sampled design needs a range and a sample count.
  CHECK(error_from(header + "\"knowledge.socialization_rate\" = { min = 0.1, max = 0.5 }\n").kind() ==
        Kind::invalid);
  CHECK(error_from("[sweep]\ndesign = \"sobol\"\n[sweep.parameters]\n"
                   "\"knowledge.socialization_rate\" = [0.1, 0.5]\n")
            .kind() == Kind::invalid);
  error = error_from(
      "[sweep]\ndesign = \"sobol\"\n[sweep.parameters]\n"
      "\"knowledge.socialization_rate\" = { min = 0.1, max = 0.5 }\n");
  CHECK(contains(error.what(), "sobol"));
  CHECK(error_from(
            "[sweep]\ndesign = \"factorial\"\n[sweep.parameters]\n\"knowledge.socialization_rate\" = [0.1]\n")
            .kind() == Kind::out_of_range);
  CHECK(error_from("[sweep]\nreplicates = 2\n").kind() == Kind::invalid);  // varies nothing
}

TEST_CASE("A sweep of more runs than one file holds is refused at its [sweep] line",
          "[scenario][sweep][errors]") {
  // 10,000 points of a Latin hypercube: sweep::kMaxRuns runs at 1,000 replicates each.
  const std::string sweep =
      "[sweep]\ndesign = \"latin_hypercube\"\nsamples = 10000\nreplicates = 1000\n[sweep.parameters]\n"
      "\"knowledge.socialization_rate\" = { min = 0.05, max = 0.5 }\n";
  REQUIRE(sweep::kMaxRuns == 10'000'000);
  CHECK_NOTHROW(testing::scenario_from(kFirm + sweep));
  for (const auto& overrides :
       {std::vector<std::string>{"sweep.replicates=1001"}, std::vector<std::string>{"sweep.samples=10001"},
        std::vector<std::string>{"sweep.samples=10000000", "sweep.replicates=1000000"}}) {
    const auto error = error_from(sweep, overrides);
    CHECK(error.kind() == Kind::too_large);
    CHECK(error.where().line == 9);  // [sweep]
    CHECK(contains(error.what(), "runs, more than the 10000000 one sweep file holds"));
  }
  CHECK(contains(error_from(sweep, {"sweep.replicates=1001"}).what(),
                 "10000 point(s) x 1001 replicate(s) = 10010000 runs"));
  // Replicates from [scenario] count the same.
  CHECK(error_from(sweep, {"sweep.replicates=0", "scenario.replicates=1001"}).kind() == Kind::too_large);
}

TEST_CASE("An integer parameter swept beyond any 64-bit integer is refused by the value given",
          "[scenario][sweep][errors]") {
  // 1e300 was converted to a 64-bit integer (undefined behaviour) and refused as -9223372036854775808.
  for (const std::string values :
       {"[10, 1e300]", "{ min = 10, max = 1e300, steps = 3 }", "[-1e300, 10]", "[10, 9.3e18]"}) {
    INFO(values);
    const auto error =
        error_from("[sweep]\n[sweep.parameters]\n\"departments.Sales.headcount\" = " + values + "\n");
    CHECK(error.kind() == Kind::out_of_range);
    CHECK(error.where().line == 11);
    CHECK(!contains(error.what(), "-9223372036854775808"));
    CHECK(contains(error.what(), "is out of range [1, 1000000000] (unit: agent)"));
  }
  CHECK(contains(
      error_from("[sweep]\n[sweep.parameters]\n\"departments.Sales.headcount\" = [10, 1e300]\n").what(),
      "swept value departments.Sales.headcount=1e+300 is refused: 'departments.Sales.headcount' = "
      "1e+300 is out of range"));
  const auto sampled = error_from(
      "[sweep]\ndesign = \"latin_hypercube\"\nsamples = 4\n[sweep.parameters]\n"
      "\"organization.span_of_control\" = { min = 2, max = 1e300 }\n");
  CHECK(sampled.kind() == Kind::out_of_range);
  CHECK(contains(sampled.what(), "organization.span_of_control=1e+300"));
  // An integer range whose rounded ends are in range is taken.
  CHECK_NOTHROW(testing::scenario_from(kFirm + "[sweep]\ndesign = \"latin_hypercube\"\nsamples = 4\n"
                                               "[sweep.parameters]\n\"organization.span_of_control\" = "
                                               "{ min = 0.6, max = 100000.4 }\n"));
}

TEST_CASE("A design too large to run is refused before its values are checked", "[scenario][sweep][errors]") {
  // Two parameters of a million values each: every value went through a copy of the scenario first.
  const auto error = error_from(
      "[sweep]\n[sweep.parameters]\n"
      "\"knowledge.socialization_rate\" = { min = 0, max = 1, steps = 1000000 }\n"
      "\"knowledge.code_learning_rate\" = { min = 0, max = 1, steps = 1000000 }\n");
  CHECK(error.kind() == Kind::invalid);
  CHECK(error.where().line == 9);
  CHECK(contains(error.what(), "the grid design would have more than 10000000 points"));
  // Values that are refused, in a design of too many runs: the run count is named, not a value.
  const auto too_many = error_from(
      "[sweep]\nreplicates = 1000\n[sweep.parameters]\n"
      "\"knowledge.socialization_rate\" = { min = 0, max = 7, steps = 1000000 }\n");
  CHECK(too_many.kind() == Kind::too_large);
}

TEST_CASE("A sweep of a million values is checked in linear time, each value once", "[scenario][sweep]") {
  // Each value was checked on a copy of the scenario holding every value: quadratic.
  const auto scenario =
      testing::scenario_from(kFirm +
                             "[sweep]\n[sweep.parameters]\n"
                             "\"knowledge.socialization_rate\" = { min = 0, max = 1, steps = 1000000 }\n");
  CHECK(scenario.sweep()->design.parameters.front().values.size() == 1000000);
  // Every value is checked with the rest of the scenario, not only the ends: here only the middle
  // start makes programme b overlap programme a.
  const auto error = error_from(
      "[[interventions]]\nname = \"a\"\nkind = \"language_program\"\nstart = 10\nduration = 5\nword = \"v\"\n"
      "[[interventions]]\nname = \"b\"\nkind = \"language_program\"\nstart = 0\nduration = 2\nword = \"v\"\n"
      "[sweep]\n[sweep.parameters]\n\"interventions.b.start\" = [0, 12, 18]\n");
  CHECK(error.where().line == 23);
  CHECK(contains(error.what(), "swept value interventions.b.start=12 is refused: two language programmes"));
  // Copies of a scenario share its sweep section and text rather than copying them.
  const auto copy = scenario;
  CHECK(copy.sweep() == scenario.sweep());
  CHECK(&copy.source_text() == &scenario.source_text());
}

TEST_CASE("A swept key with control characters is refused on one line", "[scenario][sweep][errors]") {
  const auto error = error_from("[sweep]\n[sweep.parameters]\n\"knowledge.x\\n\\u001B[2J\" = [1]\n");
  const std::string text = error.what();
  CHECK(text.find('\n') == std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(contains(text, "unknown parameter 'knowledge.x\\u000A\\u001B[2J'"));
  const auto range = error_from(
      "[sweep]\n[sweep.parameters]\n\"knowledge.socialization_rate\" = { min = 0, max = 1, \"st\\neps\" = 2 "
      "}\n");
  CHECK(contains(range.what(), "unknown key 'st\\u000Aeps' in the range"));
}

}  // namespace orgsim
