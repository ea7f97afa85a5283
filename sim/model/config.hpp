#pragma once
// The engine's own copy of everything a run needs, taken from a validated
// scenario once. Mechanisms read it; nothing writes it after construction.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/organization.hpp"
#include "scenario/scenario.hpp"

namespace orgsim {

// A department's settings as the scenario resolved them (defaults live in the parameter table).
struct DepartmentParams {
  double kpi_alignment{};     // kappa_d
  double incentive_weight{};  // w_d
  double purpose_baseline{};  // mean phi0
  double purpose_spread{};
  double leadership_style{};  // mean sigma of the department's managers
  double leadership_spread{};
  std::string jargon;  // empty: no word of its own
};

enum class NewcomerWords : std::uint8_t { jargon, empty, outside };

enum class InterventionKind : std::uint8_t {
  service_definition,
  kpi_realignment,
  listening_sessions,
  language_program,
  leader_role_model,
  leadership_development,
  mission_inclusion,
  feedback_loop,
  hiring_policy,
  client_pressure,
};

// The kind a scenario's `kind = "..."` names; std::nullopt for a name the
// engine has no kind for (a test checks every name the scenario layer allows).
std::optional<InterventionKind> intervention_kind(std::string_view name);

// One intervention as the engine applies it. Steps are counted from 0 for
// the first step; it acts in steps start <= t < end.
struct InterventionPlan {
  InterventionKind kind = InterventionKind::service_definition;
  std::uint32_t start = 0;
  std::uint32_t end = UINT32_MAX;
  std::vector<std::uint8_t> targets;  // per department, executive last: 1 when targeted
  // The kind's own parameters (see docs/scenarios.md); unused ones stay neutral.
  double anchor_boost = 0;
  double kpi_alignment = 0;
  double incentive_scale = 1;
  double sessions_per_step = 0;
  std::uint32_t participants = 0;
  double coverage = 0;
  double session_rate = 0;
  std::string word;
  bool ceo = false, heads = false, managers = false;  // leader_role_model levels
  double style_shift = 0;
  double listening_scale = 1;
  double engagement_boost = 0;
  double bias_reduction = 0;
  double voice_scale = 1;
  double selectivity = -1;
  double workload = -1;

  bool active(std::uint32_t step) const noexcept { return start <= step && step < end; }
  bool targets_department(std::uint32_t department) const noexcept { return targets[department] != 0; }
};

struct EngineConfig {
  OrganizationDesign organization;
  // One entry per department, then one for the executive (the CEO): no KPI
  // pull, no jargon, the organization's mean purpose baseline.
  std::vector<DepartmentParams> departments;
  // Every key of the scenario's plain sections ("knowledge.dimensions"),
  // resolved: each mechanism reads its own in its constructor, so a default
  // lives only in the parameter table.
  std::map<std::string, ParameterValue, std::less<>> values;
  std::vector<InterventionPlan> interventions;
  std::uint32_t steps = 0;

  static EngineConfig from(const Scenario& scenario);
  std::uint32_t department_count() const { return static_cast<std::uint32_t>(departments.size() - 1); }

  double real(std::string_view key) const { return std::get<double>(value(key)); }
  std::int64_t integer(std::string_view key) const { return std::get<std::int64_t>(value(key)); }
  bool boolean(std::string_view key) const { return std::get<bool>(value(key)); }
  const std::string& text(std::string_view key) const { return std::get<std::string>(value(key)); }
  // Whether a mechanism's section is switched on.
  bool enabled(std::string_view section) const;

 private:
  const ParameterValue& value(std::string_view key) const;
};

}  // namespace orgsim
