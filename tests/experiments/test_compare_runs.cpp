// Scenarios compared on common random numbers: one seed for all, replicate r
// of every scenario on the same run seed, names that tell the scenarios apart
// and a refusal that names the scenario that does not agree.
#include <catch2/catch.hpp>
#include <map>

#include "core/errors.hpp"
#include "experiments/compare_runs.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

std::string firm(const std::string& name, int seed, int steps = 6) {
  return "[scenario]\nname = \"" + name + "\"\nsteps = " + std::to_string(steps) +
         "\nseed = " + std::to_string(seed) +
         "\nreplicates = 2\n[[departments]]\nname = \"Sales\"\nheadcount = 12\n";
}

CompareArm arm(const std::string& path, const std::string& text) {
  return {path, testing::scenario_from(text)};
}

}  // namespace

TEST_CASE("Compared scenarios share the first one's seed, replicate by replicate", "[compare]") {
  CompareRuns comparison({arm("a.toml", firm("base", 9)), arm("b.toml", firm("other", 4))});
  comparison.configure(2);
  CHECK(comparison.seed() == 9);
  CHECK(comparison.runs() == 4);
  CHECK(comparison.workers() == 2);
  CHECK(comparison.names() == std::vector<std::string>{"base", "other"});
  std::map<std::pair<std::size_t, std::uint64_t>, std::uint64_t> seeds;
  comparison.run(nullptr, nullptr, [&](std::size_t scenario, const RunResult& result) {
    seeds[{scenario, result.key.replicate}] = result.seed;
  });
  REQUIRE(seeds.size() == 4);
  for (std::uint64_t replicate = 0; replicate < 2; ++replicate) {
    CHECK(seeds[{0, replicate}] == run_seed(RunKey{9, 0, replicate}));
    CHECK(seeds[{1, replicate}] == seeds[{0, replicate}]);
  }
}

TEST_CASE("Scenarios of one name are told apart by their files, then by position", "[compare]") {
  CHECK(CompareRuns({arm("a.toml", firm("same", 1)), arm("b.toml", firm("same", 1))}).names() ==
        std::vector<std::string>{"a", "b"});
  CHECK(CompareRuns({arm("x/a.toml", firm("same", 1)), arm("y/a.toml", firm("same", 1))}).names() ==
        std::vector<std::string>{"same#1", "same#2"});
}

TEST_CASE("A scenario with another horizon is refused, naming its file", "[compare]") {
  try {
    CompareRuns({arm("a.toml", firm("base", 1)), arm("b.toml", firm("other", 1, 9))});
    FAIL("no refusal");
  } catch (const ScenarioError& error) {
    CHECK_THAT(error.what(), Catch::Contains("b.toml") && Catch::Contains("scenario.steps"));
  }
}

}  // namespace orgsim
