#pragma once
// The short summary `orgsim run` prints: each key outcome (the registry's
// flag) at the start and at the end of the horizon, as mean and 95% interval
// over replicates.
#include <string>
#include <vector>

#include "engine/simulation.hpp"

namespace orgsim {

struct Interval {
  double mean = 0;
  double low = 0;
  double high = 0;
  std::size_t count = 0;
};

// Mean and two-sided 95% Student-t interval; NaN values are skipped.
Interval mean_interval(const std::vector<double>& values);

class RunSummary {
 public:
  // Values are kept by run index, so the summary does not depend on the
  // order in which runs finish (and so not on the thread count).
  RunSummary(std::uint32_t steps, std::uint64_t runs);
  void add(const RunResult& result);
  std::string render() const;
  // Start (step 0) and end (last step) values per run of one observable.
  const std::vector<double>& start(OrgObservable which) const {
    return start_[static_cast<std::size_t>(which)];
  }
  const std::vector<double>& end(OrgObservable which) const { return end_[static_cast<std::size_t>(which)]; }

 private:
  std::uint32_t steps_;
  std::vector<std::vector<double>> start_, end_;
};

}  // namespace orgsim
