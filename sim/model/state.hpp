#pragma once
// Agent state as struct of arrays: one typed column per attribute, the
// beliefs as bit-planes (model/beliefs.hpp).
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "model/beliefs.hpp"
#include "model/word_inventories.hpp"

namespace orgsim {

struct AgentState {
  std::uint32_t agent_count = 0;
  std::uint32_t dimensions = 0;        // m
  BeliefPlanes beliefs;                // b_ij in {-1, 0, 1}
  std::vector<std::int32_t> scores;    // sum_j a_ij r_j of the last act phase
  std::vector<double> purpose;         // phi_i in [0, 1]
  std::vector<double> purpose_anchor;  // phi0_i
  std::vector<float> trust;            // tau_i in the own manager
  std::vector<float> authority;        // alpha_i: the manager's effective authority over i
  std::vector<float> style;            // sigma: leadership style (0 control, 1 servant), managers only
  std::vector<float> engagement;       // e_i
  std::vector<std::uint32_t> tenure;   // steps since hire
  WordInventories words;               // W_i

  AgentState(std::uint32_t agents, std::uint32_t dims)
      : agent_count(agents),
        dimensions(dims),
        beliefs(agents, dims),
        scores(agents),
        purpose(agents),
        purpose_anchor(agents),
        trust(agents, 1.0F),
        authority(agents, 1.0F),
        style(agents, 0.5F),
        engagement(agents, 1.0F),
        tenure(agents, 0),
        words(agents) {}
};

// What interventions set and mechanisms read, re-established every step
// from the interventions active in it.
struct Levers {
  std::vector<double> incentive_weight;  // w_d per department (executive last), kpi_realignment
  std::vector<double> engagement_boost;  // added to the engagement target, mission_inclusion
  double code_learning_scale = 1.0;      // p2 multiplier, mission_inclusion
  double voice_scale = 1.0;              // code_sample_size multiplier, feedback_loop
  double report_bias_scale = 1.0;        // feedback_loop
  double workload = -1.0;                // client_pressure; < 0: the scenario's own
  double hiring_selectivity = -1.0;      // hiring_policy; < 0: the scenario's own
};

// Organization-wide state.
struct SharedState {
  std::vector<std::int8_t> reality;      // r in {-1, 1}^m, what customers value
  std::vector<std::int8_t> code;         // c in {-1, 0, 1}^m, the mission code
  std::vector<std::int8_t> kpi_targets;  // k_d in {-1, 1}^m per department (executive row last)
  std::int32_t code_score = 0;           // sum_j c_j r_j at the last act phase
  Levers levers;
  // How much the executives (CEO and heads) listen: 0.5 + their mean style,
  // scaling code learning p2 (1 when leadership is off, or for mid-way styles).
  double executive_listening = 1.0;
  // Perception (V), as of the last step; NaN until the mechanism has run.
  double actual_value = std::numeric_limits<double>::quiet_NaN();
  double leader_perceived_value = std::numeric_limits<double>::quiet_NaN();
  double frontline_perceived_value = std::numeric_limits<double>::quiet_NaN();

  std::span<const std::int8_t> kpi_of(std::uint32_t department) const noexcept {
    return {kpi_targets.data() + std::size_t{department} * reality.size(), reality.size()};
  }
};

// What the step's games produced, for the observables.
// A naming game between members of different departments, kept for the
// cross-silo encounter mechanism (X).
struct Encounter {
  std::uint32_t speaker = 0;
  std::uint32_t hearer = 0;
  bool success = false;
};

struct StepTally {
  std::uint64_t games_within = 0, successes_within = 0;
  std::uint64_t games_across = 0, successes_across = 0;
  std::vector<std::uint64_t> games_by_department, successes_by_department;  // by speaker's department
  std::uint64_t leavers = 0;
  bool keep_encounters = false;  // set when X is on
  std::vector<Encounter> encounters;
  std::uint64_t blames = 0, transfers = 0;

  // Clears the counts, keeping the buffers' capacity.
  void reset(std::size_t departments) {
    games_within = successes_within = games_across = successes_across = leavers = blames = transfers = 0;
    games_by_department.assign(departments, 0);
    successes_by_department.assign(departments, 0);
    encounters.clear();
  }
};

}  // namespace orgsim
