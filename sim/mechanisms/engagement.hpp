#pragma once
// E: engagement and who leaves. Engagement moves toward a target that rises
// with purpose and trust and falls with workload; the chance of leaving is
// March's p3 plus a disengagement term, so with that term at zero turnover
// is exactly March's. Leavers are replaced by new hires whose beliefs are
// random (March) or, with hiring selectivity, closer to the code (Harrison &
// Carroll 1991).
#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "mechanisms/mechanism.hpp"
#include "model/config.hpp"
#include "model/state.hpp"

namespace orgsim {

struct EngagementParams {  // E, engagement, turnover and hiring
  bool enabled;
  double rate;
  double baseline;
  double purpose_weight;
  double trust_weight;
  double workload;
  double workload_weight;
  double initial;
  double disengagement_turnover;  // delta
  double hiring_selectivity;      // s
  NewcomerWords newcomer_words;

  static EngagementParams from(const EngineConfig& config);
};

class EngagementMechanism final : public Mechanism {
 public:
  static const MechanismDescriptor descriptor;

  EngagementMechanism(const EngineConfig& config, const Organization& organization);

  void initialize(World& world) override;
  void step(World& world, RandomStream& stream) override;
  StateUse step_uses() const override;
  // With E on, hiring is E's policy: it draws the beliefs (selectivity s)
  // and picks the words before the other hire hooks run.
  void on_hire(World& world, Newcomer& newcomer, RandomStream& turnover) override;
  // Disengaged people leaving take their beliefs with them.
  bool moves_beliefs() const override { return decides_leaving(); }
  bool decides_leaving() const override { return params_.enabled && params_.disengagement_turnover > 0; }
  double leave_probability(const AgentState& agents, std::uint32_t agent) const override {
    return turnover_rate_ + params_.disengagement_turnover * (1.0 - agents.engagement[agent]);
  }

  void initialize(AgentState& agents) const;
  void step(AgentState& agents, const SharedState& shared, BlockPool& blocks = BlockPool::serial()) const;

  // e* = clamp(baseline + w_phi (phi - 1/2) + w_tau (tau - 1/2) - w_load load + boost_d, 0, 1),
  // with the workload and the department's boost as interventions have left them.
  double target(const AgentState& agents, const SharedState& shared, std::uint32_t agent) const;

  // A new hire's beliefs: each dimension where the code is set agrees with it
  // with probability s, otherwise uniform on {-1, 0, 1}.
  void draw_hire_beliefs(AgentState& agents, const SharedState& shared, std::uint32_t agent,
                         RandomStream& stream) const;

  const EngagementParams& params() const noexcept { return params_; }

 private:
  EngagementParams params_;
  const Organization& organization_;
  double turnover_rate_;  // p3
};

}  // namespace orgsim
