// Turnover: the employees replaced this step.
#include "engine/observables/topics.hpp"

namespace orgsim {

// clang-format off
ObservableTopic turnover_observables() {
  return {"turnover", {
    {.name = "leavers", .unit = "agent", .description = "Employees replaced this step.",
     .compare_row = 8, .compare_total = true},
  }, [](const Observation& now, ObservableSlots& slots) {
    slots.organization(0) = static_cast<double>(now.tally.leavers);
  }};
}
// clang-format on

}  // namespace orgsim
