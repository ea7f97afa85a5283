#pragma once
// The one interface through which a mechanism plugs into a run. The engine
// builds every mechanism of the schedule (engine/schedule.cpp) from its
// descriptor, calls its hooks in the schedule's orders and asks the list,
// never a mechanism by name, what a question about all of them needs.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "core/blocks.hpp"
#include "core/random.hpp"
#include "mechanisms/observable.hpp"
#include "model/config.hpp"
#include "model/state.hpp"
#include "scenario/parameters.hpp"

namespace orgsim {

class Mechanism;
struct MechanismDescriptor;

// The parts of a run's state that a hook reads or writes. On a run with
// threads of its own, the engine runs two hooks of the week side by side
// when neither writes a part the other reads or writes (and they belong to
// different mechanisms), so the week's results are those of its order.
// A hook that declares nothing uses everything and runs alone.
namespace state {
inline constexpr std::uint32_t beliefs = 1U << 0U;               // b_ij
inline constexpr std::uint32_t scores = 1U << 1U;                // the last act phase's scores
inline constexpr std::uint32_t knowledge_shared = 1U << 2U;      // reality, the code, its score, KPI targets
inline constexpr std::uint32_t words = 1U << 3U;                 // the word inventories
inline constexpr std::uint32_t purpose = 1U << 4U;               // phi_i and the anchors
inline constexpr std::uint32_t trust = 1U << 5U;                 // tau_i
inline constexpr std::uint32_t authority = 1U << 6U;             // alpha_i
inline constexpr std::uint32_t style = 1U << 7U;                 // sigma
inline constexpr std::uint32_t engagement = 1U << 8U;            // e_i
inline constexpr std::uint32_t levers = 1U << 9U;                // what the interventions set
inline constexpr std::uint32_t executive_listening = 1U << 10U;  // the executives' listening
inline constexpr std::uint32_t perceived_value = 1U << 11U;      // V's actual and perceived values
inline constexpr std::uint32_t games = 1U << 12U;                // the tally's games and encounters
inline constexpr std::uint32_t encounter_outcomes = 1U << 13U;   // the tally's blames and transfers
inline constexpr std::uint32_t everything = ~0U;                 // tenure and whatever is not listed
}  // namespace state

struct StateUse {
  std::uint32_t reads = state::everything;
  std::uint32_t writes = state::everything;

  // Whether this hook and `other` may not run side by side.
  bool conflicts_with(const StateUse& other) const noexcept {
    return (writes & (other.reads | other.writes)) != 0 || (other.writes & reads) != 0;
  }
};

// One mechanism of a run with its descriptor.
struct MechanismSlot {
  const MechanismDescriptor* descriptor = nullptr;
  std::unique_ptr<Mechanism> mechanism;
  bool enabled = false;  // the descriptor's answer for this run's config
};

// What the hooks see of a run.
struct World {
  const Organization& organization;
  AgentState& agents;
  SharedState& shared;
  StepTally& tally;
  std::uint64_t seed;      // the run's: initialize derives its own streams from it
  std::uint32_t week = 0;  // weeks done before this one
  std::span<const MechanismSlot> mechanisms;
  // The run's threads, for loops over blocks of agents (core/blocks.hpp).
  BlockPool& blocks;

  // The run's mechanism for a section, or nullptr.
  Mechanism* find(std::string_view section) const;
};

// A leaver's replacement as the hire hooks build it up in the schedule's
// hire order. A hiring policy that runs first may draw the beliefs and pick
// the words; later hooks then keep them.
struct Newcomer {
  std::uint32_t agent = 0;
  bool beliefs_drawn = false;
  std::optional<NewcomerWords> words;
};

class Mechanism {
 public:
  Mechanism() = default;
  Mechanism(const Mechanism&) = delete;
  Mechanism& operator=(const Mechanism&) = delete;
  virtual ~Mechanism() = default;

  // Once, in the schedule's initialize order, whether the mechanism is on or
  // off: some state (beliefs, anchors, words) exists either way.
  virtual void initialize(World& /*world*/) {}
  // After the interventions' step and before any other mechanism steps this
  // week (engine/schedule.cpp), for what the others read this week.
  virtual void prepare(World& /*world*/) {}
  // One week, with the mechanism's own stream; only when it is enabled.
  virtual void step(World& /*world*/, RandomStream& /*stream*/) {}
  // A leaver's replacement, on the turnover stream, on or off.
  virtual void on_hire(World& /*world*/, Newcomer& /*newcomer*/, RandomStream& /*turnover*/) {}

  // What `prepare` and `step` read and write (state:: parts): everything
  // unless declared. A declaration that leaves out a part the hook touches
  // makes a threaded run's results depend on timing.
  virtual StateUse prepare_uses() const { return {}; }
  virtual StateUse step_uses() const { return {}; }

  // The equilibrium rule: whether, in this configuration, the mechanism
  // moves beliefs other than through March's socialization and code
  // learning, so that March's equilibrium is not absorbing.
  virtual bool moves_beliefs() const { return false; }
  // The combined answer of every other mechanism of the run.
  virtual void set_beliefs_moved_elsewhere(bool /*moved*/) {}

  // Turnover: a mechanism may set each agent's chance of leaving (in place
  // of March's p3 alone); at most one of a run's mechanisms does.
  virtual bool decides_leaving() const { return false; }
  // Whether its week would change nothing from now on, provided no other
  // mechanism changes anything either: a run whose mechanisms all rest (and
  // nobody leaves) stops stepping and carries its last observation forward.
  virtual bool at_rest() const { return false; }
  virtual double leave_probability(const AgentState& /*agents*/, std::uint32_t /*agent*/) const { return 0; }
};

struct MechanismDescriptor {
  // Its scenario section (the name), symbol, the intervention kinds acting
  // through it and, for one added outside the built-in table, its rows.
  scenario::MechanismDeclaration declaration;
  StreamId stream;  // its week's random stream
  std::unique_ptr<Mechanism> (*make)(const EngineConfig& config, const Organization& organization);
  // Whether its week's hooks run in this configuration; nullptr: its
  // section's `enabled` key, the rule for all but a mechanism that needs another.
  bool (*enabled_when)(const EngineConfig& config) = nullptr;
  // Its own observables, if any: the registry appends the topic this returns
  // after the built-in topics, and every results file gains its variables.
  ObservableTopic (*observables)() = nullptr;

  std::string_view name() const { return declaration.section; }
  bool enabled(const EngineConfig& config) const {
    return enabled_when != nullptr ? enabled_when(config) : config.enabled(declaration.section);
  }
};

// The factory a descriptor names: a mechanism built from the config and the organization.
template <class Kind>
std::unique_ptr<Mechanism> make_mechanism(const EngineConfig& config, const Organization& organization) {
  return std::make_unique<Kind>(config, organization);
}

inline Mechanism* World::find(std::string_view section) const {
  for (const auto& slot : mechanisms) {
    if (slot.descriptor->name() == section) return slot.mechanism.get();
  }
  return nullptr;
}

}  // namespace orgsim
