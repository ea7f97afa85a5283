#include "mechanisms/engagement.hpp"

#include <algorithm>

namespace orgsim {

EngagementMechanism::EngagementMechanism(const EngineConfig& config)
    : params_(config.engagement), turnover_rate_(config.knowledge.turnover_rate) {}

void EngagementMechanism::initialize(AgentState& agents) const {
  std::fill(agents.engagement.begin(), agents.engagement.end(), static_cast<float>(params_.initial));
}

double EngagementMechanism::target(const AgentState& agents, std::uint32_t agent) const {
  const double target = params_.baseline + params_.purpose_weight * (agents.purpose[agent] - 0.5) +
                        params_.trust_weight * (agents.trust[agent] - 0.5) -
                        params_.workload_weight * params_.workload;
  return std::clamp(target, 0.0, 1.0);
}

void EngagementMechanism::step(AgentState& agents) const {
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    const double engagement = agents.engagement[agent];
    agents.engagement[agent] =
        static_cast<float>(engagement + params_.rate * (target(agents, agent) - engagement));
  }
}

void EngagementMechanism::draw_hire_beliefs(AgentState& agents, const SharedState& shared,
                                            std::uint32_t agent, RandomStream& stream) const {
  const BernoulliThreshold selected(params_.hiring_selectivity);
  auto beliefs = agents.beliefs_of(agent);
  for (std::size_t j = 0; j < beliefs.size(); ++j) {
    // With s = 0 no trial is drawn, so the draws are exactly March's.
    if (shared.code[j] != 0 && !selected.never() && selected(stream)) {
      beliefs[j] = shared.code[j];
    } else {
      beliefs[j] = static_cast<std::int8_t>(static_cast<int>(stream.below(3)) - 1);
    }
  }
}

}  // namespace orgsim
