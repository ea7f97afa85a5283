#pragma once
// Random streams. Every draw in a run comes from a stream derived from
// (scenario seed, point, replicate, stream id) alone, so results never depend
// on how runs are spread over threads or ranks. The generator (xoshiro256++)
// and the transforms below are defined bit for bit here rather than taken from
// std:: distributions, whose outputs differ between standard libraries.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace orgsim {

// splitmix64 finaliser: a bijective 64-bit mix used to derive stream seeds.
constexpr std::uint64_t mix64(std::uint64_t value) noexcept {
  value += 0x9E3779B97F4A7C15ULL;
  value = (value ^ (value >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27U)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31U);
}

// Which part of a run a stream feeds: separate streams keep one mechanism's
// draws unchanged when another mechanism is switched off.
enum class StreamId : std::uint64_t {
  network = 1,
  initial_state = 2,
  knowledge = 3,
  language = 4,
  purpose = 5,
  turnover = 6,
  leadership = 7,
  engagement = 8,
  encounters = 9,
  perception = 10,
  interventions = 11,
  leadership_styles = 12,
  design = 13,  // sampling a sweep's design, seeded by the design seed rather than a run's
};
// The last stream the engine itself draws from: a mechanism added outside
// sim/ takes a number above it, so that it replays no built-in draws.
constexpr StreamId kLastBuiltinStream = StreamId::design;

struct RunKey {
  std::uint64_t scenario_seed = 0;
  std::uint64_t point = 0;
  std::uint64_t replicate = 0;
};

// The seed a run reports and from which all its streams are derived.
constexpr std::uint64_t run_seed(const RunKey& key) noexcept {
  return mix64(mix64(mix64(key.scenario_seed) ^ key.point) ^ (key.replicate * 0xD1B54A32D192ED03ULL));
}

class RandomStream {
 public:
  using result_type = std::uint64_t;

  RandomStream(std::uint64_t run_seed, StreamId stream) noexcept {
    std::uint64_t state = run_seed ^ (static_cast<std::uint64_t>(stream) * 0xA0761D6478BD642FULL);
    for (auto& word : state_) {
      state = mix64(state);
      word = state;
    }
  }

  // Block `block`'s stream of a loop over blocks of agents (core/blocks.hpp):
  // `base` is one draw of the mechanism's week stream, taken once per loop
  // whatever the thread count, so every block's draws follow from the run's
  // key and the block's number alone.
  static RandomStream for_block(std::uint64_t base, std::uint64_t block) noexcept {
    RandomStream stream;
    std::uint64_t state = mix64(base) ^ ((block + 1) * 0xD1B54A32D192ED03ULL);
    for (auto& word : stream.state_) {
      state = mix64(state);
      word = state;
    }
    return stream;
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  // xoshiro256++ (Blackman & Vigna 2019).
  result_type operator()() noexcept {
    const std::uint64_t result = std::rotl(state_[0] + state_[3], 23) + state_[0];
    const std::uint64_t shifted = state_[1] << 17U;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>((*this)() >> 11U) * 0x1.0p-53; }

  // Standard normal by Box-Muller from two uniforms (libm's log, sqrt and cos).
  double normal() noexcept {
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    return radius * std::cos(6.283185307179586 * uniform());
  }

  // Uniform integer in [0, bound) without modulo bias (Lemire 2019).
  std::uint32_t below(std::uint32_t bound) noexcept {
    std::uint64_t product = ((*this)() >> 32U) * bound;
    auto low = static_cast<std::uint32_t>(product);
    if (low < bound) {
      const std::uint32_t threshold = (0U - bound) % bound;
      while (low < threshold) {
        product = ((*this)() >> 32U) * bound;
        low = static_cast<std::uint32_t>(product);
      }
    }
    return static_cast<std::uint32_t>(product >> 32U);
  }

 private:
  RandomStream() noexcept = default;

  std::uint64_t state_[4]{};
};

// A probability as a 64-bit threshold: `draw < threshold` holds with that
// probability, one generator call and no floating point per Bernoulli trial.
class BernoulliThreshold {
 public:
  explicit BernoulliThreshold(double probability) noexcept {
    if (probability <= 0.0) {
      threshold_ = 0;
      always_ = false;
    } else if (probability >= 1.0) {
      threshold_ = 0;
      always_ = true;
    } else {
      threshold_ = static_cast<std::uint64_t>(probability * 0x1.0p64);
      always_ = false;
    }
  }
  bool operator()(RandomStream& stream) const noexcept { return always_ || stream() < threshold_; }
  bool never() const noexcept { return !always_ && threshold_ == 0; }

 private:
  std::uint64_t threshold_ = 0;
  bool always_ = false;
};

}  // namespace orgsim
