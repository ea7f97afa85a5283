#pragma once
// The engine's own copy of everything a run needs, taken from a validated
// scenario once. Mechanisms read it; nothing writes it after construction.
#include <cstdint>
#include <string>
#include <vector>

#include "model/organization.hpp"

namespace orgsim {

class Scenario;

struct DepartmentParams {
  double kpi_alignment = 0.5;     // kappa_d
  double incentive_weight = 0.0;  // w_d
  double purpose_baseline = 0.5;  // mean phi0
  double purpose_spread = 0.2;
  double leadership_style = 0.5;  // mean sigma of the department's managers
  double leadership_spread = 0.2;
  std::string jargon;  // empty: no word of its own
};

struct KnowledgeParams {  // K, March (1991)
  bool enabled = true;
  std::uint32_t dimensions = 30;    // m
  double socialization_rate = 0.1;  // p1
  double code_learning_rate = 0.5;  // p2
  double turnover_rate = 0.0;       // p3
  double turbulence_rate = 0.0;     // p4
  std::uint32_t code_sample_size = 100;
  double peer_learning_rate = 0.0;  // Fang, Lee & Schilling (2010); 0: off
};

struct LanguageParams {  // L, naming game
  bool enabled = true;
  bool random_speakers = false;  // false: every agent speaks once per step
  bool start_with_jargon = true;
};

struct PurposeParams {  // P, Friedkin-Johnsen
  bool enabled = true;
  double susceptibility = 0.8;  // lambda
  double self_weight = 1.0;
  double manager_weight = 2.0;
};

struct LeadershipParams {  // A, earned authority
  bool enabled = false;
  double ceo_style = 0.5;
  double trust_rate = 0.1;           // eta
  double compliance_floor = 0.2;     // rho
  double language_weight = 0.3;      // gamma
  double authority_threshold = 0.4;  // theta
  double bottom_up_rate = 0.05;
  double initial_trust = 0.5;
};

enum class NewcomerWords : std::uint8_t { jargon, empty, outside };

struct EngagementParams {  // E, engagement, turnover and hiring
  bool enabled = false;
  double rate = 0.1;
  double baseline = 0.6;
  double purpose_weight = 0.4;
  double trust_weight = 0.4;
  double workload = 0.0;
  double workload_weight = 0.5;
  double initial = 0.6;
  double disengagement_turnover = 0.01;  // delta
  double hiring_selectivity = 0.0;       // s
  NewcomerWords newcomer_words = NewcomerWords::jargon;
};

struct EncounterParams {  // X, cross-silo encounters
  bool enabled = false;
  double blame_probability = 0.5;     // p_blame
  double blame_penalty = 0.05;        // engagement lost by both sides
  double transfer_probability = 0.3;  // chance a collaboration passes a belief
};

struct PerceptionParams {  // V, perception up the hierarchy
  bool enabled = false;
  double report_bias = 0.3;            // beta: good-news bias at zero trust
  double report_noise = 0.15;          // sd of a report without a shared word
  double collaboration_penalty = 0.5;  // share of value lost per unit of blame rate
  double customer_expectation = 0.5;   // x(0)
  double expectation_growth = 0.001;   // per step
  double frontline_norm = 0.5;
};

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
  KnowledgeParams knowledge;
  LanguageParams language;
  PurposeParams purpose;
  LeadershipParams leadership;
  EngagementParams engagement;
  EncounterParams encounters;
  PerceptionParams perception;
  std::vector<InterventionPlan> interventions;
  std::uint32_t steps = 260;

  static EngineConfig from(const Scenario& scenario);
  std::uint32_t department_count() const { return static_cast<std::uint32_t>(departments.size() - 1); }
};

}  // namespace orgsim
