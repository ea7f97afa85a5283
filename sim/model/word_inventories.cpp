#include "model/word_inventories.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace orgsim {
namespace {
constexpr std::uint32_t kInitialCapacity = 2;
}

WordInventories::WordInventories(std::uint32_t agent_count)
    : slots_(agent_count), pool_(static_cast<std::size_t>(agent_count) * kInitialCapacity) {
  for (std::uint32_t agent = 0; agent < agent_count; ++agent)
    slots_[agent] = {agent * kInitialCapacity, 0, kInitialCapacity};
}

bool WordInventories::contains(std::uint32_t agent, Word word) const noexcept {
  const auto held = words(agent);
  return std::find(held.begin(), held.end(), word) != held.end();
}

void WordInventories::count_by_group(std::span<const std::uint16_t> group, std::uint32_t groups) {
  if (!counts_.empty() || group.size() != slots_.size())
    throw std::logic_error("word inventories are grouped before any word is invented, one group per agent");
  for (std::size_t agent = 0; agent < slots_.size(); ++agent) slots_[agent].group = group[agent];
  groups_ = groups;
  stride_ = 1 + 2 * std::size_t{groups};
}

WordInventories::Word WordInventories::invent() {
  counts_.resize(counts_.size() + stride_, 0);
  return static_cast<Word>(words_ever_used() - 1);
}

void WordInventories::add(std::uint32_t agent, Word word) {
  count_sole(agent, -1);
  if (slots_[agent].size == slots_[agent].capacity) grow(agent);
  pool_[slots_[agent].offset + slots_[agent].size++] = word;
  ++total_words_;
  gain(agent, word);
  count_sole(agent, +1);
}

void WordInventories::collapse_to(std::uint32_t agent, Word word) {
  count_sole(agent, -1);
  for (const Word held : words(agent)) lose(agent, held);
  total_words_ -= slots_[agent].size;
  pool_[slots_[agent].offset] = word;
  slots_[agent].size = 1;
  ++total_words_;
  gain(agent, word);
  count_sole(agent, +1);
}

void WordInventories::clear(std::uint32_t agent) {
  count_sole(agent, -1);
  for (const Word held : words(agent)) lose(agent, held);
  total_words_ -= slots_[agent].size;
  slots_[agent].size = 0;
}

// Compacts first when enough is abandoned (compaction may leave this agent
// room), then moves the agent's words to the end with doubled capacity.
void WordInventories::grow(std::uint32_t agent) {
  if (abandoned_ * 4 > pool_.size()) {
    compact();
    if (slots_[agent].size < slots_[agent].capacity) return;
  }
  const std::uint64_t new_capacity = 2ULL * slots_[agent].capacity;
  if (pool_.size() + new_capacity > UINT32_MAX) {
    compact();
    if (pool_.size() + new_capacity > UINT32_MAX)
      throw std::length_error("word inventories exceed 2^32 words");
  }
  const auto new_offset = static_cast<std::uint32_t>(pool_.size());
  pool_.resize(pool_.size() + new_capacity);
  std::copy_n(pool_.begin() + slots_[agent].offset, slots_[agent].size, pool_.begin() + new_offset);
  abandoned_ += slots_[agent].capacity;
  slots_[agent].offset = new_offset;
  slots_[agent].capacity = static_cast<std::uint32_t>(new_capacity);
}

// Rewrites the pool without abandoned slots; capacities shrink to fit the
// current sizes (with headroom) because collapsed inventories rarely regrow.
void WordInventories::compact() {
  std::vector<Word> fresh;
  std::uint64_t needed = 0;
  for (std::uint32_t agent = 0; agent < agent_count(); ++agent) {
    needed += std::max(kInitialCapacity, std::bit_ceil(slots_[agent].size));
  }
  fresh.resize(needed);
  std::uint32_t next = 0;
  for (std::uint32_t agent = 0; agent < agent_count(); ++agent) {
    const std::uint32_t capacity = std::max(kInitialCapacity, std::bit_ceil(slots_[agent].size));
    std::copy_n(pool_.begin() + slots_[agent].offset, slots_[agent].size, fresh.begin() + next);
    slots_[agent].offset = next;
    slots_[agent].capacity = capacity;
    next += capacity;
  }
  pool_ = std::move(fresh);
  abandoned_ = 0;
}

}  // namespace orgsim
