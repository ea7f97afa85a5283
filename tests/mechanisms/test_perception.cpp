// V (perception up the hierarchy): one report, aggregation to the CEO,
// rising expectations, and the bias that low trust adds.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine/simulation.hpp"
#include "mechanisms/perception.hpp"
#include "support/results.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

using testing::org_value;

const std::string kCompany =
    "[scenario]\nsteps = 40\n[perception]\nenabled = true\n"
    "[[departments]]\nname = \"Sales\"\nheadcount = 50\njargon = \"deal\"\n"
    "[[departments]]\nname = \"Care\"\nheadcount = 30\njargon = \"care\"\n";

}  // namespace

TEST_CASE("A report is the view, plus good-news bias at low trust, plus noise without a shared word",
          "[perception]") {
  const auto config =
      testing::config_from(kCompany, {"perception.report_bias=0.4", "perception.report_noise=0.1"});
  Simulation simulation(config, RunKey{1, 0, 0});
  auto& agents = simulation.agents();
  const auto& org = simulation.organization();
  const PerceptionMechanism perception(*config, org);
  RandomStream stream(2, StreamId::perception);
  const std::uint32_t sender =
      org.departments[0].first_agent + 30;  // frontline, shares "deal" with the manager
  agents.trust[sender] = 1.0F;
  CHECK(perception.report(agents, sender, 0.5, stream) == 0.5);
  agents.trust[sender] = 0.0F;
  CHECK(perception.report(agents, sender, 0.5, stream) == Approx(0.5 + 0.4 * 0.5));
  agents.trust[sender] = 1.0F;
  agents.words.clear(sender);
  double sum = 0, squares = 0;
  constexpr int kReports = 20000;
  for (int i = 0; i < kReports; ++i) {
    const double deviation = perception.report(agents, sender, 0.5, stream) - 0.5;
    sum += deviation;
    squares += deviation * deviation;
  }
  // Noise 0.1 is far from the clipping bounds: mean 0 (SE 0.0007), sd 0.1 (SE 0.0005).
  CHECK(sum / kReports == Approx(0.0).margin(0.003));
  CHECK(std::sqrt(squares / kReports) == Approx(0.1).margin(0.003));
}

TEST_CASE("Without bias or noise the CEO hears the hierarchy's average, judged against expectations",
          "[perception]") {
  const auto config =
      testing::config_from(kCompany, {"perception.report_bias=0", "perception.report_noise=0",
                                      "perception.customer_expectation=0.3",
                                      "perception.expectation_growth=0.01", "knowledge.enabled=false"});
  const auto result = Simulation(config, RunKey{3, 0, 0}).run();
  // With K off every action score is 0, so every agent delivers 0.5 (engagement 1):
  // the average of averages is 0.5 and the CEO sees 0.5 - (0.3 + 0.01 t).
  for (std::uint32_t t = 1; t <= 40; ++t) {
    CHECK(org_value(result, t, OrgObservable::actual_value) == Approx(0.5));
    CHECK(org_value(result, t, OrgObservable::leader_perceived_value) == Approx(0.5 - 0.3 - 0.01 * t));
    CHECK(org_value(result, t, OrgObservable::frontline_perceived_value) == Approx(0.0));
  }
  CHECK(std::isnan(org_value(result, 0, OrgObservable::actual_value)));
}

TEST_CASE("Low trust inflates what leaders hear", "[perception]") {
  // Pure control drives trust to the floor (0), servant leadership to 1 (no
  // word term): the good-news bias then separates what the CEO hears from
  // what is delivered. Same seeds; 3 replicates.
  const auto inflation = [](const std::string& style) {
    double sum = 0;
    for (std::uint64_t replicate = 0; replicate < 3; ++replicate) {
      const auto config = testing::config_from(
          kCompany,
          {"leadership.enabled=true", "leadership.compliance_floor=0", "leadership.language_weight=0",
           "leadership.ceo_style=" + style, "departments.Sales.leadership_style=" + style,
           "departments.Care.leadership_style=" + style, "departments.Sales.leadership_spread=0",
           "departments.Care.leadership_spread=0", "perception.report_noise=0",
           "perception.expectation_growth=0", "perception.customer_expectation=0"});
      const auto result = Simulation(config, RunKey{4, 0, replicate}).run();
      sum += org_value(result, 40, OrgObservable::leader_perceived_value) -
             org_value(result, 40, OrgObservable::actual_value);
    }
    return sum / 3;
  };
  const double servant = inflation("1");
  const double control = inflation("0");
  CAPTURE(servant, control);
  CHECK(std::abs(servant) < 0.02);  // trust ~1: reports are the truth, up to averaging
  CHECK(control > servant + 0.1);   // three levels of beta (1 - v) bias compound
}

}  // namespace orgsim
