#include "mechanisms/perception.hpp"

#include <algorithm>
#include <array>
#include <numeric>

#include "model/queries.hpp"

namespace orgsim {

// Words reach V's report noise (a shared word) even with L off; the feedback
// loop's bias reduction is V's first.
constexpr std::array kPerceptionRoutes{
    scenario::InterventionRoute{"listening_sessions", 3}, scenario::InterventionRoute{"language_program", 2},
    scenario::InterventionRoute{"leader_role_model", 2}, scenario::InterventionRoute{"feedback_loop", 0}};

constinit const MechanismDescriptor PerceptionMechanism::descriptor{
    {"perception", "V", kPerceptionRoutes}, StreamId::perception, make_mechanism<PerceptionMechanism>};

PerceptionParams PerceptionParams::from(const EngineConfig& config) {
  return {config.boolean("perception.enabled"),           config.real("perception.report_bias"),
          config.real("perception.report_noise"),         config.real("perception.collaboration_penalty"),
          config.real("perception.customer_expectation"), config.real("perception.expectation_growth"),
          config.real("perception.frontline_norm")};
}

void PerceptionMechanism::step(World& world, RandomStream& stream) {
  step(world.agents, world.shared, world.tally, world.week + 1, stream);
}

PerceptionMechanism::PerceptionMechanism(const EngineConfig& config, const Organization& organization)
    : params_(PerceptionParams::from(config)),
      organization_(organization),
      heard_sum_(organization.agent_count()),
      heard_count_(organization.agent_count()) {
  bottom_up_order_.resize(organization.agent_count());
  std::iota(bottom_up_order_.begin(), bottom_up_order_.end(), 0U);
  std::stable_sort(bottom_up_order_.begin(), bottom_up_order_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return organization.level[a] > organization.level[b];
  });
}

double PerceptionMechanism::delivered_value(const AgentState& agents, std::uint32_t agent) {
  const auto m = static_cast<double>(agents.dimensions);
  const double correct = (static_cast<double>(agents.scores[agent]) / m + 1.0) / 2.0;  // share of a_ij = r_j
  return agents.engagement[agent] * correct;
}

double PerceptionMechanism::report(const AgentState& agents, std::uint32_t sender, double view,
                                   RandomStream& stream, double bias_scale) const {
  const std::uint32_t manager = organization_.manager[sender];
  const double bias = bias_scale * params_.report_bias * (1.0 - agents.trust[sender]) * (1.0 - view);
  const double noise =
      share_a_word(agents.words, sender, manager) ? 0.0 : params_.report_noise * stream.normal();
  return std::clamp(view + bias + noise, 0.0, 1.0);
}

void PerceptionMechanism::step(const AgentState& agents, SharedState& shared, const StepTally& tally,
                               std::uint32_t step_index, RandomStream& stream) {
  const double blame_rate = tally.games_across > 0
                                ? static_cast<double>(tally.blames) / static_cast<double>(tally.games_across)
                                : 0.0;
  const double kept = 1.0 - params_.collaboration_penalty * blame_rate;
  std::fill(heard_sum_.begin(), heard_sum_.end(), 0.0);
  std::fill(heard_count_.begin(), heard_count_.end(), 0U);
  double delivered = 0;
  double judged = 0;
  double frontline = 0;
  for (const std::uint32_t agent : bottom_up_order_) {
    double view = 0;
    if (organization_.level[agent] == Level::frontline || heard_count_[agent] == 0) {
      view = kept * delivered_value(agents, agent);
      if (organization_.level[agent] == Level::frontline) {
        delivered += view;
        judged += view - params_.frontline_norm;
        frontline += 1;
      }
    } else {
      view = heard_sum_[agent] / heard_count_[agent];
    }
    if (agent == 0) {
      const double expectation = params_.customer_expectation + params_.expectation_growth * step_index;
      shared.leader_perceived_value = view - expectation;
      break;  // the CEO is last: deepest level first, level 0 at the end
    }
    const std::uint32_t manager = organization_.manager[agent];
    heard_sum_[manager] += report(agents, agent, view, stream, shared.levers.report_bias_scale);
    heard_count_[manager] += 1;
  }
  shared.actual_value = frontline > 0 ? delivered / frontline : 0.0;
  shared.frontline_perceived_value = frontline > 0 ? judged / frontline : 0.0;
}

}  // namespace orgsim
