#pragma once
// What a results file records about where it came from: the build, the
// scenario as given and as resolved, the command line and the time, and for
// a sweep its design, so that any run in it can be traced and run again.
#include <cstdint>
#include <optional>
#include <string>

#include "experiments/plan.hpp"
#include "results/results_file.hpp"
#include "results/shards.hpp"
#include "scenario/scenario.hpp"

namespace orgsim {

// The provenance a results file carries for `runs` runs of `scenario`.
ResultsHeader results_header(const Scenario& scenario, const std::string& command_line, std::uint64_t runs);
// The provenance and design a sweep's file carries (sweep, merge).
ResultsHeader sweep_header(const sweep::SweepPlan& plan, const std::string& command_line,
                           const std::optional<Shard>& shard);

}  // namespace orgsim
