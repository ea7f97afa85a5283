#pragma once
// How much memory a run takes, and the refusal of a scenario that would not
// fit: before anything is allocated, so a too-large organization gets a
// located error instead of an out-of-memory kill.
#include <cstdint>

#include "model/config.hpp"

namespace orgsim {

class Scenario;

// Peak bytes one run needs (state, network under construction, observables).
std::uint64_t estimated_run_bytes(const EngineConfig& config);

// Throws ScenarioError(too_large) when `concurrent_runs` runs of the scenario
// would not fit in this machine's memory; called before anything is allocated.
void check_fits_in_memory(const Scenario& scenario, const EngineConfig& config,
                          std::uint32_t concurrent_runs);

}  // namespace orgsim
