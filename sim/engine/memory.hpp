#pragma once
// How much memory a run takes, and the refusal of a scenario that would not
// fit: before anything is allocated, so a too-large organization gets a
// located error instead of an out-of-memory kill.
#include <cstdint>
#include <string>
#include <string_view>

#include "model/config.hpp"

namespace orgsim {

class Scenario;

// Peak bytes one run needs (state, network under construction, observables).
std::uint64_t estimated_run_bytes(const EngineConfig& config);

// A value of /proc/self/status such as "VmHWM:" (the resident high-water
// mark) or "VmRSS:", in bytes; 0 where there is no such file or line.
std::uint64_t process_status_bytes(std::string_view key);

// The memory a new allocation can have now, and where that figure comes from:
// MemAvailable in /proc/meminfo (what the kernel can hand out without
// swapping, not the total RAM), or the cgroup's memory.max less its
// memory.current when that is smaller (a container's limit); the physical
// RAM when neither can be read.
struct AvailableMemory {
  std::uint64_t bytes = 0;
  std::uint64_t total = 0;  // the machine's physical RAM
  std::string source;       // e.g. "MemAvailable in /proc/meminfo"
};
AvailableMemory available_memory();

// Throws ScenarioError(too_large) when `concurrent_runs` runs of the scenario
// would not fit in the memory available now; called before anything is allocated.
void check_fits_in_memory(const Scenario& scenario, const EngineConfig& config,
                          std::uint32_t concurrent_runs);

// The one line for a run that could not get memory: what `concurrent_runs`
// runs of `run_bytes` each were estimated to need, and what is available now
// (and the process's address-space limit, RLIMIT_AS, when one is set).
std::string out_of_memory_message(std::uint64_t run, std::uint64_t run_bytes, std::uint32_t concurrent_runs);

}  // namespace orgsim
