#pragma once
// One run of a results file computed again from what the file records: the
// scenario, and the run's point, replicate, seed and swept values as stored,
// not a design regenerated from the scenario, which another build could draw
// differently (orgsim rerun).
#include <cstdint>
#include <string>
#include <vector>

#include "core/random.hpp"

namespace orgsim {

struct Rerun {
  RunKey key;
  std::uint64_t seed = 0;
  std::vector<std::string> assignments;  // the swept values, as --set assignments
  bool reproduced = false;               // every observable bit for bit as stored
  std::size_t organization_values = 0, department_values = 0;
};

// Refuses (OutputError) a run that is not done and a sweep file whose
// swept parameters its recorded scenario does not declare.
Rerun rerun_stored(const std::string& file, std::uint64_t run);

}  // namespace orgsim
