#pragma once
// What `orgsim compare` prints: key outcomes at the end of the horizon for
// each scenario, and each scenario's difference from the first (the
// baseline), paired by replicate: replicate r of every scenario runs on the
// same seed, so the pairs share their random numbers.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/simulation.hpp"
#include "reporting/summary.hpp"

namespace orgsim {

struct PairedDifference {
  Interval difference;  // mean of (other - baseline) and its two-sided 95% paired t-interval
  // Cohen's d_z: mean difference / standard deviation of the differences.
  // NaN (undefined) with fewer than two pairs or differences that do not vary.
  double effect_size = std::numeric_limits<double>::quiet_NaN();
};

// Replicate i of `other` against replicate i of `baseline`; a pair with a NaN
// on either side is left out.
PairedDifference paired_difference(const std::vector<double>& baseline, const std::vector<double>& other);

// The outcomes compared, in table order: the organization observables the
// registry gives a compare_row, in the order of their rows. The model's
// question in a few numbers: what people know of their customers, how far
// silos pull apart, a shared language, shared purpose, trust in managers,
// engagement, how leaders misread the front line, and who left.
struct ComparisonOutcome {
  std::string name;
  std::size_t observable = 0;  // index among the organization observables
  bool summed = false;         // summed over steps 1..T rather than taken at the last step
};
std::vector<ComparisonOutcome> comparison_outcomes();
// Those outcomes as docs/compare.md's markdown table: name, how each is
// taken, and its observable's description.
std::string comparison_outcomes_markdown();

class ComparisonTable {
 public:
  // Values are kept by scenario and replicate, so the table does not depend
  // on the order in which runs finish (and so not on the thread count).
  ComparisonTable(std::vector<std::string> scenario_names, std::uint32_t steps, std::uint64_t replicates);
  // A run of scenario `scenario`; its replicate is result.key.replicate.
  void add(std::size_t scenario, const RunResult& result);
  // Two header lines, then one row per outcome and scenario.
  std::string render() const;

 private:
  std::vector<std::string> names_;
  std::uint32_t steps_;
  std::vector<ComparisonOutcome> outcomes_;
  std::vector<std::vector<std::vector<double>>> values_;  // [outcome][scenario][replicate]
};

}  // namespace orgsim
