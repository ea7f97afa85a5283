#pragma once
// What a run reports each step: the values of every registered observable
// (engine/observable_registry.hpp), organization observables and
// per-department observables.
#include <cstdint>
#include <span>
#include <vector>

#include "engine/observable_registry.hpp"
#include "mechanisms/mechanism.hpp"
#include "model/config.hpp"
#include "model/organization.hpp"
#include "model/state.hpp"

namespace orgsim {

// Indices of the built-in observables in registry order, for code that
// reads one of them by name (tests/engine/test_observables.cpp checks them
// against the registry). Observables registered later have no name here.
enum class OrgObservable : std::uint8_t {
  code_knowledge,
  individual_knowledge,
  code_alignment,
  silo_divergence,
  purpose_mean,
  purpose_sd,
  distinct_words,
  words_per_agent,
  consensus_share,
  communication_success,
  success_within,
  success_across,
  departments_off_dominant,
  leavers,
  trust_mean,
  authority_mean,
  managers_without_authority,
  engagement_mean,
  blame_rate,
  knowledge_transfers,
  actual_value,
  leader_perceived_value,
  frontline_perceived_value,
  perception_gap,
};

enum class DepartmentObservable : std::uint8_t {
  knowledge,
  code_alignment,
  purpose_mean,
  consensus_share,
  communication_success,
  trust_mean,
  engagement_mean,
};

// Computes one step's values of every registered topic into `org` (one per
// organization observable) and `departments` (departments x department
// observables). In an isolated run (see Simulation: no interventions, nobody
// leaves, nothing but K moves beliefs) a topic named after a mechanism that
// is off is not computed: nothing else changes what it measures, and its
// values are NaN, the results file's fill value.
class Observer {
 public:
  Observer(const Organization& organization, const EngineConfig& config);
  // For an isolated run: leaves out the topics of the mechanisms that are off.
  void skip_switched_off(std::span<const MechanismSlot> mechanisms);
  void observe(const AgentState& agents, const SharedState& shared, const StepTally& tally,
               std::span<double> org, std::span<double> departments) const;

 private:
  const Organization& organization_;
  const EngineConfig& config_;
  std::vector<double> members_;  // per department, the executive's last
  std::vector<bool> computed_;   // per registered topic: its mechanism, if it names one, is on
};

}  // namespace orgsim
