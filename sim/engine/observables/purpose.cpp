// Sense of shared purpose phi: its mean and spread over agents, and each
// department's mean.
#include <cmath>

#include "engine/observables/topics.hpp"

namespace orgsim {
namespace {

using observing::ratio;

namespace slot {
enum : std::size_t { purpose_mean, purpose_sd };
enum : std::size_t { dept_purpose_mean };
}  // namespace slot

void observe_purpose(const Observation& now, ObservableSlots& slots) {
  const auto& agents = now.agents;
  const std::uint32_t n = agents.agent_count;
  const std::size_t department_count = now.organization.departments.size();
  observing::DepartmentSums sums(department_count);
  // Summed agent by agent, not from the departments' sums: the rounding the results file has always had.
  double sum = 0;
  for (std::uint32_t agent = 0; agent < n; ++agent) {
    sums.add(now.organization.department[agent], agents.purpose[agent]);
    sum += agents.purpose[agent];
  }
  const auto& by_department = sums.sums();
  const double mean = sum / n;
  slots.organization(slot::purpose_mean) = mean;
  // Two passes: E[x^2] - E[x]^2 loses precision as purpose converges.
  double deviation = 0;
  for (const double phi : agents.purpose) deviation += (phi - mean) * (phi - mean);
  slots.organization(slot::purpose_sd) = std::sqrt(deviation / n);
  for (std::size_t d = 0; d < department_count; ++d)
    slots.department(d, slot::dept_purpose_mean) = ratio(by_department[d], now.members[d]);
}

}  // namespace

// clang-format off
ObservableTopic purpose_observables() {
  return {"purpose", {
    {.name = "purpose_mean", .unit = "1", .description = "Mean sense of shared purpose phi.",
     .key_outcome = true, .compare_row = 4},
    {.name = "purpose_sd", .unit = "1", .description = "Standard deviation of phi over agents."},
    {.name = "dept_purpose_mean", .unit = "1", .description = "Mean phi of the members.",
     .level = ObservableLevel::department},
  }, observe_purpose};
}
// clang-format on

}  // namespace orgsim
