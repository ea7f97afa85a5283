#include "mechanisms/engagement.hpp"

#include <algorithm>

namespace orgsim {

EngagementMechanism::EngagementMechanism(const EngineConfig& config, const Organization& organization)
    : params_(config.engagement),
      organization_(organization),
      turnover_rate_(config.knowledge.turnover_rate) {}

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

void EngagementMechanism::step(AgentState& agents, const SharedState& shared) const {
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    const double engagement = agents.engagement[agent];
    agents.engagement[agent] =
        static_cast<float>(engagement + params_.rate * (target(agents, shared, agent) - engagement));
  }
}

void EngagementMechanism::draw_hire_beliefs(AgentState& agents, const SharedState& shared,
                                            std::uint32_t agent, RandomStream& stream) const {
  const double selectivity =
      shared.levers.hiring_selectivity >= 0 ? shared.levers.hiring_selectivity : params_.hiring_selectivity;
  const BernoulliThreshold selected(selectivity);
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
