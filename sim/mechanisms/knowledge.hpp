#pragma once
// K: mutual learning between employees and the mission code (March 1991, in
// the reconstruction of Christensen 2015), with department KPI targets that
// pull beliefs toward the silo's view of what matters.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/random.hpp"
#include "mechanisms/mechanism.hpp"
#include "model/config.hpp"
#include "model/state.hpp"

namespace orgsim {

struct KnowledgeParams {  // K, March (1991)
  bool enabled;
  std::uint32_t dimensions;   // m
  double socialization_rate;  // p1
  double code_learning_rate;  // p2
  double turnover_rate;       // p3
  double turbulence_rate;     // p4
  std::uint32_t code_sample_size;
  double peer_learning_rate;  // Fang, Lee & Schilling (2010); 0: off

  static KnowledgeParams from(const EngineConfig& config);
};

// Draws department d's KPI target: it agrees with customer reality on exactly
// round(alignment m) dimensions chosen at random (kappa_d), and opposes it on
// the rest. Used at the start and by KPI realignment.
void draw_kpi_target(SharedState& shared, std::uint32_t department, double alignment, RandomStream& stream);

class KnowledgeMechanism final : public Mechanism {
 public:
  static const MechanismDescriptor descriptor;

  KnowledgeMechanism(const EngineConfig& config, const Organization& organization);

  // Initializes from the initial_state stream; steps when K is on; draws a
  // newcomer's beliefs unless a hiring policy has.
  void initialize(World& world) override;
  void step(World& world, RandomStream& stream) override;
  StateUse step_uses() const override;
  void on_hire(World& world, Newcomer& newcomer, RandomStream& turnover) override;
  // KPI pull, turbulence (p4), turnover (p3) and learning from peers move beliefs.
  bool moves_beliefs() const override;
  void set_beliefs_moved_elsewhere(bool moved) override;

  // Reality r uniform +-1, code c = 0, beliefs uniform on {-1, 0, 1}, and KPI
  // targets that agree with r on round(kappa_d m) dimensions chosen at random.
  void initialize(AgentState& agents, SharedState& shared, RandomStream& stream) const;

  // One step: turbulence, act, learning from colleagues (when on),
  // socialization, code learning (March's order: socialization uses the code
  // as it was, code learning the actions taken before socialization).
  void step(AgentState& agents, SharedState& shared, RandomStream& stream,
            BlockPool& blocks = BlockPool::serial());

  // Uniform random beliefs for a newcomer (March's p3 turnover).
  void draw_beliefs(AgentState& agents, std::uint32_t agent, RandomStream& stream) const;

  // March's equilibrium: every belief equals the code wherever the code is
  // set, and nobody's best possible score (sum b r + zeros) beats the code.
  bool at_equilibrium(const AgentState& agents, const SharedState& shared) const;

  // Whether the equilibrium is absorbing: nothing of K's own (KPI pull,
  // turbulence, turnover, peers) and no other mechanism moves beliefs. Then
  // the step stops working once equilibrium is reached.
  bool equilibrium_is_absorbing() const noexcept { return closed_; }
  bool frozen() const noexcept { return frozen_; }
  // Which of `lanes` move, each independently with probability threshold / 2^32.
  static std::uint64_t moving_lanes(std::uint64_t lanes, std::uint64_t threshold, RandomStream& stream);
  bool at_rest() const override { return frozen_; }

 private:
  void act(AgentState& agents, SharedState& shared, RandomStream& stream, BlockPool& blocks);
  void learn_from_peers(AgentState& agents, RandomStream& stream);
  void socialize(AgentState& agents, const SharedState& shared, RandomStream& stream, BlockPool& blocks);
  void learn_code(SharedState& shared, RandomStream& stream);
  void sample_listened(std::uint32_t agent_count, double voice_scale, RandomStream& stream);

  KnowledgeParams params_;
  const Organization& organization_;
  std::vector<double> incentive_weight_;  // w_d per department (executive last), as the scenario sets it
  std::vector<double> kpi_alignment_;     // kappa_d
  BernoulliThreshold turbulence_;
  std::vector<std::uint32_t> listened_;     // this step's sample of voices
  bool everyone_listened_ = false;          // the organization is no larger than the sample
  std::vector<std::uint8_t> picked_;        // the sample's marks, until the agents have acted
  SignPlanes reality_;                      // r, as planes for acting
  SignPlanes code_;                         // c, as planes for socialization
  std::vector<std::uint64_t> action_;       // each block's acting agent's a_ij = +1, a word per 64 dimensions
  std::vector<std::int32_t> block_votes_;   // each block's positive votes, summed into positive_votes_
  std::vector<std::int32_t> block_voters_;  // each block's superior voters
  std::vector<std::int32_t> positive_votes_;  // superior voters with a_ij = +1; v_j = 2 this - voters
  std::int32_t superior_voters_ = 0;
  std::optional<BeliefPlanes> snapshot_;  // beliefs before this step's peer learning
  std::vector<std::int32_t> peer_votes_;  // the superior colleagues' belief sums
  bool any_pull_ = false;
  bool closed_ = false;
  bool frozen_ = false;
};

}  // namespace orgsim
