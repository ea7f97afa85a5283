#pragma once
// P: sense of shared purpose as Friedkin-Johnsen opinion dynamics
// (Friedkin & Johnsen 1990): phi(t+1) = Lambda W phi(t) + (I - Lambda) phi0.
// Pay tied to silo KPIs anchors people: lambda_i = lambda (1 - w_d).
#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "mechanisms/mechanism.hpp"
#include "model/config.hpp"
#include "model/state.hpp"

namespace orgsim {

struct PurposeParams {  // P, Friedkin-Johnsen
  bool enabled;
  double susceptibility;  // lambda
  double self_weight;
  double manager_weight;

  static PurposeParams from(const EngineConfig& config);
};

class PurposeMechanism final : public Mechanism {
 public:
  static const MechanismDescriptor descriptor;

  PurposeMechanism(const EngineConfig& config, const Organization& organization);

  // Anchors from the purpose stream; a newcomer's anchor from the turnover stream.
  void initialize(World& world) override;
  void step(World& world, RandomStream& stream) override;
  StateUse step_uses() const override;
  void on_hire(World& world, Newcomer& newcomer, RandomStream& turnover) override;

  // Anchors phi0 uniform in baseline +- spread/2 (clipped to [0, 1]); phi = phi0.
  void initialize(AgentState& agents, RandomStream& stream) const;
  void draw_anchor(AgentState& agents, std::uint32_t agent, RandomStream& stream) const;

  // One synchronous Friedkin-Johnsen update; incentive weights come from the levers.
  void step(AgentState& agents, const SharedState& shared, BlockPool& blocks = BlockPool::serial());

  // lambda_i = lambda (1 - w_d), with w_d as interventions have left it.
  double susceptibility(const SharedState& shared, std::uint32_t agent) const noexcept {
    return params_.susceptibility * (1.0 - shared.levers.incentive_weight[organization_.department[agent]]);
  }

  // Row i of W before normalisation: calls visit(j, weight) for the agent
  // itself, each colleague (weight 1) and the manager (manager_weight x trust,
  // zero while the manager has no authority).
  // Not used in complete mode, where W is uniform.
  template <class Visit>
  void for_each_weight(const AgentState& agents, std::uint32_t agent, Visit&& visit) const {
    const std::uint32_t manager = organization_.manager[agent];
    visit(agent, params_.self_weight);
    for (const std::uint32_t colleague : organization_.network.neighbours(agent)) {
      if (colleague != manager) visit(colleague, 1.0);
    }
    // A manager without authority (alpha_i = 0) has no weight (earned authority, A).
    const double authority_gate = agents.authority[agent] > 0.0F ? 1.0 : 0.0;
    if (manager != agent) visit(manager, params_.manager_weight * agents.trust[agent] * authority_gate);
  }

 private:
  PurposeParams params_;
  const Organization& organization_;
  std::vector<double> baseline_, spread_;
  std::vector<double> next_;
};

}  // namespace orgsim
