#include "mechanisms/perception.hpp"

#include <algorithm>
#include <array>

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
  step(world.agents, world.shared, world.tally, world.week + 1, stream, world.blocks);
}

// Depth by depth from the CEO, so that a manager always comes after every
// report (however deep an organization's chart).
PerceptionMechanism::PerceptionMechanism(const EngineConfig& config, const Organization& organization)
    : params_(PerceptionParams::from(config)),
      organization_(organization),
      view_(organization.agent_count()) {
  std::vector<std::vector<std::uint32_t>> depths{{0U}};
  while (true) {
    std::vector<std::uint32_t> next;
    for (const std::uint32_t agent : depths.back()) {
      const auto reports = organization.direct_reports(agent);
      next.insert(next.end(), reports.begin(), reports.end());
    }
    if (next.empty()) break;
    std::sort(next.begin(), next.end());
    depths.push_back(std::move(next));
  }
  depth_start_.push_back(0);
  std::reverse(depths.begin(), depths.end());
  for (const auto& depth : depths) {
    bottom_up_order_.insert(bottom_up_order_.end(), depth.begin(), depth.end());
    depth_start_.push_back(static_cast<std::uint32_t>(bottom_up_order_.size()));
  }
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

// A manager hears each direct report once, in the reports' order, and its
// view is their mean; one without reports, and everyone on the front line,
// judges the value delivered. The reports of one depth are independent of
// one another: each block of a depth draws their noise from a stream of its
// own, and sums what its front line judged for the week's totals.
void PerceptionMechanism::step(const AgentState& agents, SharedState& shared, const StepTally& tally,
                               std::uint32_t step_index, RandomStream& stream, BlockPool& blocks) {
  const double blame_rate = tally.games_across > 0
                                ? static_cast<double>(tally.blames) / static_cast<double>(tally.games_across)
                                : 0.0;
  const double kept = 1.0 - params_.collaboration_penalty * blame_rate;
  const double bias_scale = shared.levers.report_bias_scale;
  Sums total;
  for (std::size_t depth = 0; depth + 1 < depth_start_.size(); ++depth) {
    const std::uint32_t start = depth_start_[depth];
    const std::uint32_t size = depth_start_[depth + 1] - start;
    const std::uint32_t block_total = block_count(size);
    block_sums_.assign(block_total, Sums{});
    const std::uint64_t base = stream();
    blocks.for_each(block_total, [&](std::uint32_t block) {
      RandomStream noise = RandomStream::for_block(base, block);
      Sums& sums = block_sums_[block];
      const auto [first, end] = block_range(block, size);
      for (std::uint32_t k = start + first; k < start + end; ++k) {
        const std::uint32_t agent = bottom_up_order_[k];
        const auto reports = organization_.direct_reports(agent);
        const bool frontline = organization_.level[agent] == Level::frontline;
        double view = 0;
        if (frontline || reports.empty()) {
          view = kept * delivered_value(agents, agent);
          if (frontline) {
            sums.delivered += view;
            sums.judged += view - params_.frontline_norm;
            sums.frontline += 1;
          }
        } else {
          double heard = 0;
          for (const std::uint32_t sender : reports)
            heard += report(agents, sender, view_[sender], noise, bias_scale);
          view = heard / static_cast<double>(reports.size());
        }
        view_[agent] = view;
      }
    });
    for (const Sums& sums : block_sums_) {
      total.delivered += sums.delivered;
      total.judged += sums.judged;
      total.frontline += sums.frontline;
    }
  }
  const double expectation = params_.customer_expectation + params_.expectation_growth * step_index;
  shared.leader_perceived_value = view_[0] - expectation;
  shared.actual_value = total.frontline > 0 ? total.delivered / total.frontline : 0.0;
  shared.frontline_perceived_value = total.frontline > 0 ? total.judged / total.frontline : 0.0;
}

// Reports up the hierarchy: delivered value (scores, engagement), blame, bias (trust), noise (shared words).
StateUse PerceptionMechanism::step_uses() const {
  return {state::scores | state::engagement | state::trust | state::words | state::levers | state::games |
              state::encounter_outcomes | state::perceived_value,
          state::perceived_value};
}

}  // namespace orgsim
