#pragma once
// Beliefs b_ij in {-1, 0, 1} (March 1991) as two bit-planes per agent: `held`
// marks b_ij != 0 and `positive` marks b_ij = +1, 64 dimensions to a word.
// Acting, scoring and comparing with the code become a few bit operations
// and a popcount per word, and an agent's beliefs take 16 bytes for m <= 64
// rather than m. An agent's words are adjacent (held, positive, held, ...),
// so one agent's beliefs are one cache line for m <= 256.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

namespace orgsim {

// One dimension's bit within its word.
constexpr std::uint64_t dimension_bit(std::uint32_t j) noexcept {
  return std::uint64_t{1} << (j % 64U);
}

// A vector in {-1, 0, 1}^m (reality, the code, a KPI target) as the same two
// planes, for comparing with beliefs word by word.
struct SignPlanes {
  std::vector<std::uint64_t> held, positive;

  void assign(std::span<const std::int8_t> values) {
    const auto words = (values.size() + 63) / 64;
    held.assign(words, 0);
    positive.assign(words, 0);
    for (std::uint32_t j = 0; j < values.size(); ++j) {
      if (values[j] != 0) held[j / 64] |= dimension_bit(j);
      if (values[j] > 0) positive[j / 64] |= dimension_bit(j);
    }
  }
};

class BeliefPlanes {
 public:
  BeliefPlanes(std::uint32_t agents, std::uint32_t dimensions)
      : dimensions_(dimensions),
        words_((dimensions + 63) / 64),
        planes_(std::size_t{agents} * words_ * 2, 0) {}

  std::uint32_t dimensions() const noexcept { return dimensions_; }
  std::uint32_t words() const noexcept { return words_; }
  // The dimensions word w covers: all 64 bits but in a last, partial word.
  std::uint64_t valid(std::uint32_t word) const noexcept {
    const std::uint32_t width = dimensions_ - word * 64;
    return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
  }

  std::uint64_t& held(std::uint32_t agent, std::uint32_t word) noexcept {
    return planes_[index(agent, word)];
  }
  std::uint64_t& positive(std::uint32_t agent, std::uint32_t word) noexcept {
    return planes_[index(agent, word) + 1];
  }
  std::uint64_t held(std::uint32_t agent, std::uint32_t word) const noexcept {
    return planes_[index(agent, word)];
  }
  std::uint64_t positive(std::uint32_t agent, std::uint32_t word) const noexcept {
    return planes_[index(agent, word) + 1];
  }

  std::int8_t get(std::uint32_t agent, std::uint32_t j) const noexcept {
    const std::uint64_t bit = dimension_bit(j);
    if ((held(agent, j / 64) & bit) == 0) return 0;
    return (positive(agent, j / 64) & bit) != 0 ? std::int8_t{1} : std::int8_t{-1};
  }
  void set(std::uint32_t agent, std::uint32_t j, std::int8_t value) noexcept {
    const std::uint64_t bit = dimension_bit(j);
    auto& held_word = held(agent, j / 64);
    auto& positive_word = positive(agent, j / 64);
    held_word = value != 0 ? held_word | bit : held_word & ~bit;
    positive_word = value > 0 ? positive_word | bit : positive_word & ~bit;
  }
  // Moves b_ij one step (-1 -> 0 -> +1 or back) toward a non-zero target.
  void step_toward(std::uint32_t agent, std::uint32_t j, std::int8_t target) noexcept {
    const std::int8_t belief = get(agent, j);
    if (target != 0 && belief != target) set(agent, j, static_cast<std::int8_t>(belief + target));
  }
  // An agent's beliefs as m values, for code that reads them whole once in a while.
  std::vector<std::int8_t> row(std::uint32_t agent) const {
    std::vector<std::int8_t> values(dimensions_);
    for (std::uint32_t j = 0; j < dimensions_; ++j) values[j] = get(agent, j);
    return values;
  }

  // The dimensions on which two agents' beliefs differ, and the n-th of
  // them (0 first, in dimension order): a mechanism that moves one belief
  // toward another person's draws n below the count.
  std::uint32_t count_differing(std::uint32_t a, std::uint32_t b) const noexcept {
    std::uint32_t count = 0;
    for (std::uint32_t w = 0; w < words_; ++w)
      count += static_cast<std::uint32_t>(std::popcount(differing(a, b, w)));
    return count;
  }
  std::uint32_t nth_differing(std::uint32_t a, std::uint32_t b, std::uint32_t n) const noexcept {
    for (std::uint32_t w = 0;; ++w) {
      std::uint64_t mask = differing(a, b, w);
      const auto count = static_cast<std::uint32_t>(std::popcount(mask));
      if (n >= count) {
        n -= count;
        continue;
      }
      for (; n > 0; --n) mask &= mask - 1;
      return w * 64 + static_cast<std::uint32_t>(std::countr_zero(mask));
    }
  }

  bool operator==(const BeliefPlanes&) const = default;

  // Bytes the planes hold.
  std::size_t bytes() const noexcept { return planes_.capacity() * sizeof(std::uint64_t); }

 private:
  std::size_t index(std::uint32_t agent, std::uint32_t word) const noexcept {
    return (std::size_t{agent} * words_ + word) * 2;
  }
  std::uint64_t differing(std::uint32_t a, std::uint32_t b, std::uint32_t w) const noexcept {
    return (held(a, w) ^ held(b, w)) | (positive(a, w) ^ positive(b, w));
  }

  std::uint32_t dimensions_;
  std::uint32_t words_;
  std::vector<std::uint64_t> planes_;
};

// Per-dimension counts of set bits over many rows of words (how many
// agents hold, or hold +1 on, each dimension), eight dimensions to one
// 64-bit addition: a table spreads each byte of a word over eight byte
// lanes, and the lanes are emptied into the totals every 255 rows, before
// a lane can overflow.
class DimensionCounts {
 public:
  explicit DimensionCounts(std::uint32_t dimensions)
      : dimensions_(dimensions), lanes_(std::size_t{(dimensions + 63) / 64} * 8, 0), totals_(dimensions, 0) {}

  void add(std::uint32_t word, std::uint64_t bits) noexcept {
    std::uint64_t* lane = lanes_.data() + std::size_t{word} * 8;
    for (; bits != 0; bits >>= 8U, ++lane) *lane += kSpread[bits & 0xFFU];
  }
  // Closes a row: call once after adding a row's words.
  void next_row() {
    if (++pending_ == 255) flush();
  }
  // Starts counting afresh, keeping the buffers.
  void clear() {
    std::fill(lanes_.begin(), lanes_.end(), 0);
    std::fill(totals_.begin(), totals_.end(), 0);
    pending_ = 0;
  }
  std::uint32_t dimensions() const noexcept { return dimensions_; }
  const std::vector<std::int64_t>& totals() {
    flush();
    return totals_;
  }

 private:
  static constexpr std::array<std::uint64_t, 256> kSpread = [] {
    std::array<std::uint64_t, 256> table{};
    for (std::size_t byte = 0; byte < 256; ++byte) {
      for (std::size_t bit = 0; bit < 8; ++bit) table[byte] |= ((byte >> bit) & 1U) << (8 * bit);
    }
    return table;
  }();

  void flush() {
    for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
      for (std::uint32_t byte = 0; byte < 8 && lanes_[lane] != 0; ++byte) {
        const std::size_t j = lane * 8 + byte;
        if (j < dimensions_) totals_[j] += static_cast<std::int64_t>((lanes_[lane] >> (8 * byte)) & 0xFFU);
      }
      lanes_[lane] = 0;
    }
    pending_ = 0;
  }

  std::uint32_t dimensions_;
  std::vector<std::uint64_t> lanes_;  // per word, eight lanes of eight byte counters
  std::vector<std::int64_t> totals_;
  std::uint32_t pending_ = 0;
};

}  // namespace orgsim
