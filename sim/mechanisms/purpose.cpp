#include "mechanisms/purpose.hpp"

#include <algorithm>
#include <array>

namespace orgsim {

// Purpose anchors are P's anchoring first.
constexpr std::array kPurposeRoutes{scenario::InterventionRoute{"service_definition", 0},
                                    scenario::InterventionRoute{"mission_inclusion", 0}};

// P's week draws nothing; the stream it names is the one its anchors are
// drawn from at initialization. A weekly draw would replay the anchors'
// sequence, so one needs a StreamId of its own first.
constinit const MechanismDescriptor PurposeMechanism::descriptor{
    {"purpose", "P", kPurposeRoutes}, StreamId::purpose, make_mechanism<PurposeMechanism>};

PurposeParams PurposeParams::from(const EngineConfig& config) {
  return {config.boolean("purpose.enabled"), config.real("purpose.susceptibility"),
          config.real("purpose.self_weight"), config.real("purpose.manager_weight")};
}

PurposeMechanism::PurposeMechanism(const EngineConfig& config, const Organization& organization)
    : params_(PurposeParams::from(config)), organization_(organization) {
  for (const auto& department : config.departments) {
    baseline_.push_back(department.purpose_baseline);
    spread_.push_back(department.purpose_spread);
  }
}

void PurposeMechanism::initialize(World& world) {
  RandomStream anchors(world.seed, StreamId::purpose);
  initialize(world.agents, anchors);
}

void PurposeMechanism::step(World& world, RandomStream& /*stream*/) {
  step(world.agents, world.shared, world.blocks);
}

void PurposeMechanism::on_hire(World& world, Newcomer& newcomer, RandomStream& turnover) {
  draw_anchor(world.agents, newcomer.agent, turnover);
}

void PurposeMechanism::initialize(AgentState& agents, RandomStream& stream) const {
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) draw_anchor(agents, agent, stream);
}

void PurposeMechanism::draw_anchor(AgentState& agents, std::uint32_t agent, RandomStream& stream) const {
  const auto department = organization_.department[agent];
  const double anchor = baseline_[department] + spread_[department] * (stream.uniform() - 0.5);
  agents.purpose_anchor[agent] = std::clamp(anchor, 0.0, 1.0);
  agents.purpose[agent] = agents.purpose_anchor[agent];
}

// Everyone moves from last week's purposes, so the agents' blocks are independent.
void PurposeMechanism::step(AgentState& agents, const SharedState& shared, BlockPool& blocks) {
  const std::uint32_t n = agents.agent_count;
  next_.resize(n);
  const bool complete = organization_.network.is_complete();
  // Mean field: every other agent weighs 1, the agent itself self_weight.
  double total = 0;
  if (complete) {
    for (const double phi : agents.purpose) total += phi;
  }
  const double complete_row_sum = params_.self_weight + (n - 1);
  blocks.for_each(block_count(n), [&](std::uint32_t block) {
    const auto [first, end] = block_range(block, n);
    for (std::uint32_t i = first; i < end; ++i) {
      double influence = 0;
      if (complete) {
        influence = (params_.self_weight * agents.purpose[i] + total - agents.purpose[i]) / complete_row_sum;
      } else {
        double weighted = 0;
        double row_sum = 0;
        for_each_weight(agents, i, [&](std::uint32_t j, double weight) {
          weighted += weight * agents.purpose[j];
          row_sum += weight;
        });
        influence = row_sum > 0 ? weighted / row_sum : agents.purpose[i];
      }
      const double lambda = susceptibility(shared, i);
      next_[i] = lambda * influence + (1.0 - lambda) * agents.purpose_anchor[i];
    }
  });
  agents.purpose.swap(next_);
}

// Purpose moves toward the ties' and the trusted manager's, and its anchor.
StateUse PurposeMechanism::step_uses() const {
  return {state::purpose | state::trust | state::authority | state::levers, state::purpose};
}

}  // namespace orgsim
