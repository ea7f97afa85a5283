// L (naming game): the rules of one game, partner choice and the start.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>

#include "engine/simulation.hpp"
#include "mechanisms/language.hpp"
#include "support/scenarios.hpp"

namespace orgsim {

TEST_CASE("A game: failure teaches the hearer, success collapses both inventories", "[language]") {
  WordInventories words(2);
  RandomStream stream(1, StreamId::language);
  // An empty speaker invents a word; the hearer learns it.
  CHECK_FALSE(LanguageMechanism::play(words, 0, 1, stream));
  REQUIRE(words.size(0) == 1);
  const auto invented = words.words(0)[0];
  CHECK(words.contains(1, invented));
  const auto other = words.invent();
  words.add(1, other);
  words.add(0, other);
  REQUIRE(words.size(0) == 2);
  REQUIRE(words.size(1) == 2);
  // Both know both words now: whatever the speaker says succeeds and both collapse to it.
  CHECK(LanguageMechanism::play(words, 0, 1, stream));
  CHECK(words.size(0) == 1);
  CHECK(words.size(1) == 1);
  CHECK(words.words(0)[0] == words.words(1)[0]);
  CHECK(words.distinct_words() == 1);
}

TEST_CASE("Members start with their department's jargon, shared jargon is one word", "[language]") {
  const auto config = testing::config_from(
      "[[departments]]\nname = \"A\"\nheadcount = 10\njargon = \"care\"\n"
      "[[departments]]\nname = \"B\"\nheadcount = 10\njargon = \"care\"\n"
      "[[departments]]\nname = \"C\"\nheadcount = 10\n");
  Simulation simulation(config, RunKey{1, 0, 0});
  const auto& org = simulation.organization();
  const auto& words = simulation.agents().words;
  for (std::uint32_t agent = 0; agent < org.agent_count(); ++agent) {
    const auto d = org.department[agent];
    CHECK(words.size(agent) == (d < 2 ? 1U : 0U));
  }
  CHECK(words.distinct_words() == 1);
  const LanguageMechanism language(*config, org);
  CHECK(language.jargon_word(0) == language.jargon_word(1));
  CHECK_FALSE(language.has_jargon(2));
}

TEST_CASE("Partners are drawn among the speaker's ties, uniformly", "[language]") {
  const auto config = testing::config_from(
      "[organization]\nwithin_degree = 6\n[[departments]]\nname = \"A\"\n"
      "headcount = 200\n");
  Simulation simulation(config, RunKey{1, 0, 0});
  const auto& org = simulation.organization();
  const LanguageMechanism language(*config, org);
  RandomStream stream(4, StreamId::language);
  const std::uint32_t speaker = 50;
  const auto ties = org.network.neighbours(speaker);
  std::map<std::uint32_t, int> counts;
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) ++counts[language.partner(speaker, stream)];
  CHECK(counts.size() == ties.size());
  for (const auto tie : ties) {
    // Each of k ties expected kDraws / k times; 5 SE of a binomial count.
    const double expected = static_cast<double>(kDraws) / static_cast<double>(ties.size());
    CHECK(std::abs(counts[tie] - expected) < 5 * std::sqrt(expected));
  }
}

TEST_CASE("In complete mode the partner is any other agent", "[language]") {
  const auto config = testing::config_from(
      "[organization]\nnetwork = \"complete\"\n[[departments]]\nname = \"A\"\n"
      "headcount = 4\n");
  Simulation simulation(config, RunKey{1, 0, 0});
  const LanguageMechanism language(*config, simulation.organization());
  RandomStream stream(4, StreamId::language);
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 500; ++i) {
    const auto partner = language.partner(2, stream);
    CHECK(partner != 2);
    seen.insert(partner);
  }
  CHECK(seen.size() == 4);
}

TEST_CASE("A step with every agent speaking plays N games", "[language]") {
  const auto config = testing::config_from(
      "[organization]\nnetwork = \"complete\"\n[[departments]]\nname = \"A\"\n"
      "headcount = 99\njargon = \"w\"\n");
  Simulation simulation(config, RunKey{1, 0, 0});
  LanguageMechanism language(*config, simulation.organization());
  StepTally tally;
  tally.reset(2);
  // The CEO, whose executive has no jargon, takes the department's: with one
  // word everywhere, every game succeeds. (Otherwise a member who heard a
  // word the CEO invented may fail with a colleague later in the step.)
  auto& words = simulation.agents().words;
  REQUIRE(words.size(0) == 0);
  words.add(0, language.jargon_word(0));
  RandomStream stream(4, StreamId::language);
  language.step(simulation.agents(), tally, stream);
  CHECK(tally.games_within + tally.games_across == 100);
  CHECK(tally.successes_within == tally.games_within);
  CHECK(tally.successes_across == tally.games_across);
  CHECK(words.distinct_words() == 1);
}

}  // namespace orgsim
