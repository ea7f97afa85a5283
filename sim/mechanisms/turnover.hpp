#pragma once
// Who leaves this step. March (1991) turnover: each employee leaves with
// probability p3 and is replaced by a newcomer (the engine resets the
// newcomer's beliefs, purpose anchor, words and tenure through the mechanisms).
#include <cstdint>
#include <vector>

#include "core/random.hpp"

namespace orgsim {

class TurnoverMechanism {
 public:
  explicit TurnoverMechanism(double turnover_rate) : leaves_(turnover_rate) {}

  bool active() const noexcept { return !leaves_.never(); }

  // Fills `leavers` with this step's leavers in agent order.
  void draw_leavers(std::uint32_t agent_count, RandomStream& stream,
                    std::vector<std::uint32_t>& leavers) const {
    leavers.clear();
    for (std::uint32_t agent = 0; agent < agent_count; ++agent) {
      if (leaves_(stream)) leavers.push_back(agent);
    }
  }

  // The same with a probability per agent (engagement-driven turnover).
  template <class Probability>
  static void draw_leavers(std::uint32_t agent_count, RandomStream& stream,
                           std::vector<std::uint32_t>& leavers, Probability&& probability) {
    leavers.clear();
    for (std::uint32_t agent = 0; agent < agent_count; ++agent) {
      if (stream.uniform() < probability(agent)) leavers.push_back(agent);
    }
  }

 private:
  BernoulliThreshold leaves_;  // p3
};

}  // namespace orgsim
