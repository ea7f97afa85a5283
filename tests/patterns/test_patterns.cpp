// Pattern tests: the effects the what-if scenarios claim, each in its stated
// direction, significant, and at least the documented effect size.
//
// Test statistic: a one-sided paired t-test on per-replicate outcomes. The
// arms share their seeds (common random numbers: the same organization,
// initial state and random streams per replicate), so pairing removes the
// between-replicate variation; each outcome averages hundreds of agents over
// many steps, so it is close to normal and a t-test fits. The significance
// level is 0.001. The effect size is Cohen's d (difference of means over the
// pooled standard deviation of the two arms), the figure each scenario file
// documents.
#include <fmt/core.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>

#include "engine/simulation.hpp"
#include "support/paired_test.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

using testing::check_claim;
using testing::compare;
using Outcome = std::function<double(const RunResult&)>;

// Every replicate of one arm: the scenario file with the arm's overrides.
std::vector<RunResult> arm(const std::string& file, const std::vector<std::string>& overrides) {
  const auto scenario = Scenario::from_file(testing::source_path(file), overrides);
  const auto config = std::make_shared<const EngineConfig>(EngineConfig::from(scenario));
  const auto seed = static_cast<std::uint64_t>(scenario.integer("scenario.seed"));
  const auto replicates = static_cast<std::uint64_t>(scenario.integer("scenario.replicates"));
  std::vector<RunResult> runs;
  for (std::uint64_t replicate = 0; replicate < replicates; ++replicate) {
    runs.push_back(Simulation(config, RunKey{seed, 0, replicate}).run());
  }
  return runs;
}

std::vector<double> outcomes(const std::vector<RunResult>& runs, const Outcome& outcome) {
  std::vector<double> values;
  for (const auto& run : runs) values.push_back(outcome(run));
  return values;
}

Outcome at_end(OrgObservable which) {
  return [which](const RunResult& result) {
    const std::size_t steps = result.recorded_steps() - 1;
    return result.organization_at(steps, which);
  };
}

// Mean (or total) over steps first..last.
Outcome over_steps(OrgObservable which, std::size_t first, std::size_t last, bool total) {
  return [=](const RunResult& result) {
    REQUIRE(last < result.recorded_steps());  // the scenario's horizon covers the window
    double sum = 0;
    for (std::size_t t = first; t <= last; ++t) sum += result.organization_at(t, which);
    return total ? sum : sum / static_cast<double>(last - first + 1);
  };
}

// Steps until 90% hold only the dominant word; the horizon + 1 when never.
double steps_to_consensus(const RunResult& result) {
  const std::size_t steps = result.recorded_steps();
  for (std::size_t t = 0; t < steps; ++t) {
    if (result.organization_at(t, OrgObservable::consensus_share) >= 0.9) return static_cast<double>(t);
  }
  return static_cast<double>(steps);
}

}  // namespace

TEST_CASE("Servant leadership raises trust, keeps authority, more knowledge, fewer leavers", "[patterns]") {
  const std::string file = "scenarios/whatif/servant_leadership.toml";
  const auto control = arm(file, {});
  const auto servant =
      arm(file, {"leadership.ceo_style=0.9", "departments.Sales.leadership_style=0.9",
                 "departments.Operations.leadership_style=0.9", "departments.Service.leadership_style=0.9"});
  const auto claim = [&](const std::string& name, const Outcome& outcome, bool increase, double minimum_d) {
    check_claim(name, compare(outcomes(control, outcome), outcomes(servant, outcome), increase), minimum_d);
  };
  claim("trust_mean", at_end(OrgObservable::trust_mean), true, 2.0);
  claim("managers_without_authority", at_end(OrgObservable::managers_without_authority), false, 2.0);
  claim("individual_knowledge", at_end(OrgObservable::individual_knowledge), true, 0.8);
  claim("leavers over five years", over_steps(OrgObservable::leavers, 1, 260, true), false, 0.8);
}

TEST_CASE("Client pressure without inclusion lowers engagement and raises turnover; inclusion reverses it",
          "[patterns]") {
  const std::string file = "scenarios/whatif/client_pressure.toml";
  const auto calm = arm(file, {"interventions.pressure.enabled=false"});
  const auto pressure = arm(file, {});
  const auto inclusion =
      arm(file, {"interventions.inclusion.enabled=true", "interventions.feedback.enabled=true"});
  const auto engagement = over_steps(OrgObservable::engagement_mean, 209, 260, false);
  const auto leavers = over_steps(OrgObservable::leavers, 209, 260, true);
  check_claim("engagement, pressure vs calm",
              compare(outcomes(calm, engagement), outcomes(pressure, engagement), false), 2.0);
  check_claim("leavers, pressure vs calm",
              compare(outcomes(calm, leavers), outcomes(pressure, leavers), true), 1.0);
  check_claim("engagement, inclusion vs pressure",
              compare(outcomes(pressure, engagement), outcomes(inclusion, engagement), true), 2.0);
  check_claim("leavers, inclusion vs pressure",
              compare(outcomes(pressure, leavers), outcomes(inclusion, leavers), false), 1.0);
}

TEST_CASE("Listening sessions cut blame and raise collaboration and knowledge across silos", "[patterns]") {
  const std::string file = "scenarios/whatif/listening_sessions.toml";
  const auto without = arm(file, {});
  const auto with = arm(file, {"interventions.listening.enabled=true"});
  const auto claim = [&](const std::string& name, OrgObservable which, bool increase, double minimum_d) {
    const auto last_year = over_steps(which, 209, 260, false);
    check_claim(name, compare(outcomes(without, last_year), outcomes(with, last_year), increase), minimum_d);
  };
  claim("blame_rate", OrgObservable::blame_rate, false, 2.0);
  claim("success_across (collaboration)", OrgObservable::success_across, true, 2.0);
  claim("silo_divergence", OrgObservable::silo_divergence, false, 1.0);
  claim("individual_knowledge", OrgObservable::individual_knowledge, true, 0.5);
}

TEST_CASE("Low trust and no common language widen the perception gap; a feedback loop narrows it",
          "[patterns]") {
  const std::string file = "scenarios/whatif/perception_gap.toml";
  const auto as_it_is = arm(file, {});
  const auto trust_and_language =
      arm(file, {"leadership.ceo_style=0.9", "departments.Sales.leadership_style=0.9",
                 "departments.Delivery.leadership_style=0.9", "departments.Service.leadership_style=0.9",
                 "departments.Sales.jargon=service", "departments.Delivery.jargon=service",
                 "departments.Service.jargon=service"});
  const auto feedback = arm(file, {"interventions.feedback.enabled=true"});
  const auto gap = over_steps(OrgObservable::perception_gap, 209, 260, false);
  check_claim("perception_gap, trust and language vs as it is",
              compare(outcomes(as_it_is, gap), outcomes(trust_and_language, gap), false), 2.0);
  check_claim("perception_gap, feedback loop vs as it is",
              compare(outcomes(as_it_is, gap), outcomes(feedback, gap), false), 2.0);
}

TEST_CASE(
    "One language programme brings consensus far sooner than six competing ones, and an early CEO "
    "sooner still",
    "[patterns]") {
  const std::string file = "scenarios/whatif/common_language.toml";
  std::vector<std::string> one_programme;
  for (int p = 2; p <= 6; ++p)
    one_programme.push_back(fmt::format("interventions.programme{}.enabled=false", p));
  auto early_overrides = one_programme;
  early_overrides.emplace_back("interventions.role_model.start=4");
  const auto six = arm(file, {});
  const auto one_late = arm(file, one_programme);
  const auto one_early = arm(file, early_overrides);
  const auto year_one = over_steps(OrgObservable::consensus_share, 52, 52, false);
  check_claim("steps to 90% consensus, one programme vs six",
              compare(outcomes(six, steps_to_consensus), outcomes(one_late, steps_to_consensus), false), 2.0);
  check_claim("consensus_share at step 52, one programme vs six",
              compare(outcomes(six, year_one), outcomes(one_late, year_one), true), 2.0);
  check_claim("steps to 90% consensus, one programme, CEO early vs late",
              compare(outcomes(one_late, steps_to_consensus), outcomes(one_early, steps_to_consensus), false),
              1.5);
}

TEST_CASE("Silo incentives lower alignment and shared purpose; a shared definition of service raises them",
          "[patterns]") {
  const std::string file = "scenarios/whatif/shared_definition.toml";
  const auto silo = arm(file, {});
  const auto weaker =
      arm(file, {"departments.Sales.incentive_weight=0.1", "departments.Delivery.incentive_weight=0.1",
                 "departments.Service.incentive_weight=0.1"});
  const auto definition = arm(file, {"interventions.definition.enabled=true"});
  const auto claim = [&](const std::string& name, const std::vector<RunResult>& base,
                         const std::vector<RunResult>& alternative, OrgObservable which, bool increase,
                         double minimum_d) {
    check_claim(name, compare(outcomes(base, at_end(which)), outcomes(alternative, at_end(which)), increase),
                minimum_d);
  };
  claim("code_alignment, weaker vs silo incentives", silo, weaker, OrgObservable::code_alignment, true, 2.0);
  claim("silo_divergence, weaker vs silo incentives", silo, weaker, OrgObservable::silo_divergence, false,
        1.0);
  claim("purpose_sd, weaker vs silo incentives", silo, weaker, OrgObservable::purpose_sd, false, 2.0);
  claim("purpose_mean, shared definition vs none", silo, definition, OrgObservable::purpose_mean, true, 2.0);
  claim("code_alignment, shared definition vs none", silo, definition, OrgObservable::code_alignment, true,
        1.0);
}

}  // namespace orgsim
