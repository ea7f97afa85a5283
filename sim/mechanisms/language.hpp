#pragma once
// L: the organization's word for "service" as a minimal naming game (Steels
// 1995; Baronchelli, Felici, Loreto, Caglioti & Steels 2006), with each
// department starting from its own jargon.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "mechanisms/mechanism.hpp"
#include "model/config.hpp"
#include "model/state.hpp"

namespace orgsim {

struct LanguageParams {  // L, naming game
  bool enabled;
  bool random_speakers;  // false: every agent speaks once per step
  bool start_with_jargon;

  static LanguageParams from(const EngineConfig& config);
};

class LanguageMechanism final : public Mechanism {
 public:
  static const MechanismDescriptor descriptor;

  LanguageMechanism(const EngineConfig& config, const Organization& organization);

  void initialize(World& world) override;
  void step(World& world, RandomStream& stream) override;
  StateUse step_uses() const override;
  // A newcomer's inventory: the hiring policy's words, else the department's
  // jargon when members start with it, else empty.
  void on_hire(World& world, Newcomer& newcomer, RandomStream& turnover) override;

  // Each member starts with the department's jargon, or with nothing.
  void initialize(AgentState& agents) const;

  // One step: every agent speaks once in a random order, or N random
  // speakers are drawn with replacement.
  void step(AgentState& agents, StepTally& tally, RandomStream& stream);

  // One game. Returns whether the hearer knew the word. A speaker with an
  // empty inventory invents a word.
  static bool play(WordInventories& words, std::uint32_t speaker, std::uint32_t hearer, RandomStream& stream);

  // A uniformly drawn partner among the speaker's ties (any other agent in
  // complete mode); the speaker itself when it has no ties.
  std::uint32_t partner(std::uint32_t speaker, RandomStream& stream) const;

  // The word id of a department's jargon (words are numbered jargon first).
  WordInventories::Word jargon_word(std::uint32_t department) const { return jargon_word_[department]; }
  bool has_jargon(std::uint32_t department) const { return jargon_word_[department] != kNoWord; }
  // The id of a word that is some department's jargon, or nullopt.
  std::optional<WordInventories::Word> jargon_id(const std::string& word) const;

 private:
  static constexpr WordInventories::Word kNoWord = UINT32_MAX;
  void speak(AgentState& agents, std::uint32_t speaker, std::uint32_t hearer, StepTally& tally,
             RandomStream& stream) const;

  LanguageParams params_;
  const Organization& organization_;
  std::vector<WordInventories::Word> jargon_word_;  // per department, executive last
  std::vector<std::string> vocabulary_;             // jargon words, by id
  std::vector<std::uint32_t> order_;
  std::vector<std::uint32_t> speakers_, hearers_;  // one block of games
};

}  // namespace orgsim
