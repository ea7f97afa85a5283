#include "mechanisms/leadership.hpp"

#include "model/queries.hpp"

#include <algorithm>
#include <array>

namespace orgsim {

// Words reach A's trust target (a shared word) even with L off; styles are read only by A.
constexpr std::array kLeadershipRoutes{scenario::InterventionRoute{"listening_sessions", 2},
                                       scenario::InterventionRoute{"language_program", 1},
                                       scenario::InterventionRoute{"leader_role_model", 1},
                                       scenario::InterventionRoute{"leadership_development", 0}};

constinit const MechanismDescriptor LeadershipMechanism::descriptor{
    {"leadership", "A", kLeadershipRoutes}, StreamId::leadership, make_mechanism<LeadershipMechanism>};

LeadershipParams LeadershipParams::from(const EngineConfig& config) {
  return {config.boolean("leadership.enabled"),      config.real("leadership.ceo_style"),
          config.real("leadership.trust_rate"),      config.real("leadership.compliance_floor"),
          config.real("leadership.language_weight"), config.real("leadership.authority_threshold"),
          config.real("leadership.bottom_up_rate"),  config.real("leadership.initial_trust")};
}

LeadershipMechanism::LeadershipMechanism(const EngineConfig& config, const Organization& organization)
    : params_(LeadershipParams::from(config)), organization_(organization) {
  for (const auto& department : config.departments) {
    style_mean_.push_back(department.leadership_style);
    style_spread_.push_back(department.leadership_spread);
  }
}

void LeadershipMechanism::initialize(World& world) {
  if (!params_.enabled) return;
  RandomStream styles(world.seed, StreamId::leadership_styles);
  initialize(world.agents, world.shared, styles);
}

// The code listens as this week's executives do: styles change with a
// leadership_development that starts now and with leaders hired last week.
void LeadershipMechanism::prepare(World& world) {
  world.shared.executive_listening = executive_listening(world.agents);
}

void LeadershipMechanism::step(World& world, RandomStream& stream) {
  step(world.agents, stream);
}

void LeadershipMechanism::on_hire(World& world, Newcomer& newcomer, RandomStream& turnover) {
  world.agents.trust[newcomer.agent] = params_.enabled ? static_cast<float>(params_.initial_trust) : 1.0F;
  if (params_.enabled) welcome_leader(world.agents, newcomer.agent, turnover);
}

double LeadershipMechanism::executive_listening(const AgentState& agents) const {
  double total = 0;
  double executives = 0;
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    if (organization_.level[agent] > Level::head) continue;
    total += agents.style[agent];
    executives += 1;
  }
  return 0.5 + total / executives;
}

void LeadershipMechanism::initialize(AgentState& agents, SharedState& shared, RandomStream& stream) const {
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    if (organization_.level[agent] != Level::frontline) draw_style(agents, agent, stream);
  }
  std::fill(agents.trust.begin(), agents.trust.end(), static_cast<float>(params_.initial_trust));
  confer_authority(agents);
  shared.executive_listening = executive_listening(agents);
}

void LeadershipMechanism::draw_style(AgentState& agents, std::uint32_t agent, RandomStream& stream) const {
  const auto department = organization_.department[agent];
  const double style = style_mean_[department] + style_spread_[department] * (stream.uniform() - 0.5);
  agents.style[agent] = static_cast<float>(std::clamp(style, 0.0, 1.0));
}

void LeadershipMechanism::welcome_leader(AgentState& agents, std::uint32_t agent,
                                         RandomStream& stream) const {
  if (organization_.level[agent] == Level::frontline) return;
  draw_style(agents, agent, stream);
  for (const auto report : organization_.direct_reports(agent))
    agents.trust[report] = static_cast<float>(params_.initial_trust);
}

double LeadershipMechanism::trust_target(const AgentState& agents, std::uint32_t agent) const {
  const std::uint32_t manager = organization_.manager[agent];
  const double shared = share_a_word(agents.words, agent, manager) ? 1.0 : 0.0;
  const double gamma = params_.language_weight;
  return params_.compliance_floor +
         (1.0 - params_.compliance_floor) * ((1.0 - gamma) * agents.style[manager] + gamma * shared);
}

// Every agent but the CEO takes its manager's authority alpha. Each manager's
// mean is taken once and handed to all its reports: taken per report, a
// department head's thousands of reports would cost the square of that
// number each week.
void LeadershipMechanism::confer_authority(AgentState& agents) const {
  agents.authority[0] = 1.0F;
  for (std::uint32_t manager = 0; manager < agents.agent_count; ++manager) {
    const auto reports = organization_.direct_reports(manager);
    if (reports.empty()) continue;
    const double authority = mean_report_trust(organization_, agents, manager);
    const float conferred = authority < params_.authority_threshold ? 0.0F : static_cast<float>(authority);
    for (const auto report : reports) agents.authority[report] = conferred;
  }
}

void LeadershipMechanism::step(AgentState& agents, RandomStream& stream) const {
  for (std::uint32_t agent = 1; agent < agents.agent_count; ++agent) {
    const double trust = agents.trust[agent];
    agents.trust[agent] =
        static_cast<float>(trust + params_.trust_rate * (trust_target(agents, agent) - trust));
  }
  confer_authority(agents);
  learn_from_reports(agents, stream);
}

// A servant leader (style sigma) listens: with probability bottom_up_rate x
// sigma a step, the manager moves one belief one step toward a random
// report's, on a dimension where they differ.
void LeadershipMechanism::learn_from_reports(AgentState& agents, RandomStream& stream) const {
  if (params_.bottom_up_rate <= 0.0) return;
  for (std::uint32_t manager = 0; manager < agents.agent_count; ++manager) {
    const auto reports = organization_.direct_reports(manager);
    if (reports.empty()) continue;
    if (stream.uniform() >= params_.bottom_up_rate * agents.style[manager]) continue;
    const auto report = reports[stream.below(static_cast<std::uint32_t>(reports.size()))];
    const std::uint32_t differing = agents.beliefs.count_differing(manager, report);
    if (differing == 0) continue;
    const std::uint32_t j = agents.beliefs.nth_differing(manager, report, stream.below(differing));
    const std::int8_t own = agents.beliefs.get(manager, j);
    agents.beliefs.set(manager, j,
                       static_cast<std::int8_t>(own + (agents.beliefs.get(report, j) > own ? 1 : -1)));
  }
}

// The executives' styles decide how much the code listens this week.
StateUse LeadershipMechanism::prepare_uses() const {
  return {state::style, state::executive_listening};
}

// Trust (shared words, the manager's style), authority, and servant leaders' learning from reports.
StateUse LeadershipMechanism::step_uses() const {
  return {state::words | state::style | state::trust | state::authority | state::beliefs,
          state::trust | state::authority | state::beliefs};
}

}  // namespace orgsim
