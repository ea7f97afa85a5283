// The pooled inventories against a plain reference model (one std::set per
// agent) over many random operations, through growth and compaction.
#include <catch2/catch.hpp>
#include <set>
#include <vector>

#include "core/random.hpp"
#include "model/word_inventories.hpp"

namespace orgsim {

TEST_CASE("Add, collapse and clear keep words, sizes and holder counts", "[words]") {
  WordInventories words(3);
  const auto a = words.invent();
  const auto b = words.invent();
  words.add(0, a);
  words.add(0, b);
  words.add(1, b);
  CHECK(words.size(0) == 2);
  CHECK(words.contains(0, a));
  CHECK_FALSE(words.contains(1, a));
  CHECK(words.holders(b) == 2);
  CHECK(words.distinct_words() == 2);
  CHECK(words.total_words() == 3);
  words.collapse_to(0, b);
  CHECK(words.size(0) == 1);
  CHECK(words.holders(a) == 0);
  CHECK(words.distinct_words() == 1);
  CHECK(words.total_words() == 2);
  words.clear(1);
  CHECK(words.size(1) == 0);
  CHECK(words.holders(b) == 1);
  CHECK(words.total_words() == 1);
}

TEST_CASE("Inventories and their counts by group match a reference model through growth and compaction",
          "[words]") {
  constexpr std::uint32_t kAgents = 200;
  constexpr std::uint32_t kGroups = 3;
  WordInventories words(kAgents);
  // Three groups of agents, as departments: agent % 3.
  std::vector<std::uint16_t> group(kAgents);
  for (std::uint32_t agent = 0; agent < kAgents; ++agent)
    group[agent] = static_cast<std::uint16_t>(agent % kGroups);
  words.count_by_group(group, kGroups);
  std::vector<std::set<WordInventories::Word>> reference(kAgents);
  RandomStream stream(17, StreamId::language);
  std::vector<WordInventories::Word> vocabulary;
  for (int i = 0; i < 400; ++i) vocabulary.push_back(words.invent());
  for (int operation = 0; operation < 200000; ++operation) {
    const std::uint32_t agent = stream.below(kAgents);
    const auto word = vocabulary[stream.below(static_cast<std::uint32_t>(vocabulary.size()))];
    const auto kind = stream.below(100);
    if (kind < 90) {  // mostly growth, so inventories reach dozens of words
      if (!reference[agent].contains(word)) {
        words.add(agent, word);
        reference[agent].insert(word);
      }
    } else if (kind < 99) {
      words.collapse_to(agent, word);
      reference[agent] = {word};
    } else {
      words.clear(agent);
      reference[agent].clear();
    }
  }
  std::vector<std::uint32_t> holders(vocabulary.size(), 0);
  std::vector<std::uint32_t> group_holders(vocabulary.size() * kGroups, 0);
  std::vector<std::uint32_t> sole_holders(vocabulary.size() * kGroups, 0);
  std::uint64_t total = 0;
  for (std::uint32_t agent = 0; agent < kAgents; ++agent) {
    const auto held = words.words(agent);
    const std::set<WordInventories::Word> actual(held.begin(), held.end());
    CHECK(actual.size() == held.size());
    CHECK(actual == reference[agent]);
    for (const auto w : actual) {
      ++holders[w];
      ++group_holders[w * kGroups + group[agent]];
    }
    if (actual.size() == 1) ++sole_holders[*actual.begin() * kGroups + group[agent]];
    total += actual.size();
  }
  CHECK(words.total_words() == total);
  std::uint32_t distinct = 0;
  for (std::size_t w = 0; w < holders.size(); ++w) {
    const auto word = static_cast<WordInventories::Word>(w);
    CHECK(words.holders(word) == holders[w]);
    for (std::uint32_t g = 0; g < kGroups; ++g) {
      CHECK(words.group_holders(word, g) == group_holders[w * kGroups + g]);
      CHECK(words.group_sole_holders(word, g) == sole_holders[w * kGroups + g]);
    }
    distinct += holders[w] > 0 ? 1 : 0;
  }
  CHECK(words.distinct_words() == distinct);
}

}  // namespace orgsim
