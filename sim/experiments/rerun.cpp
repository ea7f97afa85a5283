#include "experiments/rerun.hpp"

#include <fmt/core.h>
#include <algorithm>
#include <cstring>
#include <memory>

#include "core/errors.hpp"
#include "experiments/run_one.hpp"
#include "model/config.hpp"
#include "results/results_file.hpp"
#include "scenario/scenario.hpp"
#include "scenario/sweep_section.hpp"

namespace orgsim {
namespace {

// The --set assignments that give a stored run its swept values, formatted
// as the sweep set them (integer parameters as integers).
std::vector<std::string> stored_assignments(const Scenario& scenario, const StoredRun& stored,
                                            const std::string& file) {
  std::vector<std::string> assignments;
  if (stored.design.empty() || stored.design == "compare") return assignments;  // nothing swept
  const auto* sweep = scenario.sweep();
  if (sweep == nullptr)
    throw OutputError(fmt::format("{}: a sweep file whose scenario has no [sweep] section", file));
  for (const auto& [key, value] : stored.swept) {
    const auto& parameters = sweep->design.parameters;
    // An init-capture, since clang (and so clang-tidy) before 16 cannot capture a structured binding.
    const auto parameter =
        std::find_if(parameters.begin(), parameters.end(),
                     [&swept = key](const sweep::SweptParameter& p) { return p.key == swept; });
    if (parameter == parameters.end()) {
      throw OutputError(
          fmt::format("{}: swept parameter '{}' is not in the [sweep] section the file records", file, key));
    }
    assignments.push_back(sweep_assignment(*parameter, value));
  }
  return assignments;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

Rerun rerun_stored(const std::string& file, std::uint64_t run) {
  const auto stored = read_stored_run(file, run);
  if (stored.status != RunStatus::done) {
    throw OutputError(fmt::format("{}: run {} is {}, nothing to compare", file, run,
                                  stored.status == RunStatus::failed ? "failed" : "pending"));
  }
  const Scenario scenario = Scenario::from_text(stored.scenario_resolved, file + " (scenario_resolved)");
  Rerun rerun;
  rerun.key =
      RunKey{static_cast<std::uint64_t>(scenario.integer("scenario.seed")), stored.point, stored.replicate};
  rerun.seed = stored.seed;
  rerun.assignments = stored_assignments(scenario, stored, file);
  const auto config =
      std::make_shared<const EngineConfig>(EngineConfig::from(scenario.with(rerun.assignments)));
  const RunResult result = run_one(config, rerun.key, stored.seed);
  rerun.reproduced = same_bits(result.organization, stored.organization) &&
                     same_bits(result.departments, stored.departments);
  rerun.organization_values = result.organization.size();
  rerun.department_values = result.departments.size();
  return rerun;
}

}  // namespace orgsim
