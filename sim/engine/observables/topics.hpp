#pragma once
// The built-in observable topics, one file each. Their order here is the
// order of the results file's variables and of RunResult's values.
#include <limits>
#include <numeric>
#include <vector>

#include "engine/observable_registry.hpp"

namespace orgsim {

ObservableTopic knowledge_observables();
ObservableTopic purpose_observables();
ObservableTopic language_observables();
ObservableTopic turnover_observables();
ObservableTopic leadership_observables();
ObservableTopic engagement_observables();
ObservableTopic encounter_observables();
ObservableTopic perception_observables();

inline std::vector<ObservableTopic> builtin_observable_topics() {
  std::vector<ObservableTopic> topics;
  for (auto* make :
       {knowledge_observables, purpose_observables, language_observables, turnover_observables,
        leadership_observables, engagement_observables, encounter_observables, perception_observables})
    topics.push_back(make());
  return topics;
}

namespace observing {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A rate or mean of nothing is NaN, not 0: no games, no members.
inline double ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : kNaN;
}

// Per-department sums (the executive's last), added to agent by agent.
// Agents come in blocks of one department, so the sum being added to stays
// in a register until the department changes: the same additions in the
// same order as `sums[department] += value`, without a store and a reload
// per agent (which cost more than the addition once a topic has its own
// pass over the agents).
class DepartmentSums {
 public:
  explicit DepartmentSums(std::size_t department_count) : sums_(department_count + 1, 0.0) {}
  void add(std::size_t department, double value) {
    if (department != current_) {
      sums_[current_] = running_;
      current_ = department;
      running_ = sums_[department];
    }
    running_ += value;
  }
  // Each department's sum, the executive's last; call once, after the last add.
  const std::vector<double>& sums() {
    sums_[current_] = running_;
    return sums_;
  }

 private:
  std::vector<double> sums_;
  std::size_t current_ = 0;
  double running_ = 0;
};

// The organization's total from per-department accumulators (the executive's
// last), summed in department order: the order fixes the rounding, and so
// the results file's bits.
inline double total(const std::vector<double>& per_department) {
  return std::accumulate(per_department.begin(), per_department.end(), 0.0);
}

}  // namespace observing
}  // namespace orgsim
