// Engagement e: the organization's mean and each department's.
#include "engine/observables/topics.hpp"

namespace orgsim {
namespace {

using observing::ratio;
using observing::total;

namespace slot {
enum : std::size_t { engagement_mean };
enum : std::size_t { dept_engagement_mean };
}  // namespace slot

void observe_engagement(const Observation& now, ObservableSlots& slots) {
  const std::uint32_t n = now.agents.agent_count;
  const std::size_t department_count = now.organization.departments.size();
  observing::DepartmentSums sums(department_count);
  for (std::uint32_t agent = 0; agent < n; ++agent)
    sums.add(now.organization.department[agent], now.agents.engagement[agent]);
  const auto& engagement = sums.sums();
  slots.organization(slot::engagement_mean) = total(engagement) / n;
  for (std::size_t d = 0; d < department_count; ++d)
    slots.department(d, slot::dept_engagement_mean) = ratio(engagement[d], now.members[d]);
}

}  // namespace

// clang-format off
ObservableTopic engagement_observables() {
  return {"engagement", {
    {.name = "engagement_mean", .unit = "1", .description = "Mean engagement.",
     .compare_row = 6},
    {.name = "dept_engagement_mean", .unit = "1", .description = "Mean engagement of the members.",
     .level = ObservableLevel::department},
  }, observe_engagement};
}
// clang-format on

}  // namespace orgsim
