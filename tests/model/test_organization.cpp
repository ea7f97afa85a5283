// The organization: hierarchy from department sizes, the informal network's
// shape and degrees, and that the same seed builds the same organization.
#include <fmt/core.h>
#include <catch2/catch.hpp>
#include <set>

#include "model/organization.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

OrganizationDesign design_from(const std::string& organization_section, const std::string& departments) {
  return OrganizationDesign::from(
      testing::scenario_from("[organization]\n" + organization_section + departments));
}

const std::string kThreeDepartments =
    "[[departments]]\nname = \"A\"\nheadcount = 400\n[[departments]]\nname = \"B\"\nheadcount = 250\n"
    "[[departments]]\nname = \"C\"\nheadcount = 3\n";

Organization build(const OrganizationDesign& design, std::uint64_t seed) {
  RandomStream stream(seed, StreamId::network);
  return Organization::build(design, stream);
}

}  // namespace

TEST_CASE("Hierarchy: CEO, heads, managers by span of control, frontline", "[organization]") {
  const auto design = design_from("span_of_control = 8\n", kThreeDepartments);
  const auto org = build(design, 1);
  REQUIRE(org.agent_count() == 1 + 400 + 250 + 3);
  REQUIRE(org.departments.size() == 3);
  CHECK(org.level[0] == Level::ceo);
  CHECK(org.manager[0] == 0);
  CHECK(org.department[0] == org.executive());

  std::vector<std::uint32_t> reports(org.agent_count(), 0);
  for (std::uint32_t agent = 1; agent < org.agent_count(); ++agent) ++reports[org.manager[agent]];
  for (std::size_t d = 0; d < org.departments.size(); ++d) {
    const auto& layout = org.departments[d];
    CHECK(org.level[layout.first_agent] == Level::head);
    CHECK(org.manager[layout.first_agent] == 0);
    std::uint32_t managers = 0, frontline = 0;
    for (std::uint32_t agent = layout.first_agent; agent < layout.first_agent + layout.headcount; ++agent) {
      CHECK(org.department[agent] == d);
      if (org.level[agent] == Level::manager) {
        ++managers;
        CHECK(org.manager[agent] == layout.first_agent);
        CHECK(reports[agent] >= 1);
        CHECK(reports[agent] <= 8);
      }
      if (org.level[agent] == Level::frontline) {
        ++frontline;
        CHECK(org.department[org.manager[agent]] == d);
      }
    }
    CHECK(managers + frontline + 1 == layout.headcount);
    // Teams need ceil((n - 1) / (span + 1)) managers; a team small enough reports to the head.
    const std::uint32_t rest = layout.headcount - 1;
    CHECK(managers == (rest <= 8 ? 0 : (rest + 8) / 9));
  }
}

TEST_CASE("The reporting lines form a tree rooted at the CEO", "[organization]") {
  const auto org = build(design_from("span_of_control = 5\n", kThreeDepartments), 3);
  for (std::uint32_t agent = 1; agent < org.agent_count(); ++agent) {
    std::uint32_t current = agent;
    int hops = 0;
    while (current != 0 && hops < 4) {
      CHECK(org.level[org.manager[current]] < org.level[current]);
      current = org.manager[current];
      ++hops;
    }
    CHECK(current == 0);
    CHECK(hops <= static_cast<int>(org.level[agent]));
  }
}

TEST_CASE("Informal network: simple, symmetric, with the requested degrees", "[organization]") {
  const auto design = design_from(
      "within_degree = 10\ncross_degree = 2\nrewiring = 0.1\nreporting_ties = false\n", kThreeDepartments);
  const auto org = build(design, 5);
  const auto& network = org.network;
  double within = 0, across = 0;
  for (std::uint32_t agent = 0; agent < org.agent_count(); ++agent) {
    const auto ties = network.neighbours(agent);
    std::set<std::uint32_t> unique(ties.begin(), ties.end());
    CHECK(unique.size() == ties.size());
    CHECK(!unique.contains(agent));
    for (const auto other : ties) {
      const auto back = network.neighbours(other);
      CHECK(std::find(back.begin(), back.end(), agent) != back.end());
      (org.department[other] == org.department[agent] ? within : across) += 1;
    }
  }
  const double n = org.agent_count();
  // Lattice ties are exact before rewiring; rewiring and de-duplication lose
  // a few, and the 3-person department caps its own at 2.
  CHECK(within / n == Approx(10.0).margin(0.6));
  // Cross ties: round(n k_out / 2) draws, so a mean of k_out less duplicates.
  CHECK(across / n == Approx(2.0).margin(0.1));
  CHECK(network.tie_count() * 2 == static_cast<std::uint64_t>(within + across));
}

TEST_CASE("Small-world mean degree matches odd and fractional within_degree", "[organization]") {
  for (const double degree : {1.0, 5.0, 7.5}) {
    const auto org = build(design_from(fmt::format("within_degree = {}\ncross_degree = 0\nrewiring = 0.0\n"
                                                   "reporting_ties = false\n",
                                                   degree),
                                       "[[departments]]\nname = \"A\"\nheadcount = 5000\n"),
                           4);
    const double mean = 2.0 * static_cast<double>(org.network.tie_count()) / 5000.0;
    INFO("within_degree " << degree << ", mean degree " << mean);
    // Without rewiring the lattice has no duplicates: floor(k/2) whole
    // offsets plus 5,000 Bernoulli(frac) ties; SE of the mean < 0.015.
    CHECK(mean == Approx(degree).margin(0.06));
  }
}

TEST_CASE("Random (Erdos-Renyi) departments have Poisson degrees", "[organization]") {
  const auto org = build(design_from("network = \"random\"\nwithin_degree = 6\ncross_degree = 0\n"
                                     "reporting_ties = false\n",
                                     "[[departments]]\nname = \"A\"\nheadcount = 5000\n"),
                         9);
  double sum = 0, squares = 0;
  const auto& layout = org.departments[0];
  for (std::uint32_t agent = layout.first_agent; agent < layout.first_agent + layout.headcount; ++agent) {
    const double degree = static_cast<double>(org.network.neighbours(agent).size());
    sum += degree;
    squares += degree * degree;
  }
  const double mean = sum / layout.headcount;
  const double variance = squares / layout.headcount - mean * mean;
  // Mean and variance both ~6 (Poisson); with 5,000 agents the sampling SE of
  // each is below 0.1, so 0.3 is a 3-SE band plus the few lost duplicates.
  CHECK(mean == Approx(6.0).margin(0.3));
  CHECK(variance == Approx(6.0).margin(0.5));
}

TEST_CASE("Reporting lines are informal ties when asked", "[organization]") {
  const auto org = build(design_from("within_degree = 0\ncross_degree = 0\n", kThreeDepartments), 2);
  for (std::uint32_t agent = 1; agent < org.agent_count(); ++agent) {
    const auto ties = org.network.neighbours(agent);
    CHECK(std::find(ties.begin(), ties.end(), org.manager[agent]) != ties.end());
  }
  CHECK(org.network.tie_count() == org.agent_count() - 1);
}

TEST_CASE("Complete mode stores no ties", "[organization]") {
  const auto org = build(design_from("network = \"complete\"\n", kThreeDepartments), 2);
  CHECK(org.network.is_complete());
  CHECK(org.network.tie_count() == 0);
}

TEST_CASE("Same seed, same organization, another seed, another network", "[organization][reproducibility]") {
  const auto design = design_from("", kThreeDepartments);
  const auto first = build(design, 11);
  const auto again = build(design, 11);
  const auto other = build(design, 12);
  bool all_equal = true, any_differs = false;
  for (std::uint32_t agent = 0; agent < first.agent_count(); ++agent) {
    const auto a = first.network.neighbours(agent);
    const auto b = again.network.neighbours(agent);
    const auto c = other.network.neighbours(agent);
    all_equal = all_equal && std::equal(a.begin(), a.end(), b.begin(), b.end());
    any_differs = any_differs || !std::equal(a.begin(), a.end(), c.begin(), c.end());
  }
  CHECK(all_equal);
  CHECK(any_differs);
  CHECK(first.manager == other.manager);  // the hierarchy does not depend on the seed
}

}  // namespace orgsim
