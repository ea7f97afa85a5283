#pragma once
// V: perception up the hierarchy. The front line delivers actual value (the
// share of its actions that match what customers value, weighted by
// engagement, less what failed collaboration costs). Each person reports
// upward; a report is biased toward good news in proportion to low trust in
// the manager and noisy between people who share no word for service;
// managers average what they hear and report on. The CEO judges what
// arrives against rising customer expectations; the front line judges what
// it delivers against its own norm. The difference is the perception gap,
// which can take either sign.
#include <cstdint>
#include <vector>

#include "core/random.hpp"
#include "mechanisms/mechanism.hpp"
#include "model/config.hpp"
#include "model/state.hpp"

namespace orgsim {

struct PerceptionParams {  // V, perception up the hierarchy
  bool enabled;
  double report_bias;            // beta: good-news bias at zero trust
  double report_noise;           // sd of a report without a shared word
  double collaboration_penalty;  // share of value lost per unit of blame rate
  double customer_expectation;   // x(0)
  double expectation_growth;     // per step
  double frontline_norm;

  static PerceptionParams from(const EngineConfig& config);
};

class PerceptionMechanism final : public Mechanism {
 public:
  static const MechanismDescriptor descriptor;

  PerceptionMechanism(const EngineConfig& config, const Organization& organization);

  // Reports of the week that has just been played (step index week + 1).
  void step(World& world, RandomStream& stream) override;
  StateUse step_uses() const override;

  // Needs this step's actions (K) and the tally's blame (X).
  void step(const AgentState& agents, SharedState& shared, const StepTally& tally, std::uint32_t step_index,
            RandomStream& stream, BlockPool& blocks = BlockPool::serial());

  // v_i = e_i x share of a_ij equal to r_j.
  static double delivered_value(const AgentState& agents, std::uint32_t agent);

  // One report up: view + beta (1 - tau)(1 - view) + noise, clipped to [0, 1].
  // A feedback loop scales beta by bias_scale.
  double report(const AgentState& agents, std::uint32_t sender, double view, RandomStream& stream,
                double bias_scale = 1.0) const;

 private:
  PerceptionParams params_;
  const Organization& organization_;
  // The agents by their depth below the CEO, deepest first, each depth in
  // agent order: depth_start_[k] .. depth_start_[k + 1] in bottom_up_order_.
  std::vector<std::uint32_t> bottom_up_order_;
  std::vector<std::uint32_t> depth_start_;
  std::vector<double> view_;  // each agent's view of the value delivered, this week
  struct Sums {
    double delivered = 0, judged = 0, frontline = 0;
  };
  std::vector<Sums> block_sums_;
};

}  // namespace orgsim
