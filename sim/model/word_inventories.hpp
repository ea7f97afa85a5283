#pragma once
// Every agent's set of words for "service", unbounded (the naming game needs
// inventories that grow as N^0.5 before they collapse). All inventories live
// in one pooled array: an agent's words are a slice of it, moved to the end
// with doubled capacity when they outgrow their slot, and the pool is
// compacted when more than a quarter of it is abandoned slots. No per-agent heap
// objects, and holder counts per word are kept up to date as words move.
#include <cstdint>
#include <span>
#include <vector>

namespace orgsim {

class WordInventories {
 public:
  using Word = std::uint32_t;

  explicit WordInventories(std::uint32_t agent_count = 0);

  std::span<const Word> words(std::uint32_t agent) const noexcept {
    return {pool_.data() + slots_[agent].offset, slots_[agent].size};
  }
  std::uint32_t size(std::uint32_t agent) const noexcept { return slots_[agent].size; }
  // Asks the cache for an agent's slot, and once the slot is there for its
  // words: a caller that knows whose inventories it reads next issues both
  // a few games apart, so that a large organization's games do not wait on
  // memory.
  void prefetch_slot(std::uint32_t agent) const noexcept { __builtin_prefetch(&slots_[agent]); }
  void prefetch_words(std::uint32_t agent) const noexcept {
    __builtin_prefetch(pool_.data() + slots_[agent].offset);
  }
  bool contains(std::uint32_t agent, Word word) const noexcept;

  Word invent();                                     // a word nobody has used before
  void add(std::uint32_t agent, Word word);          // word must not be held yet
  void collapse_to(std::uint32_t agent, Word word);  // inventory becomes {word}
  void clear(std::uint32_t agent);

  std::uint32_t agent_count() const noexcept { return static_cast<std::uint32_t>(slots_.size()); }
  std::uint64_t total_words() const noexcept { return total_words_; }
  std::uint32_t distinct_words() const noexcept { return distinct_words_; }
  std::uint32_t holders(Word word) const noexcept { return holders_[word]; }
  std::uint32_t words_ever_used() const noexcept { return static_cast<std::uint32_t>(holders_.size()); }
  std::uint64_t pool_capacity() const noexcept { return pool_.capacity(); }

 private:
  void gain(Word word) noexcept {
    if (holders_[word]++ == 0) ++distinct_words_;
  }
  void lose(Word word) noexcept {
    if (--holders_[word] == 0) --distinct_words_;
  }
  void grow(std::uint32_t agent);
  void compact();

  // An agent's slice of the pool; the three fields side by side, so that a
  // game reads one cache line per inventory before its words.
  struct Slot {
    std::uint32_t offset = 0, size = 0, capacity = 0;
  };
  std::vector<Slot> slots_;
  std::vector<Word> pool_;
  std::vector<std::uint32_t> holders_;  // agents holding each word
  std::uint64_t abandoned_ = 0;         // pool slots no agent owns
  std::uint64_t total_words_ = 0;
  std::uint32_t distinct_words_ = 0;
};

}  // namespace orgsim
