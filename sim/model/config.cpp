#include "model/config.hpp"

#include <fmt/core.h>
#include <algorithm>

#include "scenario/scenario.hpp"

namespace orgsim {

namespace {

InterventionPlan plan_from(const InterventionSpec& spec, const Scenario& scenario) {
  static const std::vector<std::pair<std::string_view, InterventionKind>> kinds{
      {"service_definition", InterventionKind::service_definition},
      {"kpi_realignment", InterventionKind::kpi_realignment},
      {"listening_sessions", InterventionKind::listening_sessions},
      {"language_program", InterventionKind::language_program},
      {"leader_role_model", InterventionKind::leader_role_model},
      {"leadership_development", InterventionKind::leadership_development},
      {"mission_inclusion", InterventionKind::mission_inclusion},
      {"feedback_loop", InterventionKind::feedback_loop},
      {"hiring_policy", InterventionKind::hiring_policy},
      {"client_pressure", InterventionKind::client_pressure}};
  InterventionPlan plan;
  plan.kind =
      std::find_if(kinds.begin(), kinds.end(), [&](const auto& k) { return k.first == spec.kind(); })->second;
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

  config.knowledge.enabled = scenario.boolean("knowledge.enabled");
  config.knowledge.dimensions = static_cast<std::uint32_t>(scenario.integer("knowledge.dimensions"));
  config.knowledge.socialization_rate = scenario.real("knowledge.socialization_rate");
  config.knowledge.code_learning_rate = scenario.real("knowledge.code_learning_rate");
  config.knowledge.turnover_rate = scenario.real("knowledge.turnover_rate");
  config.knowledge.turbulence_rate = scenario.real("knowledge.turbulence_rate");
  config.knowledge.code_sample_size = static_cast<std::uint32_t>(
      std::min<std::int64_t>(scenario.integer("knowledge.code_sample_size"), UINT32_MAX));
  config.knowledge.peer_learning_rate = scenario.real("knowledge.peer_learning_rate");

  config.language.enabled = scenario.boolean("language.enabled");
  config.language.random_speakers = scenario.text("language.schedule") == "random_speakers";
  config.language.start_with_jargon = scenario.text("language.initial_inventory") == "jargon";

  config.purpose.enabled = scenario.boolean("purpose.enabled");
  config.purpose.susceptibility = scenario.real("purpose.susceptibility");
  config.purpose.self_weight = scenario.real("purpose.self_weight");
  config.purpose.manager_weight = scenario.real("purpose.manager_weight");

  auto& leadership = config.leadership;
  leadership.enabled = scenario.boolean("leadership.enabled");
  leadership.ceo_style = scenario.real("leadership.ceo_style");
  leadership.trust_rate = scenario.real("leadership.trust_rate");
  leadership.compliance_floor = scenario.real("leadership.compliance_floor");
  leadership.language_weight = scenario.real("leadership.language_weight");
  leadership.authority_threshold = scenario.real("leadership.authority_threshold");
  leadership.bottom_up_rate = scenario.real("leadership.bottom_up_rate");
  leadership.initial_trust = scenario.real("leadership.initial_trust");

  auto& engagement = config.engagement;
  engagement.enabled = scenario.boolean("engagement.enabled");
  engagement.rate = scenario.real("engagement.rate");
  engagement.baseline = scenario.real("engagement.baseline");
  engagement.purpose_weight = scenario.real("engagement.purpose_weight");
  engagement.trust_weight = scenario.real("engagement.trust_weight");
  engagement.workload = scenario.real("engagement.workload");
  engagement.workload_weight = scenario.real("engagement.workload_weight");
  engagement.initial = scenario.real("engagement.initial");
  engagement.disengagement_turnover = scenario.real("engagement.disengagement_turnover");
  engagement.hiring_selectivity = scenario.real("engagement.hiring_selectivity");
  const auto& words = scenario.text("engagement.newcomer_words");
  engagement.newcomer_words = words == "empty"     ? NewcomerWords::empty
                              : words == "outside" ? NewcomerWords::outside
                                                   : NewcomerWords::jargon;

  config.encounters.enabled = scenario.boolean("encounters.enabled");
  config.encounters.blame_probability = scenario.real("encounters.blame_probability");
  config.encounters.blame_penalty = scenario.real("encounters.blame_penalty");
  config.encounters.transfer_probability = scenario.real("encounters.transfer_probability");

  auto& perception = config.perception;
  perception.enabled = scenario.boolean("perception.enabled");
  perception.report_bias = scenario.real("perception.report_bias");
  perception.report_noise = scenario.real("perception.report_noise");
  perception.collaboration_penalty = scenario.real("perception.collaboration_penalty");
  perception.customer_expectation = scenario.real("perception.customer_expectation");
  perception.expectation_growth = scenario.real("perception.expectation_growth");
  perception.frontline_norm = scenario.real("perception.frontline_norm");

  for (const auto& intervention : scenario.interventions()) {
    if (intervention.boolean("enabled")) config.interventions.push_back(plan_from(intervention, scenario));
  }
  config.steps = static_cast<std::uint32_t>(scenario.integer("scenario.steps"));
  return config;
}

}  // namespace orgsim
