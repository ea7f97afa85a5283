#include "model/config.hpp"

#include <fmt/core.h>
#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include "core/errors.hpp"
#include "scenario/parameters.hpp"
#include "scenario/scenario.hpp"

namespace orgsim {

namespace {

constexpr std::array<std::pair<std::string_view, InterventionKind>, 10> kKinds{
    {{"service_definition", InterventionKind::service_definition},
     {"kpi_realignment", InterventionKind::kpi_realignment},
     {"listening_sessions", InterventionKind::listening_sessions},
     {"language_program", InterventionKind::language_program},
     {"leader_role_model", InterventionKind::leader_role_model},
     {"leadership_development", InterventionKind::leadership_development},
     {"mission_inclusion", InterventionKind::mission_inclusion},
     {"feedback_loop", InterventionKind::feedback_loop},
     {"hiring_policy", InterventionKind::hiring_policy},
     {"client_pressure", InterventionKind::client_pressure}}};

InterventionPlan plan_from(const InterventionSpec& spec, const Scenario& scenario) {
  InterventionPlan plan;
  const auto kind = intervention_kind(spec.kind());
  if (!kind) {
    throw ScenarioError(ScenarioError::Kind::invalid, spec.where,
                        fmt::format("intervention kind '{}' has no plan in the engine", spec.kind()),
                        "a kind added to interventions.kind needs its InterventionKind in model/config");
  }
  plan.kind = *kind;
  plan.start = static_cast<std::uint32_t>(spec.integer("start"));
  if (spec.integer("duration") > 0)
    plan.end = plan.start + static_cast<std::uint32_t>(spec.integer("duration"));
  const auto& departments = scenario.departments();
  const auto& named = spec.list("departments");
  plan.targets.assign(departments.size() + 1, named.empty() ? 1 : 0);
  for (std::size_t d = 0; d < departments.size(); ++d) {
    if (std::find(named.begin(), named.end(), departments[d].name) != named.end()) plan.targets[d] = 1;
  }
  // Each kind has its own keys (filled with defaults by the parser); the others keep neutral values.
  auto take = [&](std::string_view field, double& value) {
    if (spec.has(field)) value = spec.real(field);
  };
  take("anchor_boost", plan.anchor_boost);
  take("kpi_alignment", plan.kpi_alignment);
  take("incentive_scale", plan.incentive_scale);
  take("sessions_per_step", plan.sessions_per_step);
  take("coverage", plan.coverage);
  take("session_rate", plan.session_rate);
  take("style_shift", plan.style_shift);
  take("listening_scale", plan.listening_scale);
  take("engagement_boost", plan.engagement_boost);
  take("bias_reduction", plan.bias_reduction);
  take("voice_scale", plan.voice_scale);
  take("selectivity", plan.selectivity);
  take("workload", plan.workload);
  if (spec.has("participants")) plan.participants = static_cast<std::uint32_t>(spec.integer("participants"));
  if (spec.has("word")) plan.word = spec.text("word");
  if (spec.has("levels")) {
    for (const auto& level : spec.list("levels")) {
      plan.ceo = plan.ceo || level == "ceo";
      plan.heads = plan.heads || level == "head";
      plan.managers = plan.managers || level == "manager";
    }
  }
  return plan;
}

}  // namespace

std::optional<InterventionKind> intervention_kind(std::string_view name) {
  for (const auto& [known, kind] : kKinds) {
    if (known == name) return kind;
  }
  return std::nullopt;
}

EngineConfig EngineConfig::from(const Scenario& scenario) {
  EngineConfig config;
  config.organization = OrganizationDesign::from(scenario);
  double baseline_total = 0;
  for (const auto& department : scenario.departments()) {
    DepartmentParams params;
    params.kpi_alignment = department.real("kpi_alignment");
    params.incentive_weight = department.real("incentive_weight");
    params.purpose_baseline = department.real("purpose_baseline");
    params.purpose_spread = department.real("purpose_spread");
    params.leadership_style = department.real("leadership_style");
    params.leadership_spread = department.real("leadership_spread");
    params.jargon = department.text("jargon");
    baseline_total += params.purpose_baseline;
    config.departments.push_back(params);
  }
  DepartmentParams executive;
  executive.kpi_alignment = 1.0;
  executive.incentive_weight = 0.0;
  executive.purpose_baseline = baseline_total / static_cast<double>(scenario.departments().size());
  executive.purpose_spread = 0.0;
  executive.leadership_style = scenario.real("leadership.ceo_style");
  executive.leadership_spread = 0.0;
  config.departments.push_back(executive);

  // The scenario holds every parameter outside the departments, interventions and [sweep], each
  // once, in key order: taken in that order, each value goes at the end of the map with no search
  // (a sweep's check builds a config per design point, a million of them for a large design).
  for (const auto& [key, setting] : scenario.settings()) {
    config.values.emplace_hint(config.values.end(), key, setting.value);
  }
  for (const auto& intervention : scenario.interventions()) {
    if (intervention.boolean("enabled")) config.interventions.push_back(plan_from(intervention, scenario));
  }
  config.steps = static_cast<std::uint32_t>(scenario.integer("scenario.steps"));
  return config;
}

const ParameterValue& EngineConfig::value(std::string_view key) const {
  const auto found = values.find(key);
  if (found == values.end())
    throw std::logic_error(fmt::format("no parameter '{}' in the engine's config", key));
  return found->second;
}

bool EngineConfig::enabled(std::string_view section) const {
  return boolean(fmt::format("{}.enabled", section));
}

}  // namespace orgsim
