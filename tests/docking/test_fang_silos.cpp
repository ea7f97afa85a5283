// Docking pattern: Fang, Lee & Schilling (2010). People learn from the
// colleagues they are linked to who do better than they do; departments are
// the subgroups and organization.cross_degree the cross-group linking. The
// claim is their inverted U: moderate linking ends with more knowledge than
// isolated departments and than densely linked ones.
//
// Test statistic: for each comparison a one-sided paired t-test on the
// replicates' individual knowledge after 150 steps (equilibrium for these
// runs: docs/validation.md), arms paired by replicate seed (the same reality,
// initial beliefs and department networks; only the cross-department ties
// differ); significance level 0.001; Cohen's d >= 2 against isolation
// (measured 36.7) and >= 1.5 against dense linking (measured 2.0 to 4.3 over
// twelve scenario seeds at 20 replicates).
#include <catch2/catch.hpp>

#include "engine/simulation.hpp"
#include "support/paired_test.hpp"
#include "support/results.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

// Individual knowledge at the last step of every replicate at one cross_degree.
std::vector<double> final_knowledge(double cross_degree) {
  const auto scenario = Scenario::from_file(testing::source_path("scenarios/docking/fang_silos.toml"),
                                            {"organization.cross_degree=" + std::to_string(cross_degree)});
  const auto config = std::make_shared<const EngineConfig>(EngineConfig::from(scenario));
  const auto seed = static_cast<std::uint64_t>(scenario.integer("scenario.seed"));
  const auto replicates = static_cast<std::uint64_t>(scenario.integer("scenario.replicates"));
  std::vector<double> knowledge;
  for (std::uint64_t replicate = 0; replicate < replicates; ++replicate) {
    const auto result = Simulation(config, RunKey{seed, 0, replicate}).run();
    knowledge.push_back(testing::org_value(result, config->steps, OrgObservable::individual_knowledge));
  }
  return knowledge;
}

}  // namespace

TEST_CASE("Fang Lee Schilling 2010: moderate cross-department linking learns best", "[docking][fang]") {
  const auto isolated = final_knowledge(0);
  const auto moderate = final_knowledge(1);
  const auto dense = final_knowledge(16);
  testing::check_claim("individual_knowledge, moderate (1) vs isolated (0)",
                       testing::compare(isolated, moderate, true), 2.0);
  testing::check_claim("individual_knowledge, moderate (1) vs dense (16)",
                       testing::compare(dense, moderate, true), 1.5);
}

}  // namespace orgsim
