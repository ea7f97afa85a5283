#include "mechanisms/encounters.hpp"

#include <algorithm>
#include <array>

namespace orgsim {

namespace {

// Encounters are naming games, so X needs L.
bool encounters_on(const EngineConfig& config) {
  return config.enabled("encounters") && config.enabled("language");
}

}  // namespace

constinit const MechanismDescriptor EncounterMechanism::descriptor{
    {"encounters", "X", {}},
    StreamId::encounters,
    make_mechanism<EncounterMechanism>,
    [](const EngineConfig& config) { return encounters_on(config); }};

EncounterParams EncounterParams::from(const EngineConfig& config) {
  return {encounters_on(config), config.real("encounters.blame_probability"),
          config.real("encounters.blame_penalty"), config.real("encounters.transfer_probability")};
}

void EncounterMechanism::initialize(World& world) {
  world.tally.keep_encounters = params_.enabled;
}

void EncounterMechanism::step(World& world, RandomStream& stream) {
  step(world.agents, world.tally, stream);
}

bool EncounterMechanism::moves_beliefs() const {
  return params_.enabled && params_.transfer_probability > 0;
}

void EncounterMechanism::step(AgentState& agents, StepTally& tally, RandomStream& stream) const {
  const BernoulliThreshold blames(params_.blame_probability);
  const BernoulliThreshold learns(params_.transfer_probability);
  for (const auto& encounter : tally.encounters) {
    if (!encounter.success) {
      if (blames(stream)) {
        blame(agents, encounter.speaker, encounter.hearer);
        ++tally.blames;
      }
    } else if (learns(stream) && transfer(agents, encounter.speaker, encounter.hearer, stream)) {
      ++tally.transfers;
    }
  }
}

void EncounterMechanism::blame(AgentState& agents, std::uint32_t a, std::uint32_t b) const {
  if (!engagement_on_) return;
  for (const auto agent : {a, b}) {
    agents.engagement[agent] =
        std::max(0.0F, agents.engagement[agent] - static_cast<float>(params_.blame_penalty));
  }
}

bool EncounterMechanism::transfer(AgentState& agents, std::uint32_t speaker, std::uint32_t hearer,
                                  RandomStream& stream) {
  const std::uint32_t differing = agents.beliefs.count_differing(hearer, speaker);
  if (differing == 0) return false;
  const std::uint32_t j = agents.beliefs.nth_differing(hearer, speaker, stream.below(differing));
  agents.beliefs.set(hearer, j, agents.beliefs.get(speaker, j));
  return true;
}

// The week's cross-department games turn into blame (engagement) and transfers (beliefs).
StateUse EncounterMechanism::step_uses() const {
  return {state::games | state::beliefs | state::engagement | state::encounter_outcomes,
          state::beliefs | state::engagement | state::encounter_outcomes};
}

}  // namespace orgsim
