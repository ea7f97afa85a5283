#pragma once
// X: cross-silo encounters. A naming game between two departments that fails
// (no shared word) turns into blame with probability p_blame: both lose
// engagement and no knowledge passes. One that succeeds is collaboration:
// the hearer may adopt one of the speaker's differing beliefs, so knowledge
// crosses the silo only where a word is shared.
#include <cstdint>

#include "core/random.hpp"
#include "mechanisms/mechanism.hpp"
#include "model/config.hpp"
#include "model/state.hpp"

namespace orgsim {

struct EncounterParams {  // X, cross-silo encounters
  bool enabled;
  double blame_probability;     // p_blame
  double blame_penalty;         // engagement lost by both sides
  double transfer_probability;  // chance a collaboration passes a belief

  static EncounterParams from(const EngineConfig& config);
};

class EncounterMechanism final : public Mechanism {
 public:
  static const MechanismDescriptor descriptor;

  explicit EncounterMechanism(const EngineConfig& config)
      : params_(EncounterParams::from(config)), engagement_on_(config.enabled("engagement")) {}
  EncounterMechanism(const EngineConfig& config, const Organization& /*organization*/)
      : EncounterMechanism(config) {}

  // Asks the naming games to keep this week's cross-department encounters.
  void initialize(World& world) override;
  void step(World& world, RandomStream& stream) override;
  StateUse step_uses() const override;
  // Collaboration passes beliefs across silos.
  bool moves_beliefs() const override;

  // Resolves this step's cross-department games, in the order they were played.
  void step(AgentState& agents, StepTally& tally, RandomStream& stream) const;

  // Blame: both sides lose engagement (engagement stays in [0, 1]); without
  // E nothing would restore it, so blame then costs nothing but the knowledge.
  void blame(AgentState& agents, std::uint32_t a, std::uint32_t b) const;

  // Collaboration: the hearer takes the speaker's belief on one uniformly
  // drawn dimension where they differ. Returns whether anything changed.
  static bool transfer(AgentState& agents, std::uint32_t speaker, std::uint32_t hearer, RandomStream& stream);

 private:
  EncounterParams params_;
  bool engagement_on_;
};

}  // namespace orgsim
