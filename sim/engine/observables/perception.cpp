// Perception: the service value the front line delivers, as leaders hear it
// and as the front line sees it.
#include "engine/observables/topics.hpp"

namespace orgsim {
namespace {

namespace slot {
enum : std::size_t { actual_value, leader_perceived_value, frontline_perceived_value, perception_gap };
}  // namespace slot

void observe_perception(const Observation& now, ObservableSlots& slots) {
  const auto& shared = now.shared;
  slots.organization(slot::actual_value) = shared.actual_value;
  slots.organization(slot::leader_perceived_value) = shared.leader_perceived_value;
  slots.organization(slot::frontline_perceived_value) = shared.frontline_perceived_value;
  slots.organization(slot::perception_gap) = shared.leader_perceived_value - shared.frontline_perceived_value;
}

}  // namespace

// clang-format off
ObservableTopic perception_observables() {
  return {"perception", {
    {.name = "actual_value", .unit = "1",
     .description = "Service value the front line delivers: share of actions matching customer reality, "
                    "times engagement, less the cost of blame."},
    {.name = "leader_perceived_value", .unit = "1",
     .description = "Value as the CEO hears it through the hierarchy's reports, minus rising customer "
                    "expectations."},
    {.name = "frontline_perceived_value", .unit = "1",
     .description = "Value as the front line sees what it delivers, minus its own norm."},
    {.name = "perception_gap", .unit = "1",
     .description = "leader_perceived_value - frontline_perceived_value; positive when leaders think service "
                    "better than the front line does.",
     .compare_row = 7},
  }, observe_perception};
}
// clang-format on

}  // namespace orgsim
