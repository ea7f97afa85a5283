#include "model/organization.hpp"

#include <algorithm>
#include <cmath>

#include "scenario/scenario.hpp"

namespace orgsim {
namespace {

using Tie = std::pair<std::uint32_t, std::uint32_t>;

// Ring lattice of floor(k/2) neighbours a side, plus the next neighbour with
// probability frac(k/2), so the mean degree is k for any real k; each tie is
// rewired with probability beta to a random colleague of the same department
// (Watts & Strogatz 1998). Small departments cap the degree at size - 1.
void add_small_world(std::vector<Tie>& ties, std::uint32_t first, std::uint32_t size, double degree,
                     double rewiring, RandomStream& stream) {
  if (size < 2) return;
  const double half_degree = degree / 2.0;
  const auto whole = static_cast<std::uint32_t>(std::floor(half_degree));
  const double fraction = half_degree - std::floor(half_degree);
  const BernoulliThreshold extra(fraction);
  const BernoulliThreshold rewire(rewiring);
  const std::uint32_t widest = std::min<std::uint32_t>(whole + (fraction > 0 ? 1 : 0), size / 2);
  for (std::uint32_t offset = 1; offset <= widest; ++offset) {
    const bool partial = offset > whole;
    for (std::uint32_t i = 0; i < size; ++i) {
      if (partial && !extra(stream)) continue;
      std::uint32_t j = (i + offset) % size;
      if (rewire(stream)) j = stream.below(size);
      ties.emplace_back(first + i, first + j);
    }
  }
}

// G(n, M) with M = n * degree / 2 ties among the department's members.
void add_random(std::vector<Tie>& ties, std::uint32_t first, std::uint32_t size, double degree,
                RandomStream& stream) {
  if (size < 2) return;
  const auto count = static_cast<std::uint64_t>(std::llround(size * degree / 2.0));
  for (std::uint64_t t = 0; t < count; ++t)
    ties.emplace_back(first + stream.below(size), first + stream.below(size));
}

void add_cross_department(std::vector<Tie>& ties, const Organization& org, double degree,
                          RandomStream& stream) {
  if (org.departments.size() < 2) return;
  const std::uint32_t n = org.agent_count();
  const auto count = static_cast<std::uint64_t>(std::llround(n * degree / 2.0));
  for (std::uint64_t t = 0; t < count; ++t) {
    const std::uint32_t a = stream.below(n);
    std::uint32_t b = stream.below(n);
    while (org.department[b] == org.department[a]) b = stream.below(n);
    ties.emplace_back(a, b);
  }
}

}  // namespace

OrganizationDesign OrganizationDesign::from(const Scenario& scenario) {
  OrganizationDesign design;
  for (const auto& department : scenario.departments()) {
    design.department_names.push_back(department.name);
    design.headcounts.push_back(static_cast<std::uint32_t>(department.integer("headcount")));
  }
  design.span_of_control = static_cast<std::uint32_t>(scenario.integer("organization.span_of_control"));
  design.within_degree = scenario.real("organization.within_degree");
  design.cross_degree = scenario.real("organization.cross_degree");
  design.rewiring = scenario.real("organization.rewiring");
  design.reporting_ties = scenario.boolean("organization.reporting_ties");
  const auto& network = scenario.text("organization.network");
  design.network = network == "complete" ? NetworkKind::complete
                   : network == "random" ? NetworkKind::random
                                         : NetworkKind::small_world;
  return design;
}

std::uint32_t OrganizationDesign::agent_count() const {
  std::uint64_t total = 1;
  for (auto h : headcounts) total += h;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(total, UINT32_MAX));
}

std::uint64_t OrganizationDesign::expected_edges() const {
  if (network == NetworkKind::complete) return 0;
  const double n = agent_count();
  return static_cast<std::uint64_t>(n * (within_degree + cross_degree) / 2.0 + (reporting_ties ? n : 0.0)) +
         1;
}

InformalNetwork InformalNetwork::complete(std::uint32_t agent_count) {
  InformalNetwork network;
  network.complete_ = true;
  network.agent_count_ = agent_count;
  return network;
}

InformalNetwork InformalNetwork::from_ties(std::uint32_t agent_count, std::vector<Tie> ties) {
  std::vector<Tie> directed;
  directed.reserve(ties.size() * 2);
  for (auto [a, b] : ties) {
    if (a == b) continue;
    directed.emplace_back(a, b);
    directed.emplace_back(b, a);
  }
  ties.clear();
  ties.shrink_to_fit();
  std::sort(directed.begin(), directed.end());
  directed.erase(std::unique(directed.begin(), directed.end()), directed.end());
  InformalNetwork network;
  network.agent_count_ = agent_count;
  // The edge count lets Boost size the column array exactly instead of growing it.
  network.graph_ = Graph(boost::edges_are_sorted, directed.begin(), directed.end(), agent_count,
                         static_cast<std::uint32_t>(directed.size()));
  return network;
}

Organization Organization::build(const OrganizationDesign& design, RandomStream& stream) {
  Organization org;
  const std::uint32_t n = design.agent_count();
  const auto executive = static_cast<std::uint16_t>(design.headcounts.size());
  org.department.assign(n, executive);
  org.level.assign(n, Level::ceo);
  org.manager.assign(n, 0);

  std::uint32_t next = 1;
  for (std::size_t d = 0; d < design.headcounts.size(); ++d) {
    const std::uint32_t headcount = design.headcounts[d];
    const std::uint32_t head = next;
    org.departments.push_back({design.department_names[d], head, headcount});
    std::fill_n(org.department.begin() + head, headcount, static_cast<std::uint16_t>(d));
    org.level[head] = Level::head;
    org.manager[head] = 0;
    const std::uint32_t rest = headcount - 1;
    const std::uint32_t span = design.span_of_control;
    // Small departments need no middle managers: everyone reports to the head.
    const std::uint32_t managers = rest <= span ? 0 : (rest + span) / (span + 1);
    for (std::uint32_t k = 0; k < managers; ++k) {
      org.level[head + 1 + k] = Level::manager;
      org.manager[head + 1 + k] = head;
    }
    for (std::uint32_t f = 0; f < rest - managers; ++f) {
      const std::uint32_t agent = head + 1 + managers + f;
      org.level[agent] = Level::frontline;
      org.manager[agent] = managers == 0 ? head : head + 1 + f % managers;
    }
    next += headcount;
  }

  org.report_start.assign(n + 1, 0);
  for (std::uint32_t agent = 1; agent < n; ++agent) ++org.report_start[org.manager[agent] + 1];
  for (std::uint32_t agent = 0; agent < n; ++agent) org.report_start[agent + 1] += org.report_start[agent];
  org.reports.resize(n - 1);
  std::vector<std::uint32_t> filled(org.report_start.begin(), org.report_start.end() - 1);
  for (std::uint32_t agent = 1; agent < n; ++agent) org.reports[filled[org.manager[agent]]++] = agent;

  if (design.network == NetworkKind::complete) {
    org.network = InformalNetwork::complete(n);
    return org;
  }
  std::vector<Tie> ties;
  ties.reserve(design.expected_edges());
  for (const auto& department : org.departments) {
    if (design.network == NetworkKind::small_world) {
      add_small_world(ties, department.first_agent, department.headcount, design.within_degree,
                      design.rewiring, stream);
    } else {
      add_random(ties, department.first_agent, department.headcount, design.within_degree, stream);
    }
  }
  add_cross_department(ties, org, design.cross_degree, stream);
  if (design.reporting_ties) {
    for (std::uint32_t agent = 1; agent < n; ++agent) ties.emplace_back(agent, org.manager[agent]);
  }
  org.network = InformalNetwork::from_ties(n, std::move(ties));
  return org;
}

}  // namespace orgsim
