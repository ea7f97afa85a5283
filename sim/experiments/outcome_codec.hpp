#pragma once
// A finished run as bytes, for the trip from the MPI rank that computed it to
// the rank that writes the file. Packed chunks travel as they are; the raw
// observables travel only when the run was not packed (a horizon that spans
// several chunks), so a message carries each value once.
#include <cstdint>
#include <span>
#include <vector>

#include "experiments/replicates.hpp"

namespace orgsim {

std::vector<std::uint8_t> encode_outcome(const RunOutcome& outcome);
// Throws std::runtime_error on a truncated or malformed message.
RunOutcome decode_outcome(std::span<const std::uint8_t> bytes);

}  // namespace orgsim
