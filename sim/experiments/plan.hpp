#pragma once
// A sweep as runs: the scenario's design points, each replicated, numbered
// run = point x replicates + replicate. A run's seed depends only on the
// scenario seed, its point and its replicate, so the same run gives the same
// results whichever worker, rank or shard computes it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "experiments/design.hpp"
#include "model/config.hpp"
#include "scenario/scenario.hpp"

namespace orgsim::sweep {

class SweepPlan {
 public:
  // Requires a scenario with a [sweep] section (ScenarioError otherwise).
  explicit SweepPlan(Scenario scenario);

  std::uint64_t points() const noexcept { return design_.points.size(); }
  std::uint64_t replicates() const noexcept { return replicates_; }
  std::uint64_t runs() const noexcept { return points() * replicates_; }
  RunKey key(std::uint64_t run) const noexcept {
    return {scenario_seed_, run / replicates_, run % replicates_};
  }

  const Scenario& scenario() const noexcept { return scenario_; }
  const Design& design() const noexcept { return design_; }
  const DesignSpec& spec() const noexcept { return spec_; }  // with the design seed resolved

  // The --set assignments that turn the scenario into a design point.
  std::vector<std::string> assignments(std::uint64_t point) const;
  // The scenario at a design point, validated like a scenario given with --set.
  Scenario scenario_at(std::uint64_t point) const;
  std::shared_ptr<const EngineConfig> config_at(std::uint64_t point) const;
  // Checks every point before any run starts, its memory need for `workers`
  // runs at once included; the error names the point.
  void validate_points(std::uint32_t workers = 1) const;

 private:
  Scenario scenario_;
  DesignSpec spec_;
  Design design_;
  std::uint64_t replicates_ = 1;
  std::uint64_t scenario_seed_ = 0;
};

}  // namespace orgsim::sweep
