#include "engine/simulation.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <stdexcept>

namespace orgsim {

constexpr std::size_t kMostCountedDepartments = 8;  // the executive included

std::unique_ptr<const Organization> Simulation::build_organization(const EngineConfig& config,
                                                                   std::uint64_t seed) {
  RandomStream stream(seed, StreamId::network);
  return std::make_unique<const Organization>(Organization::build(config.organization, stream));
}

namespace {

std::vector<MechanismSlot> build_mechanisms(const EngineConfig& config, const Organization& organization) {
  std::vector<MechanismSlot> slots;
  for (const auto* descriptor : schedule().mechanisms)
    slots.push_back({descriptor, descriptor->make(config, organization), descriptor->enabled(config)});
  return slots;
}

}  // namespace

Simulation::Simulation(std::shared_ptr<const EngineConfig> config, const RunKey& key, std::uint64_t seed)
    : config_(std::move(config)),
      key_(key),
      seed_(seed),
      organization_(build_organization(*config_, seed_)),
      agents_(organization_->agent_count(),
              static_cast<std::uint32_t>(config_->integer("knowledge.dimensions"))),
      mechanisms_(build_mechanisms(*config_, *organization_)),
      knowledge_(dynamic_cast<KnowledgeMechanism&>(mechanism("knowledge"))),
      turnover_(config_->real("knowledge.turnover_rate")),
      observer_(*organization_, *config_),
      turnover_stream_(seed_, StreamId::turnover) {
  streams_.reserve(mechanisms_.size());
  for (const auto& slot : mechanisms_) streams_.emplace_back(seed_, slot.descriptor->stream);
  // The equilibrium rule: March's equilibrium is absorbing only if no
  // mechanism moves beliefs beyond socialization and code learning.
  for (auto& slot : mechanisms_) {
    bool elsewhere = false;
    for (const auto& other : mechanisms_)
      elsewhere = elsewhere || (&other != &slot && other.mechanism->moves_beliefs());
    slot.mechanism->set_beliefs_moved_elsewhere(elsewhere);
    if (!slot.mechanism->decides_leaving()) continue;
    if (leaving_ != nullptr)
      throw std::logic_error(
          fmt::format("two mechanisms decide who leaves; '{}' is the second", slot.descriptor->name()));
    leaving_ = slot.mechanism.get();
  }
  tally_.reset(organization_->departments.size() + 1);
  // Words are counted by department only for a few departments: the counts
  // take two per department for every word ever used.
  if (organization_->departments.size() + 1 <= kMostCountedDepartments)
    agents_.words.count_by_group(organization_->department,
                                 static_cast<std::uint32_t>(organization_->departments.size() + 1));
  const auto& plan = schedule();
  World start = world();
  for (const auto section : plan.initialize) mechanism(section).initialize(start);
  for (const auto& entry : plan.week) {
    for (std::size_t i = 0; i < mechanisms_.size(); ++i) {
      if (mechanisms_[i].descriptor->name() != entry.mechanism || !mechanisms_[i].enabled) continue;
      week_->add({entry.mechanism, mechanisms_[i].mechanism.get(), entry.hook, &streams_[i]});
    }
  }
  for (const auto section : plan.hire) hire_.push_back(&mechanism(section));
  if (isolated()) observer_.skip_switched_off(mechanisms_);
}

World Simulation::world() {
  return world(*blocks_);
}

World Simulation::world(BlockPool& blocks) {
  return {*organization_, agents_, shared_, tally_, seed_, steps_done_, mechanisms_, blocks};
}

void Simulation::set_threads(std::uint32_t threads) {
  if (threads != blocks_->threads()) blocks_ = std::make_unique<BlockPool>(std::max(threads, 1U));
}

Mechanism& Simulation::mechanism(std::string_view section) {
  for (auto& slot : mechanisms_) {
    if (slot.descriptor->name() == section) return *slot.mechanism;
  }
  throw std::logic_error(fmt::format("no mechanism '{}' in the schedule", section));
}

// The week's hooks in the schedule's order (engine/schedule.cpp), then
// turnover and tenure, which close every week.
void Simulation::step() {
  tally_.reset(organization_->departments.size() + 1);
  week_->run([this](BlockPool& blocks) { return world(blocks); }, *blocks_);
  if (turnover_active()) replace_leavers();
  for (auto& tenure : agents_.tenure) ++tenure;
  ++steps_done_;
}

bool Simulation::turnover_active() const {
  return turnover_.active() || leaving_ != nullptr;
}

// No interventions, nobody leaves (so no newcomer brings beliefs or words)
// and no mechanism but K moves beliefs: what a switched-off mechanism's
// observables measure then stays as it started, and is not recorded.
bool Simulation::isolated() const {
  if (!config_->interventions.empty() || turnover_active()) return false;
  return std::none_of(mechanisms_.begin(), mechanisms_.end(), [](const MechanismSlot& slot) {
    return slot.enabled && slot.descriptor->name() != "knowledge" && slot.mechanism->moves_beliefs();
  });
}

bool Simulation::at_rest() const {
  if (turnover_active()) return false;
  const auto& calls = week_->calls();
  return std::all_of(calls.begin(), calls.end(),
                     [](const Week::Call& call) { return call.mechanism->at_rest(); });
}

// What `steps` weeks at rest would do: everyone grows older, nothing else moves.
void Simulation::rest(std::uint32_t steps) {
  for (auto& tenure : agents_.tenure) tenure += steps;
  steps_done_ += steps;
}

void Simulation::replace_leavers() {
  if (leaving_ != nullptr) {
    TurnoverMechanism::draw_leavers(
        agents_.agent_count, turnover_stream_, leavers_,
        [&](std::uint32_t agent) { return leaving_->leave_probability(agents_, agent); });
  } else {
    turnover_.draw_leavers(agents_.agent_count, turnover_stream_, leavers_);
  }
  for (const std::uint32_t agent : leavers_) welcome(agent);
  tally_.leavers = leavers_.size();
}

// A leaver's replacement starts afresh through every mechanism's hire hook,
// in the schedule's hire order, all from the turnover stream, so the other
// mechanisms' draws are unchanged.
void Simulation::welcome(std::uint32_t agent) {
  agents_.tenure[agent] = 0;
  World now = world();
  Newcomer newcomer;
  newcomer.agent = agent;
  for (auto* hook : hire_) hook->on_hire(now, newcomer, turnover_stream_);
}

void Simulation::observe(std::span<double> org, std::span<double> departments) {
  observer_.observe(agents_, shared_, tally_, org, departments);
}

RunResult Simulation::run(std::atomic<std::uint64_t>* steps_counter) {
  const std::uint32_t steps = config_->steps;
  RunResult result;
  result.key = key_;
  result.seed = seed_;
  result.size_for(steps, organization_->departments.size());
  const bool watch_equilibrium = config_->enabled("knowledge") && knowledge_.equilibrium_is_absorbing();
  for (std::uint32_t t = 0; t <= steps; ++t) {
    const bool resting = t > 0 && at_rest();
    if (t > 0) {
      step();
      if (steps_counter != nullptr) steps_counter->fetch_add(1, std::memory_order_relaxed);
    }
    if (watch_equilibrium && result.equilibrium_step < 0 &&
        (knowledge_.frozen() || at_knowledge_equilibrium())) {
      result.equilibrium_step = t;
    }
    observe(result.organization_step(t), result.departments_step(t));
    if (!resting || t == steps) continue;
    // A week taken at rest changed nothing, its tallies included, so every
    // later week would observe what this one did: its values carry forward.
    for (std::uint32_t later = t + 1; later <= steps; ++later) {
      std::ranges::copy(result.organization_step(t), result.organization_step(later).begin());
      std::ranges::copy(result.departments_step(t), result.departments_step(later).begin());
    }
    rest(steps - t);
    if (steps_counter != nullptr) steps_counter->fetch_add(steps - t, std::memory_order_relaxed);
    break;
  }
  return result;
}

}  // namespace orgsim
