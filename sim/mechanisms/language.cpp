#include "mechanisms/language.hpp"

#include <algorithm>
#include <array>
#include <numeric>

namespace orgsim {

// Words are read by L's naming games, and by A's trust target and V's report
// noise even with L off, hence L ranks after K for listening sessions.
constexpr std::array kLanguageRoutes{scenario::InterventionRoute{"listening_sessions", 1},
                                     scenario::InterventionRoute{"language_program", 0},
                                     scenario::InterventionRoute{"leader_role_model", 0}};

constinit const MechanismDescriptor LanguageMechanism::descriptor{
    {"language", "L", kLanguageRoutes}, StreamId::language, make_mechanism<LanguageMechanism>};

LanguageParams LanguageParams::from(const EngineConfig& config) {
  return {config.boolean("language.enabled"), config.text("language.schedule") == "random_speakers",
          config.text("language.initial_inventory") == "jargon"};
}

LanguageMechanism::LanguageMechanism(const EngineConfig& config, const Organization& organization)
    : params_(LanguageParams::from(config)), organization_(organization) {
  // Departments that share a jargon share its word.
  for (const auto& department : config.departments) {
    if (department.jargon.empty()) {
      jargon_word_.push_back(kNoWord);
      continue;
    }
    auto known = std::find(vocabulary_.begin(), vocabulary_.end(), department.jargon);
    if (known == vocabulary_.end()) known = vocabulary_.insert(vocabulary_.end(), department.jargon);
    jargon_word_.push_back(static_cast<WordInventories::Word>(known - vocabulary_.begin()));
  }
}

void LanguageMechanism::initialize(World& world) {
  initialize(world.agents);
}

void LanguageMechanism::step(World& world, RandomStream& stream) {
  step(world.agents, world.tally, stream);
}

void LanguageMechanism::on_hire(World& world, Newcomer& newcomer, RandomStream& /*turnover*/) {
  auto& words = world.agents.words;
  words.clear(newcomer.agent);
  const auto department = organization_.department[newcomer.agent];
  const auto kind =
      newcomer.words.value_or(params_.start_with_jargon ? NewcomerWords::jargon : NewcomerWords::empty);
  if (kind == NewcomerWords::jargon && has_jargon(department)) {
    words.add(newcomer.agent, jargon_word(department));
  } else if (kind == NewcomerWords::outside) {
    words.add(newcomer.agent, words.invent());
  }
}

std::optional<WordInventories::Word> LanguageMechanism::jargon_id(const std::string& word) const {
  const auto found = std::find(vocabulary_.begin(), vocabulary_.end(), word);
  if (found == vocabulary_.end()) return std::nullopt;
  return static_cast<WordInventories::Word>(found - vocabulary_.begin());
}

void LanguageMechanism::initialize(AgentState& agents) const {
  for (std::size_t w = 0; w < vocabulary_.size(); ++w) agents.words.invent();
  if (!params_.start_with_jargon) return;
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    const auto word = jargon_word_[organization_.department[agent]];
    if (word != kNoWord) agents.words.add(agent, word);
  }
}

std::uint32_t LanguageMechanism::partner(std::uint32_t speaker, RandomStream& stream) const {
  const auto& network = organization_.network;
  if (network.is_complete()) {
    const std::uint32_t other = stream.below(network.agent_count() - 1);
    return other >= speaker ? other + 1 : other;
  }
  const auto ties = network.neighbours(speaker);
  if (ties.empty()) return speaker;
  return ties[stream.below(static_cast<std::uint32_t>(ties.size()))];
}

bool LanguageMechanism::play(WordInventories& words, std::uint32_t speaker, std::uint32_t hearer,
                             RandomStream& stream) {
  WordInventories::Word word = 0;
  const std::uint32_t size = words.size(speaker);
  if (size == 0) {
    word = words.invent();
    words.add(speaker, word);
  } else {
    word = words.words(speaker)[size == 1 ? 0 : stream.below(size)];
  }
  if (words.contains(hearer, word)) {
    words.collapse_to(speaker, word);
    words.collapse_to(hearer, word);
    return true;
  }
  words.add(hearer, word);
  return false;
}

void LanguageMechanism::speak(AgentState& agents, std::uint32_t speaker, std::uint32_t hearer,
                              StepTally& tally, RandomStream& stream) const {
  if (hearer == speaker) return;
  const bool success = play(agents.words, speaker, hearer, stream);
  const auto department = organization_.department[speaker];
  const bool within = department == organization_.department[hearer];
  (within ? tally.games_within : tally.games_across) += 1;
  (within ? tally.successes_within : tally.successes_across) += success ? 1 : 0;
  tally.games_by_department[department] += 1;
  tally.successes_by_department[department] += success ? 1 : 0;
  if (!within && tally.keep_encounters) tally.encounters.push_back({speaker, hearer, success});
}

// Games are played in blocks: the block's speakers are drawn (or taken from
// the shuffled order), then their partners, then the games, each asking the
// cache for the rows and inventories it will read a few places ahead. In a
// large organization the speakers' rows and the hearers' inventories lie far
// apart in memory, and a game would otherwise wait on them one at a time.
void LanguageMechanism::step(AgentState& agents, StepTally& tally, RandomStream& stream) {
  const std::uint32_t n = agents.agent_count;
  if (n < 2) return;
  if (!params_.random_speakers) {
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0U);
    for (std::uint32_t i = n; i > 1; --i) std::swap(order_[i - 1], order_[stream.below(i)]);
  }
  constexpr std::uint32_t kBlock = 256;
  constexpr std::uint32_t kAhead = 8;  // games between asking for a slot and reading it
  const auto& network = organization_.network;
  const auto& words = agents.words;
  speakers_.resize(kBlock);
  hearers_.resize(kBlock);
  for (std::uint32_t first = 0; first < n; first += kBlock) {
    const std::uint32_t count = std::min(kBlock, n - first);
    for (std::uint32_t i = 0; i < count; ++i)
      speakers_[i] = params_.random_speakers ? stream.below(n) : order_[first + i];
    for (std::uint32_t i = 0; i < count; ++i) {
      if (i + 2 * kAhead < count) network.prefetch_row_start(speakers_[i + 2 * kAhead]);
      if (i + kAhead < count) network.prefetch_row(speakers_[i + kAhead]);
      hearers_[i] = partner(speakers_[i], stream);
    }
    for (std::uint32_t i = 0; i < count; ++i) {
      if (i + 2 * kAhead < count) {
        words.prefetch_slot(speakers_[i + 2 * kAhead]);
        words.prefetch_slot(hearers_[i + 2 * kAhead]);
      }
      if (i + kAhead < count) {
        words.prefetch_words(speakers_[i + kAhead]);
        words.prefetch_words(hearers_[i + kAhead]);
        __builtin_prefetch(&organization_.department[hearers_[i + kAhead]]);
      }
      speak(agents, speakers_[i], hearers_[i], tally, stream);
    }
  }
}

// The naming games: words and the tally of games.
StateUse LanguageMechanism::step_uses() const {
  return {state::words | state::games, state::words | state::games};
}

}  // namespace orgsim
