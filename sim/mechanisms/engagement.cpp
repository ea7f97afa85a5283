#include "mechanisms/engagement.hpp"

#include <algorithm>
#include <array>

namespace orgsim {

// Anchors reach E's target through purpose; inclusion's engagement boost and
// client pressure's workload are E's alone. Selectivity is used only by E's
// hiring and pulls hires toward the code, which only K sets.
constexpr std::array kEngagementRoutes{scenario::InterventionRoute{"service_definition", 2},
                                       scenario::InterventionRoute{"mission_inclusion", 2},
                                       scenario::InterventionRoute{"hiring_policy", 0, "knowledge"},
                                       scenario::InterventionRoute{"client_pressure", 0}};

constinit const MechanismDescriptor EngagementMechanism::descriptor{
    {"engagement", "E", kEngagementRoutes}, StreamId::engagement, make_mechanism<EngagementMechanism>};

EngagementParams EngagementParams::from(const EngineConfig& config) {
  const auto& words = config.text("engagement.newcomer_words");
  return {config.boolean("engagement.enabled"),
          config.real("engagement.rate"),
          config.real("engagement.baseline"),
          config.real("engagement.purpose_weight"),
          config.real("engagement.trust_weight"),
          config.real("engagement.workload"),
          config.real("engagement.workload_weight"),
          config.real("engagement.initial"),
          config.real("engagement.disengagement_turnover"),
          config.real("engagement.hiring_selectivity"),
          words == "empty"     ? NewcomerWords::empty
          : words == "outside" ? NewcomerWords::outside
                               : NewcomerWords::jargon};
}

EngagementMechanism::EngagementMechanism(const EngineConfig& config, const Organization& organization)
    : params_(EngagementParams::from(config)),
      organization_(organization),
      turnover_rate_(config.real("knowledge.turnover_rate")) {}

void EngagementMechanism::initialize(World& world) {
  if (params_.enabled) initialize(world.agents);
}

void EngagementMechanism::step(World& world, RandomStream& /*stream*/) {
  step(world.agents, world.shared, world.blocks);
}

void EngagementMechanism::on_hire(World& world, Newcomer& newcomer, RandomStream& turnover) {
  world.agents.engagement[newcomer.agent] = params_.enabled ? static_cast<float>(params_.initial) : 1.0F;
  if (!params_.enabled) return;
  draw_hire_beliefs(world.agents, world.shared, newcomer.agent, turnover);
  newcomer.beliefs_drawn = true;
  newcomer.words = params_.newcomer_words;
}

void EngagementMechanism::initialize(AgentState& agents) const {
  std::fill(agents.engagement.begin(), agents.engagement.end(), static_cast<float>(params_.initial));
}

double EngagementMechanism::target(const AgentState& agents, const SharedState& shared,
                                   std::uint32_t agent) const {
  const double workload = shared.levers.workload >= 0 ? shared.levers.workload : params_.workload;
  const double target = params_.baseline + params_.purpose_weight * (agents.purpose[agent] - 0.5) +
                        params_.trust_weight * (agents.trust[agent] - 0.5) -
                        params_.workload_weight * workload +
                        shared.levers.engagement_boost[organization_.department[agent]];
  return std::clamp(target, 0.0, 1.0);
}

void EngagementMechanism::step(AgentState& agents, const SharedState& shared, BlockPool& blocks) const {
  blocks.for_each(block_count(agents.agent_count), [&](std::uint32_t block) {
    const auto [first, end] = block_range(block, agents.agent_count);
    for (std::uint32_t agent = first; agent < end; ++agent) {
      const double engagement = agents.engagement[agent];
      agents.engagement[agent] =
          static_cast<float>(engagement + params_.rate * (target(agents, shared, agent) - engagement));
    }
  });
}

void EngagementMechanism::draw_hire_beliefs(AgentState& agents, const SharedState& shared,
                                            std::uint32_t agent, RandomStream& stream) const {
  const double selectivity =
      shared.levers.hiring_selectivity >= 0 ? shared.levers.hiring_selectivity : params_.hiring_selectivity;
  const BernoulliThreshold selected(selectivity);
  for (std::uint32_t j = 0; j < agents.dimensions; ++j) {
    // With s = 0 no trial is drawn, so the draws are exactly March's.
    if (shared.code[j] != 0 && !selected.never() && selected(stream)) {
      agents.beliefs.set(agent, j, shared.code[j]);
    } else {
      agents.beliefs.set(agent, j, static_cast<std::int8_t>(static_cast<int>(stream.below(3)) - 1));
    }
  }
}

// Engagement moves toward its target (purpose, trust, workload, boosts).
StateUse EngagementMechanism::step_uses() const {
  return {state::engagement | state::purpose | state::trust | state::levers, state::engagement};
}

}  // namespace orgsim
