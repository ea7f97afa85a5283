#include "engine/simulation.hpp"

namespace orgsim {

std::unique_ptr<const Organization> Simulation::build_organization(const EngineConfig& config,
                                                                   std::uint64_t seed) {
  RandomStream stream(seed, StreamId::network);
  return std::make_unique<const Organization>(Organization::build(config.organization, stream));
}

Simulation::Simulation(std::shared_ptr<const EngineConfig> config, const RunKey& key, std::uint64_t seed)
    : config_(std::move(config)),
      key_(key),
      seed_(seed),
      organization_(build_organization(*config_, seed_)),
      agents_(organization_->agent_count(), config_->knowledge.dimensions),
      knowledge_(*config_, *organization_),
      language_(*config_, *organization_),
      purpose_(*config_, *organization_),
      leadership_(*config_, *organization_),
      engagement_(*config_, *organization_),
      encounters_(*config_),
      perception_(*config_, *organization_),
      interventions_(*config_, *organization_),
      turnover_(config_->knowledge.turnover_rate),
      observer_(*organization_, *config_),
      knowledge_stream_(seed_, StreamId::knowledge),
      language_stream_(seed_, StreamId::language),
      turnover_stream_(seed_, StreamId::turnover),
      leadership_stream_(seed_, StreamId::leadership),
      encounter_stream_(seed_, StreamId::encounters),
      perception_stream_(seed_, StreamId::perception),
      intervention_stream_(seed_, StreamId::interventions) {
  RandomStream initial(seed_, StreamId::initial_state);
  knowledge_.initialize(agents_, shared_, initial);
  RandomStream purpose_initial(seed_, StreamId::purpose);
  purpose_.initialize(agents_, purpose_initial);
  language_.initialize(agents_);
  if (config_->leadership.enabled) {
    RandomStream styles(seed_, StreamId::leadership_styles);
    leadership_.initialize(agents_, shared_, styles);
  }
  if (config_->engagement.enabled) engagement_.initialize(agents_);
  interventions_.initialize(agents_, language_);
  tally_.reset(organization_->departments.size() + 1);
  tally_.keep_encounters = encounters_on();
}

// The weekly schedule: interventions first (what starts or acts this week,
// and the week's levers), the executives' listening from this week's styles,
// then knowledge (act, socialize, code learning), the naming games and what
// the cross-department ones turn into, the purpose update, trust and
// authority, engagement, then turnover. Each mechanism reads the state the
// previous one left, so the authority that gates this week's socialization
// was conferred last week.
void Simulation::step() {
  tally_.reset(organization_->departments.size() + 1);
  if (!interventions_.empty()) {
    interventions_.apply(steps_done_, agents_, shared_, tally_, intervention_stream_);
  }
  // The code listens as this week's executives do: styles change with a
  // leadership_development that starts now and with leaders hired last week.
  if (config_->leadership.enabled) shared_.executive_listening = leadership_.executive_listening(agents_);
  if (config_->knowledge.enabled) knowledge_.step(agents_, shared_, knowledge_stream_);
  if (config_->language.enabled) language_.step(agents_, tally_, language_stream_);
  if (encounters_on()) encounters_.step(agents_, tally_, encounter_stream_);
  if (config_->purpose.enabled) purpose_.step(agents_, shared_);
  if (config_->leadership.enabled) leadership_.step(agents_, leadership_stream_);
  if (config_->engagement.enabled) engagement_.step(agents_, shared_);
  if (config_->perception.enabled)
    perception_.step(agents_, shared_, tally_, steps_done_ + 1, perception_stream_);
  if (turnover_active()) replace_leavers();
  for (auto& tenure : agents_.tenure) ++tenure;
  ++steps_done_;
}

// Encounters are naming games, so X needs L.
bool Simulation::encounters_on() const {
  return config_->encounters.enabled && config_->language.enabled;
}

bool Simulation::disengagement_turnover() const {
  return config_->engagement.enabled && config_->engagement.disengagement_turnover > 0;
}

bool Simulation::turnover_active() const {
  return turnover_.active() || disengagement_turnover();
}

void Simulation::replace_leavers() {
  if (disengagement_turnover()) {
    TurnoverMechanism::draw_leavers(
        agents_.agent_count, turnover_stream_, leavers_,
        [&](std::uint32_t agent) { return engagement_.leave_probability(agents_, agent); });
  } else {
    turnover_.draw_leavers(agents_.agent_count, turnover_stream_, leavers_);
  }
  for (const std::uint32_t agent : leavers_) welcome(agent);
  tally_.leavers = leavers_.size();
}

// A leaver's replacement starts afresh: new beliefs, purpose anchor, words,
// trust, engagement and tenure; with A on, a new leader also brings a new
// style and the reports' trust starts again (all from the turnover stream,
// so the other mechanisms' draws are unchanged).
void Simulation::welcome(std::uint32_t agent) {
  const bool hiring_policy = config_->engagement.enabled;
  if (hiring_policy) {
    engagement_.draw_hire_beliefs(agents_, shared_, agent, turnover_stream_);
  } else {
    knowledge_.draw_beliefs(agents_, agent, turnover_stream_);
  }
  purpose_.draw_anchor(agents_, agent, turnover_stream_);
  agents_.words.clear(agent);
  const auto department = organization_->department[agent];
  const auto words = hiring_policy                         ? config_->engagement.newcomer_words
                     : config_->language.start_with_jargon ? NewcomerWords::jargon
                                                           : NewcomerWords::empty;
  if (words == NewcomerWords::jargon && language_.has_jargon(department)) {
    agents_.words.add(agent, language_.jargon_word(department));
  } else if (words == NewcomerWords::outside) {
    agents_.words.add(agent, agents_.words.invent());
  }
  agents_.trust[agent] =
      config_->leadership.enabled ? static_cast<float>(config_->leadership.initial_trust) : 1.0F;
  agents_.engagement[agent] = hiring_policy ? static_cast<float>(config_->engagement.initial) : 1.0F;
  agents_.tenure[agent] = 0;
  if (config_->leadership.enabled) leadership_.welcome_leader(agents_, agent, turnover_stream_);
}

void Simulation::observe(std::span<double> org, std::span<double> departments) {
  observer_.observe(agents_, shared_, tally_, org, departments);
}

RunResult Simulation::run() {
  const std::uint32_t steps = config_->steps;
  RunResult result;
  result.key = key_;
  result.seed = seed_;
  result.size_for(steps, organization_->departments.size());
  const bool watch_equilibrium = config_->knowledge.enabled && knowledge_.equilibrium_is_absorbing();
  for (std::uint32_t t = 0; t <= steps; ++t) {
    if (t > 0) step();
    if (watch_equilibrium && result.equilibrium_step < 0 &&
        (knowledge_.frozen() || at_knowledge_equilibrium())) {
      result.equilibrium_step = t;
    }
    observe(result.organization_step(t), result.departments_step(t));
  }
  return result;
}

}  // namespace orgsim
