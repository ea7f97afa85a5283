// What this step's encounters across departments turned into: blame, and
// beliefs passed on (in collaborations and listening sessions).
#include "engine/observables/topics.hpp"

namespace orgsim {
namespace {

namespace slot {
enum : std::size_t { blame_rate, knowledge_transfers };
}  // namespace slot

void observe_encounters(const Observation& now, ObservableSlots& slots) {
  slots.organization(slot::blame_rate) =
      observing::ratio(static_cast<double>(now.tally.blames), static_cast<double>(now.tally.games_across));
  slots.organization(slot::knowledge_transfers) = static_cast<double>(now.tally.transfers);
}

}  // namespace

// clang-format off
ObservableTopic encounter_observables() {
  return {"encounters", {
    {.name = "blame_rate", .unit = "1",
     .description = "Share of this step's games across departments that turned into blame (NaN when none)."},
    {.name = "knowledge_transfers", .unit = "belief",
     .description = "Beliefs passed across departments this step, in collaborations and listening sessions."},
  }, observe_encounters};
}
// clang-format on

}  // namespace orgsim
