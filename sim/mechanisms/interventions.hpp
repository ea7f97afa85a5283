#pragma once
// Timed interventions. Before each step's mechanisms, the schedule applies the
// one-off changes of interventions that start now (anchors, KPIs, styles),
// runs the ones that act every step (listening sessions, language
// programmes, role models), and sets the step's levers (incentive weights,
// code learning, voices heard, report bias, workload, hiring selectivity,
// engagement boosts) from the interventions active in it. Levers are rebuilt
// from the scenario's values each step, so an intervention's effect on them
// ends with it.
#include <cstdint>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "mechanisms/mechanism.hpp"
#include "model/config.hpp"
#include "model/state.hpp"

namespace orgsim {

class LanguageMechanism;

class InterventionSchedule final : public Mechanism {
 public:
  static const MechanismDescriptor descriptor;

  InterventionSchedule(const EngineConfig& config, const Organization& organization);

  // Programme words take the language's jargon ids, so L is built first.
  void initialize(World& world) override;
  void step(World& world, RandomStream& stream) override;
  // Any intervention may move beliefs (anchors, KPIs, sessions, hires).
  bool moves_beliefs() const override { return !plans_.empty(); }

  // Gives each programme word an id: a department's jargon keeps its own;
  // a new word is invented once and shared by every intervention that uses it.
  void initialize(AgentState& agents, const LanguageMechanism& language);

  // `step` counts from 0 for the first step.
  void apply(std::uint32_t step, AgentState& agents, SharedState& shared, StepTally& tally,
             RandomStream& stream);

 private:
  void begin(const InterventionPlan& plan, std::size_t index, AgentState& agents, SharedState& shared,
             RandomStream& stream);
  void set_levers(std::uint32_t step, SharedState& shared) const;
  void train(std::size_t index, AgentState& agents, RandomStream& stream) const;
  void speak_as_role_models(const InterventionPlan& plan, WordInventories::Word word, AgentState& agents,
                            RandomStream& stream) const;
  void hold_listening_sessions(const InterventionPlan& plan, AgentState& agents, StepTally& tally,
                               RandomStream& stream) const;
  bool targets(const InterventionPlan& plan, std::uint32_t agent) const {
    return plan.targets_department(organization_.department[agent]);
  }

  std::vector<InterventionPlan> plans_;
  const Organization& organization_;
  bool leadership_ = false;
  double authority_threshold_ = 0;
  std::vector<double> base_incentive_weight_;
  std::vector<WordInventories::Word> word_of_;       // per plan
  std::vector<std::vector<std::uint8_t>> enrolled_;  // per language programme and post
};

}  // namespace orgsim
