#pragma once
// Questions about the state that several mechanisms and the observables ask,
// answered once here so that no mechanism reads another's code.
#include <cstdint>

#include "model/organization.hpp"
#include "model/state.hpp"

namespace orgsim {

// A manager's authority: the mean trust of the direct reports (1 with no reports).
double mean_report_trust(const Organization& organization, const AgentState& agents, std::uint32_t manager);

// Whether two agents share a word for service.
bool share_a_word(const WordInventories& words, std::uint32_t a, std::uint32_t b);

}  // namespace orgsim
