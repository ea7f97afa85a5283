#include "engine/observables.hpp"

#include <algorithm>
#include <limits>

namespace orgsim {

// The organization never changes during a run (a leaver's replacement takes
// the leaver's place), so the headcounts are counted once.
Observer::Observer(const Organization& organization, const EngineConfig& config)
    : organization_(organization),
      config_(config),
      members_(organization.departments.size() + 1, 0.0),
      computed_(observable_topics().size(), true) {
  for (const auto d : organization.department) members_[d] += 1;
}

void Observer::skip_switched_off(std::span<const MechanismSlot> mechanisms) {
  const auto topics = observable_topics();
  for (std::size_t i = 0; i < topics.size(); ++i) {
    const auto owner = std::find_if(mechanisms.begin(), mechanisms.end(), [&](const MechanismSlot& slot) {
      return slot.descriptor->name() == topics[i].topic.name;
    });
    computed_[i] = owner == mechanisms.end() || owner->enabled;
  }
}

void Observer::observe(const AgentState& agents, const SharedState& shared, const StepTally& tally,
                       std::span<double> org, std::span<double> departments) const {
  const Observation now{config_, organization_, agents, shared, tally, members_};
  const std::size_t department_stride = department_observables().size();
  const auto topics = observable_topics();
  constexpr double kNotComputed = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < topics.size(); ++i) {
    const auto& entry = topics[i];
    ObservableSlots slots(org.subspan(entry.first_organization, entry.organization_count), departments,
                          department_stride, entry.first_department);
    if (i >= computed_.size() || computed_[i]) {  // a topic registered since the run began is computed
      entry.topic.compute(now, slots);
      continue;
    }
    for (std::size_t k = 0; k < entry.organization_count; ++k) slots.organization(k) = kNotComputed;
    for (std::size_t d = 0; d < organization_.departments.size(); ++d) {
      for (std::size_t k = 0; k < entry.department_count; ++k) slots.department(d, k) = kNotComputed;
    }
  }
}

}  // namespace orgsim
