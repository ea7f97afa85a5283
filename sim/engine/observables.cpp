#include "engine/observables.hpp"

namespace orgsim {

// The organization never changes during a run (a leaver's replacement takes
// the leaver's place), so the headcounts are counted once.
Observer::Observer(const Organization& organization, const EngineConfig& config)
    : organization_(organization), config_(config), members_(organization.departments.size() + 1, 0.0) {
  for (const auto d : organization.department) members_[d] += 1;
}

void Observer::observe(const AgentState& agents, const SharedState& shared, const StepTally& tally,
                       std::span<double> org, std::span<double> departments) const {
  const Observation now{config_, organization_, agents, shared, tally, members_};
  const std::size_t department_stride = department_observables().size();
  for (const auto& entry : observable_topics()) {
    ObservableSlots slots(org.subspan(entry.first_organization, entry.organization_count), departments,
                          department_stride, entry.first_department);
    entry.topic.compute(now, slots);
  }
}

}  // namespace orgsim
