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
  std::uint32_t holders(Word word) const noexcept { return counts_[std::size_t{word} * stride_]; }
  std::uint32_t words_ever_used() const noexcept {
    return static_cast<std::uint32_t>(counts_.size() / stride_);
  }

  // Counts, besides each word's holders, its holders within each group of
  // agents (departments) and the group's members whose only word it is, as
  // the words move: the language observables read them each week instead of
  // every inventory. Call before any word is invented; `group` gives each
  // agent's group, below `groups`.
  void count_by_group(std::span<const std::uint16_t> group, std::uint32_t groups);
  std::uint32_t groups() const noexcept { return groups_; }
  std::uint32_t group_holders(Word word, std::uint32_t group) const noexcept {
    return counts_[std::size_t{word} * stride_ + 1 + group];
  }
  std::uint32_t group_sole_holders(Word word, std::uint32_t group) const noexcept {
    return counts_[std::size_t{word} * stride_ + 1 + groups_ + group];
  }
  std::uint64_t pool_capacity() const noexcept { return pool_.capacity(); }

 private:
  // A word's counts: holders, then holders per group, then sole holders per group.
  std::uint32_t* counts_of(Word word) noexcept { return counts_.data() + std::size_t{word} * stride_; }
  void gain(std::uint32_t agent, Word word) noexcept {
    std::uint32_t* counts = counts_of(word);
    if (counts[0]++ == 0) ++distinct_words_;
    if (groups_ > 0) ++counts[1 + slots_[agent].group];
  }
  void lose(std::uint32_t agent, Word word) noexcept {
    std::uint32_t* counts = counts_of(word);
    if (--counts[0] == 0) --distinct_words_;
    if (groups_ > 0) --counts[1 + slots_[agent].group];
  }
  // The agent's sole word, if it has exactly one, counts (+1) or stops counting (-1).
  void count_sole(std::uint32_t agent, int change) noexcept {
    if (groups_ == 0 || slots_[agent].size != 1) return;
    counts_of(pool_[slots_[agent].offset])[1 + groups_ + slots_[agent].group] +=
        static_cast<std::uint32_t>(change);
  }
  void grow(std::uint32_t agent);
  void compact();

  // An agent's slice of the pool; the three fields side by side, so that a
  // game reads one cache line per inventory before its words.
  struct Slot {
    std::uint32_t offset = 0, size = 0, capacity = 0;
    std::uint32_t group = 0;  // see count_by_group; here, a game reads it with the slot
  };
  std::vector<Slot> slots_;
  std::vector<Word> pool_;
  std::vector<std::uint32_t> counts_;  // per word, stride_ counts (counts_of)
  std::size_t stride_ = 1;
  std::uint32_t groups_ = 0;
  std::uint64_t abandoned_ = 0;  // pool slots no agent owns
  std::uint64_t total_words_ = 0;
  std::uint32_t distinct_words_ = 0;
};

}  // namespace orgsim
