#pragma once
// Reading a run's recorded observables in tests.
#include <cstdint>

#include "engine/simulation.hpp"

namespace orgsim::testing {

inline double org_value(const RunResult& result, std::uint32_t step, OrgObservable which) {
  return result.organization_at(step, which);
}

}  // namespace orgsim::testing
