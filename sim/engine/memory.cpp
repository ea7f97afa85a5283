#include "engine/memory.hpp"

#include <fmt/core.h>
#include <unistd.h>
#include <algorithm>

#include "engine/observables.hpp"
#include "scenario/scenario.hpp"

namespace orgsim {

std::uint64_t estimated_run_bytes(const EngineConfig& config) {
  const std::uint64_t agents = config.organization.agent_count();
  const std::uint64_t m = static_cast<std::uint64_t>(config.integer("knowledge.dimensions"));
  // Measured by bench/memory_footprint after a 260-step run at m = 30: about
  // 2m + 4 bytes of belief, action and score columns and 110 bytes of the
  // rest (purpose, trust, words and their pool, structure, scratch), with a
  // margin for inventories that grow in the naming game; peer learning adds
  // a snapshot of the beliefs (m bytes).
  const std::uint64_t per_agent = 2 * m + 4 + 140 + (config.real("knowledge.peer_learning_rate") > 0 ? m : 0);
  // Each tie is stored twice (4 bytes each) in the graph and, while it is
  // built, twice more as (source, target) pairs of 8 bytes plus the input list.
  const std::uint64_t per_tie = 8 + 32 + 8;
  const std::uint64_t observables = 8ULL * (config.steps + 1) *
                                    (organization_observables().size() +
                                     department_observables().size() * config.organization.headcounts.size());
  return agents * per_agent + config.organization.expected_edges() * per_tie + observables;
}

void check_fits_in_memory(const Scenario& scenario, const EngineConfig& config,
                          std::uint32_t concurrent_runs) {
  const auto pages = static_cast<std::uint64_t>(sysconf(_SC_PHYS_PAGES));
  const auto page_size = static_cast<std::uint64_t>(sysconf(_SC_PAGE_SIZE));
  const std::uint64_t machine = pages * page_size;
  const std::uint64_t needed = estimated_run_bytes(config) * std::max<std::uint32_t>(concurrent_runs, 1);
  const bool too_many_ties = config.organization.expected_edges() * 2 >= UINT32_MAX;
  if (needed <= machine && !too_many_ties) return;
  // Point at the largest department's headcount, wherever it was set.
  const auto largest = std::max_element(scenario.departments().begin(), scenario.departments().end(),
                                        [](const DepartmentSpec& a, const DepartmentSpec& b) {
                                          return a.integer("headcount") < b.integer("headcount");
                                        });
  throw ScenarioError(
      ScenarioError::Kind::too_large, largest->setting("headcount").where,
      fmt::format(
          "an organization of {} agents needs about {:.1f} GiB for {} concurrent run(s), more than this "
          "machine's {:.1f} GiB{}",
          config.organization.agent_count(), static_cast<double>(needed) / (1ULL << 30U), concurrent_runs,
          static_cast<double>(machine) / (1ULL << 30U), too_many_ties ? " (or more than 2^31 ties)" : ""),
      "reduce departments' headcount, organization.within_degree or --threads");
}

}  // namespace orgsim
