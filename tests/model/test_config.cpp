#include <catch2/catch.hpp>

#include "model/config.hpp"
#include "scenario/parameters.hpp"
#include "scenario/values.hpp"
#include "support/scenarios.hpp"

namespace orgsim {

TEST_CASE("Every intervention kind a scenario may name has a plan in the engine", "[config]") {
  const auto* row = scenario::find_parameter("interventions.kind");
  REQUIRE(row != nullptr);
  const auto names = scenario::detail::split_choices(row->choices);
  REQUIRE(names.size() == 10);
  for (const auto& name : names) {
    INFO(name);
    CHECK(intervention_kind(name).has_value());
  }
  CHECK_FALSE(intervention_kind("reorganization").has_value());
}

TEST_CASE("The engine's config holds every resolved key and refuses an unknown one", "[config]") {
  const auto config = testing::config_from(
      "[scenario]\nsteps = 3\n[[departments]]\nname = \"A\"\nheadcount = 10\n", {"knowledge.dimensions=12"});
  CHECK(config->integer("knowledge.dimensions") == 12);
  CHECK(config->steps == 3);
  CHECK(config->department_count() == 1);
  CHECK_THROWS_AS(config->real("knowledge.no_such_key"), std::logic_error);
}

}  // namespace orgsim
