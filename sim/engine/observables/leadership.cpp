// Leadership: trust tau in the own manager, and the authority it confers on
// people with direct reports.
#include "engine/observables/topics.hpp"
#include "model/queries.hpp"

namespace orgsim {
namespace {

using observing::ratio;
using observing::total;

namespace slot {
enum : std::size_t { trust_mean, authority_mean, managers_without_authority };
enum : std::size_t { dept_trust_mean };
}  // namespace slot

void observe_leadership(const Observation& now, ObservableSlots& slots) {
  const auto& organization = now.organization;
  const std::uint32_t n = now.agents.agent_count;
  const std::size_t department_count = organization.departments.size();
  const double threshold = now.config.real("leadership.authority_threshold");
  observing::DepartmentSums sums(department_count);
  double authority_total = 0;
  double leaders = 0;
  double without_authority = 0;
  for (std::uint32_t agent = 0; agent < n; ++agent) {
    sums.add(organization.department[agent], now.agents.trust[agent]);
    if (organization.direct_reports(agent).empty()) continue;
    const double authority = mean_report_trust(organization, now.agents, agent);
    authority_total += authority;
    leaders += 1;
    without_authority += authority < threshold ? 1 : 0;
  }
  const auto& trust = sums.sums();
  slots.organization(slot::trust_mean) = total(trust) / n;
  slots.organization(slot::authority_mean) = ratio(authority_total, leaders);
  slots.organization(slot::managers_without_authority) = without_authority;
  for (std::size_t d = 0; d < department_count; ++d)
    slots.department(d, slot::dept_trust_mean) = ratio(trust[d], now.members[d]);
}

}  // namespace

// clang-format off
ObservableTopic leadership_observables() {
  return {"leadership", {
    {.name = "trust_mean", .unit = "1",
     .description = "Mean trust in the own manager.", .compare_row = 5},
    {.name = "authority_mean", .unit = "1",
     .description = "Mean authority of people with direct reports: the mean trust of their reports."},
    {.name = "managers_without_authority", .unit = "agent",
     .description = "People with direct reports whose authority is below the threshold, so their top-down "
                    "influence is zero."},
    {.name = "dept_trust_mean", .unit = "1", .description = "Mean trust of the members in their managers.",
     .level = ObservableLevel::department},
  }, observe_leadership};
}
// clang-format on

}  // namespace orgsim
