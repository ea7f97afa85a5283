#include "experiments/plan.hpp"
#include "engine/memory.hpp"

#include <fmt/core.h>

namespace orgsim::sweep {

SweepPlan::SweepPlan(Scenario scenario) : scenario_(std::move(scenario)) {
  const auto* sweep = scenario_.sweep();
  if (sweep == nullptr) {
    throw ScenarioError(ScenarioError::Kind::invalid, {scenario_.source_name(), 0, 0},
                        "the scenario has no [sweep] section", "add one, or use orgsim run");
  }
  scenario_seed_ = static_cast<std::uint64_t>(scenario_.integer("scenario.seed"));
  spec_ = sweep->design;
  // The design's own seed, apart from the runs' seeds: redrawing a design never changes a run's stream.
  if (spec_.seed == 0) spec_.seed = mix64(scenario_seed_ ^ 0x5357454550ULL);
  design_ = make_design(spec_);
  replicates_ = sweep->replicates > 0 ? sweep->replicates
                                      : static_cast<std::uint64_t>(scenario_.integer("scenario.replicates"));
}

std::vector<std::string> SweepPlan::assignments(std::uint64_t point) const {
  std::vector<std::string> out;
  const auto& values = design_.points.at(point);
  for (std::size_t p = 0; p < spec_.parameters.size(); ++p)
    out.push_back(sweep_assignment(spec_.parameters[p], values[p]));
  return out;
}

Scenario SweepPlan::scenario_at(std::uint64_t point) const {
  return scenario_.with(assignments(point));
}

std::shared_ptr<const EngineConfig> SweepPlan::config_at(std::uint64_t point) const {
  return std::make_shared<const EngineConfig>(EngineConfig::from(scenario_at(point)));
}

void SweepPlan::validate_points(std::uint32_t workers) const {
  // One copy of the scenario takes each point's values in turn, as scenario_at() would give them:
  // every point sets every swept key, so no value of an earlier point remains. A copy per point
  // made a sweep of a million points take minutes to check.
  Scenario at = scenario_;
  for (std::uint64_t point = 0; point < points(); ++point) {
    try {
      for (const auto& assignment : assignments(point)) at.apply_override(assignment);
      validate_interventions(at);
      check_fits_in_memory(at, EngineConfig::from(at), workers);
    } catch (const ScenarioError& error) {
      throw ScenarioError(error.kind(), scenario_.sweep()->where,
                          fmt::format("design point {} is refused: {}", point, error.what()));
    }
  }
}

}  // namespace orgsim::sweep
