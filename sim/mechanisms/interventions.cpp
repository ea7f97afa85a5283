#include "mechanisms/interventions.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "mechanisms/encounters.hpp"
#include "mechanisms/knowledge.hpp"
#include "mechanisms/language.hpp"
#include "mechanisms/leadership.hpp"
#include "model/queries.hpp"

namespace orgsim {
namespace {

// Purpose anchors (and purpose) rise by boost x (1 - value).
void raise_purpose(AgentState& agents, std::uint32_t agent, double boost) {
  agents.purpose_anchor[agent] += boost * (1.0 - agents.purpose_anchor[agent]);
  agents.purpose[agent] += boost * (1.0 - agents.purpose[agent]);
}

}  // namespace

// The interventions act through the mechanisms that declare their kinds, so
// this one declares none.
constinit const MechanismDescriptor InterventionSchedule::descriptor{
    {"interventions", "", {}},
    StreamId::interventions,
    make_mechanism<InterventionSchedule>,
    [](const EngineConfig& config) { return !config.interventions.empty(); }};

void InterventionSchedule::initialize(World& world) {
  const auto* language = dynamic_cast<const LanguageMechanism*>(world.find("language"));
  initialize(world.agents, *language);
}

void InterventionSchedule::step(World& world, RandomStream& stream) {
  apply(world.week, world.agents, world.shared, world.tally, stream);
}

InterventionSchedule::InterventionSchedule(const EngineConfig& config, const Organization& organization)
    : plans_(config.interventions),
      organization_(organization),
      leadership_(config.enabled("leadership")),
      authority_threshold_(config.real("leadership.authority_threshold")) {
  for (const auto& department : config.departments)
    base_incentive_weight_.push_back(department.incentive_weight);
}

void InterventionSchedule::initialize(AgentState& agents, const LanguageMechanism& language) {
  std::vector<std::pair<std::string, WordInventories::Word>> invented;
  word_of_.assign(plans_.size(), 0);
  enrolled_.assign(plans_.size(), {});
  for (std::size_t i = 0; i < plans_.size(); ++i) {
    const auto& word = plans_[i].word;
    if (word.empty()) continue;
    if (const auto jargon = language.jargon_id(word)) {
      word_of_[i] = *jargon;
      continue;
    }
    auto found =
        std::find_if(invented.begin(), invented.end(), [&](const auto& w) { return w.first == word; });
    if (found == invented.end()) found = invented.insert(invented.end(), {word, agents.words.invent()});
    word_of_[i] = found->second;
  }
}

void InterventionSchedule::apply(std::uint32_t step, AgentState& agents, SharedState& shared,
                                 StepTally& tally, RandomStream& stream) {
  for (std::size_t i = 0; i < plans_.size(); ++i) {
    const auto& plan = plans_[i];
    if (!plan.active(step)) continue;
    if (step == plan.start) begin(plan, i, agents, shared, stream);
    switch (plan.kind) {
      case InterventionKind::language_program:
        train(i, agents, stream);
        break;
      case InterventionKind::leader_role_model:
        speak_as_role_models(plan, word_of_[i], agents, stream);
        break;
      case InterventionKind::listening_sessions:
        hold_listening_sessions(plan, agents, tally, stream);
        break;
      default:
        break;
    }
  }
  set_levers(step, shared);
}

// One-off changes when an intervention starts.
void InterventionSchedule::begin(const InterventionPlan& plan, std::size_t index, AgentState& agents,
                                 SharedState& shared, RandomStream& stream) {
  switch (plan.kind) {
    case InterventionKind::service_definition:
    case InterventionKind::mission_inclusion:
      for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
        if (targets(plan, agent)) raise_purpose(agents, agent, plan.anchor_boost);
      }
      break;
    case InterventionKind::kpi_realignment:
      for (std::uint32_t d = 0; d < plan.targets.size(); ++d) {
        if (plan.targets_department(d)) draw_kpi_target(shared, d, plan.kpi_alignment, stream);
      }
      break;
    case InterventionKind::leadership_development:
      for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
        if (!targets(plan, agent) || organization_.level[agent] == Level::frontline) continue;
        agents.style[agent] += static_cast<float>(plan.style_shift * (1.0 - agents.style[agent]));
      }
      break;
    case InterventionKind::language_program: {
      // Enrolment is by post: a replacement takes over the leaver's place in the programme.
      auto& enrolled = enrolled_[index];
      enrolled.assign(agents.agent_count, 0);
      for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
        enrolled[agent] = targets(plan, agent) && stream.uniform() < plan.coverage ? 1 : 0;
      }
      break;
    }
    default:
      break;
  }
}

// A session is a naming game whose speaker is the trainer, committed to the
// programme's word (Xie et al. 2011): the trainee adds the word if new and
// keeps only it if already known. Competing programmes thus pull the same
// people toward different words, while one programme keeps pulling one way.
void InterventionSchedule::train(std::size_t index, AgentState& agents, RandomStream& stream) const {
  const auto word = word_of_[index];
  const auto& enrolled = enrolled_[index];
  const double rate = plans_[index].session_rate;
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    if (!enrolled[agent] || stream.uniform() >= rate) continue;
    if (agents.words.contains(agent, word)) {
      agents.words.collapse_to(agent, word);
    } else {
      agents.words.add(agent, word);
    }
  }
}

// Role models hold to the word and speak it to each direct report, as long as
// they have authority (always, when leadership is off).
void InterventionSchedule::speak_as_role_models(const InterventionPlan& plan, WordInventories::Word word,
                                                AgentState& agents, RandomStream& stream) const {
  for (std::uint32_t leader = 0; leader < agents.agent_count; ++leader) {
    const auto level = organization_.level[leader];
    const bool chosen = (level == Level::ceo && plan.ceo) ||
                        (level == Level::head && plan.heads && targets(plan, leader)) ||
                        (level == Level::manager && plan.managers && targets(plan, leader));
    if (!chosen) continue;
    agents.words.collapse_to(leader, word);
    if (leadership_ && mean_report_trust(organization_, agents, leader) < authority_threshold_) continue;
    for (const auto report : organization_.direct_reports(leader)) {
      LanguageMechanism::play(agents.words, leader, report, stream);
    }
  }
}

// Sessions between every pair of targeted departments: pairs of people meet,
// nobody blames, each learns the other's word and passes the other a belief.
void InterventionSchedule::hold_listening_sessions(const InterventionPlan& plan, AgentState& agents,
                                                   StepTally& tally, RandomStream& stream) const {
  const auto& departments = organization_.departments;
  const double whole = std::floor(plan.sessions_per_step);
  for (std::uint32_t a = 0; a < departments.size(); ++a) {
    for (std::uint32_t b = a + 1; b < departments.size(); ++b) {
      if (!plan.targets_department(a) || !plan.targets_department(b)) continue;
      const auto sessions =
          static_cast<std::uint32_t>(whole) + (stream.uniform() < plan.sessions_per_step - whole ? 1U : 0U);
      for (std::uint32_t session = 0; session < sessions * plan.participants; ++session) {
        const std::uint32_t x = departments[a].first_agent + stream.below(departments[a].headcount);
        const std::uint32_t y = departments[b].first_agent + stream.below(departments[b].headcount);
        // Both words are chosen before either is learned, so each side learns the other's own word.
        const auto word_of = [&](std::uint32_t agent) -> std::optional<WordInventories::Word> {
          const auto words = agents.words.words(agent);
          if (words.empty()) return std::nullopt;
          return words[stream.below(static_cast<std::uint32_t>(words.size()))];
        };
        const auto x_word = word_of(x);
        const auto y_word = word_of(y);
        if (y_word && !agents.words.contains(x, *y_word)) agents.words.add(x, *y_word);
        if (x_word && !agents.words.contains(y, *x_word)) agents.words.add(y, *x_word);
        if (EncounterMechanism::transfer(agents, x, y, stream)) ++tally.transfers;
        if (EncounterMechanism::transfer(agents, y, x, stream)) ++tally.transfers;
      }
    }
  }
}

void InterventionSchedule::set_levers(std::uint32_t step, SharedState& shared) const {
  auto& levers = shared.levers;
  levers.incentive_weight = base_incentive_weight_;
  std::fill(levers.engagement_boost.begin(), levers.engagement_boost.end(), 0.0);
  levers.code_learning_scale = 1.0;
  levers.voice_scale = 1.0;
  levers.report_bias_scale = 1.0;
  levers.workload = -1.0;
  levers.hiring_selectivity = -1.0;
  for (const auto& plan : plans_) {
    if (!plan.active(step)) continue;
    switch (plan.kind) {
      case InterventionKind::kpi_realignment:
        for (std::size_t d = 0; d < plan.targets.size(); ++d) {
          if (plan.targets_department(static_cast<std::uint32_t>(d)))
            levers.incentive_weight[d] *= plan.incentive_scale;
        }
        break;
      case InterventionKind::mission_inclusion:
        levers.code_learning_scale *= plan.listening_scale;
        for (std::size_t d = 0; d < plan.targets.size(); ++d) {
          if (plan.targets_department(static_cast<std::uint32_t>(d)))
            levers.engagement_boost[d] += plan.engagement_boost;
        }
        break;
      case InterventionKind::feedback_loop:
        levers.report_bias_scale *= 1.0 - plan.bias_reduction;
        levers.voice_scale *= plan.voice_scale;
        break;
      case InterventionKind::hiring_policy:
        levers.hiring_selectivity = plan.selectivity;
        break;
      case InterventionKind::client_pressure:
        levers.workload = plan.workload;
        break;
      default:
        break;
    }
  }
}

}  // namespace orgsim
