#include "engine/memory.hpp"

#include <fmt/core.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>

#include "engine/observables.hpp"
#include "scenario/scenario.hpp"

namespace orgsim {

std::uint64_t estimated_run_bytes(const EngineConfig& config) {
  const std::uint64_t agents = config.organization.agent_count();
  const std::uint64_t m = static_cast<std::uint64_t>(config.integer("knowledge.dimensions"));
  // Measured by bench/memory_footprint after a 260-step run at m = 30: two
  // bit-planes of beliefs (8 bytes each per 64 dimensions) and a score,
  // and about 105 bytes of the rest (purpose, trust, words and their pool,
  // structure, scratch), with a margin for inventories that grow in the
  // naming game; peer learning adds a snapshot of the beliefs.
  const std::uint64_t belief_bytes = 16 * ((m + 63) / 64);
  const std::uint64_t per_agent =
      belief_bytes + 4 + 140 + (config.real("knowledge.peer_learning_rate") > 0 ? belief_bytes : 0);
  // Each tie is stored twice (4 bytes each) in the graph and, while it is
  // built, twice more as (source, target) pairs of 8 bytes plus the input list.
  const std::uint64_t per_tie = 8 + 32 + 8;
  const std::uint64_t observables = 8ULL * (config.steps + 1) *
                                    (organization_observables().size() +
                                     department_observables().size() * config.organization.headcounts.size());
  return agents * per_agent + config.organization.expected_edges() * per_tie + observables;
}

namespace {

double gib(std::uint64_t bytes) {
  return static_cast<double>(bytes) / (1ULL << 30U);
}

// One number from a file such as /sys/fs/cgroup/memory.max; nothing for "max" or no file.
std::optional<std::uint64_t> number_in(const char* path) {
  std::ifstream in(path);
  std::uint64_t value = 0;
  if (in >> value) return value;
  return std::nullopt;
}

}  // namespace

AvailableMemory available_memory() {
  AvailableMemory memory;
  memory.total = static_cast<std::uint64_t>(sysconf(_SC_PHYS_PAGES)) *
                 static_cast<std::uint64_t>(sysconf(_SC_PAGE_SIZE));
  memory.bytes = memory.total;
  memory.source = "the machine's physical memory";
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") {
      memory.bytes = kib * 1024;
      memory.source = "MemAvailable in /proc/meminfo";
      break;
    }
  }
  const auto limit = number_in("/sys/fs/cgroup/memory.max");
  const auto used = number_in("/sys/fs/cgroup/memory.current");
  if (limit && used && *limit > *used && *limit - *used < memory.bytes) {
    memory.bytes = *limit - *used;
    memory.source = "the cgroup's memory.max less its memory.current";
  }
  return memory;
}

void check_fits_in_memory(const Scenario& scenario, const EngineConfig& config,
                          std::uint32_t concurrent_runs) {
  const auto available = available_memory();
  const std::uint64_t needed = estimated_run_bytes(config) * std::max<std::uint32_t>(concurrent_runs, 1);
  const bool too_many_ties = config.organization.expected_edges() * 2 >= UINT32_MAX;
  if (needed <= available.bytes && !too_many_ties) return;
  // Point at the largest department's headcount, wherever it was set.
  const auto largest = std::max_element(scenario.departments().begin(), scenario.departments().end(),
                                        [](const DepartmentSpec& a, const DepartmentSpec& b) {
                                          return a.integer("headcount") < b.integer("headcount");
                                        });
  throw ScenarioError(
      ScenarioError::Kind::too_large, largest->setting("headcount").where,
      fmt::format("an organization of {} agents needs about {:.1f} GiB for {} concurrent run(s), more than "
                  "the {:.1f} GiB available ({}; {:.1f} GiB in all){}",
                  config.organization.agent_count(), gib(needed), concurrent_runs, gib(available.bytes),
                  available.source, gib(available.total), too_many_ties ? " (or more than 2^31 ties)" : ""),
      "reduce departments' headcount, organization.within_degree or --threads");
}

std::string out_of_memory_message(std::uint64_t run, std::uint64_t run_bytes, std::uint32_t concurrent_runs) {
  const auto available = available_memory();
  std::string limit;
  rlimit address_space{};
  if (getrlimit(RLIMIT_AS, &address_space) == 0 && address_space.rlim_cur != RLIM_INFINITY)
    limit = fmt::format("; this process may use at most {:.2f} GiB of address space (RLIMIT_AS, ulimit -v)",
                        gib(address_space.rlim_cur));
  return fmt::format(
      "out of memory in run {}: {} run(s) at once, each estimated to need {:.2f} GiB ({:.2f} GiB in all), "
      "and "
      "{:.2f} GiB available now ({}){}; reduce --threads or the organization's size",
      run, std::max<std::uint32_t>(concurrent_runs, 1), gib(run_bytes),
      gib(run_bytes * std::max<std::uint32_t>(concurrent_runs, 1)), gib(available.bytes), available.source,
      limit);
}

std::uint64_t process_status_bytes(std::string_view key) {
  std::ifstream status("/proc/self/status");
  std::string name;
  std::uint64_t kib = 0;
  while (status >> name) {
    if (name == key) {
      status >> kib;
      return kib * 1024;
    }
    status.ignore(1 << 10, '\n');
  }
  return 0;
}

}  // namespace orgsim
