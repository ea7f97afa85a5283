#pragma once
// A: leadership style, trust and earned authority. Authority is conferred
// from below: a manager's authority is the mean trust of the direct reports,
// and below a threshold it vanishes, taking the manager's top-down influence
// with it (socialization alpha, weight in the purpose network). Trust moves
// toward a target that rises with the manager's servant style and with a
// shared word for service, and falls to a compliance floor under pure
// control. Servant leaders also learn from their reports.
#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "mechanisms/mechanism.hpp"
#include "model/config.hpp"
#include "model/state.hpp"

namespace orgsim {

struct LeadershipParams {  // A, earned authority
  bool enabled;
  double ceo_style;
  double trust_rate;           // eta
  double compliance_floor;     // rho
  double language_weight;      // gamma
  double authority_threshold;  // theta
  double bottom_up_rate;
  double initial_trust;

  static LeadershipParams from(const EngineConfig& config);
};

class LeadershipMechanism final : public Mechanism {
 public:
  static const MechanismDescriptor descriptor;

  LeadershipMechanism(const EngineConfig& config, const Organization& organization);

  // Styles from the leadership_styles stream, only with A on.
  void initialize(World& world) override;
  // The executives' listening, which this week's code learning reads.
  void prepare(World& world) override;
  void step(World& world, RandomStream& stream) override;
  StateUse prepare_uses() const override;
  StateUse step_uses() const override;
  // Trust at its initial value (1 with A off); with A on a new leader's style.
  void on_hire(World& world, Newcomer& newcomer, RandomStream& turnover) override;
  // Servant leaders learning from their reports move beliefs.
  bool moves_beliefs() const override { return params_.enabled && params_.bottom_up_rate > 0; }

  // Styles: the CEO's from the scenario, managers' uniform in their
  // department's mean +- spread/2; trust at its initial value.
  void initialize(AgentState& agents, SharedState& shared, RandomStream& stream) const;

  // A leader's style as drawn at the start: uniform in the department's mean
  // +- spread/2 (the CEO's, with no spread, is leadership.ceo_style).
  void draw_style(AgentState& agents, std::uint32_t agent, RandomStream& stream) const;

  // A new hire into a leader's post (CEO, head or manager) starts afresh: a
  // new style, and the direct reports' trust back at its initial value.
  void welcome_leader(AgentState& agents, std::uint32_t agent, RandomStream& stream) const;

  // 0.5 + the mean style of the CEO and the heads: how much the code-setters listen.
  double executive_listening(const AgentState& agents) const;

  // Trust toward its target, authority from the reports' trust, then
  // bottom-up learning by servant leaders. (The executives' listening is set
  // by the engine each step, after interventions have changed styles.)
  void step(AgentState& agents, RandomStream& stream) const;

  // T_i = rho + (1 - rho)((1 - gamma) sigma_manager + gamma s_i).
  double trust_target(const AgentState& agents, std::uint32_t agent) const;

  // Sets alpha_i for every agent from its manager's authority (mean trust of
  // the manager's reports; 0 below the threshold). The CEO answers to no one.
  void confer_authority(AgentState& agents) const;

 private:
  void learn_from_reports(AgentState& agents, RandomStream& stream) const;

  LeadershipParams params_;
  const Organization& organization_;
  std::vector<double> style_mean_, style_spread_;  // per department, executive last
};

}  // namespace orgsim
