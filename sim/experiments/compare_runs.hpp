#pragma once
// Scenarios compared on common random numbers (orgsim compare): replicate r
// of every scenario runs on the seed run_seed(S, 0, r), S the first
// scenario's seed, so that each scenario's difference from another is paired
// by replicate. In a results file each scenario is a point and
// run = scenario x replicates + replicate.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/simulation.hpp"
#include "model/config.hpp"
#include "results/results_file.hpp"
#include "scenario/scenario.hpp"

namespace orgsim {

struct CompareArm {
  std::string path;  // where the scenario came from, as an error names it
  Scenario scenario;
};

class CompareRuns {
 public:
  // Sets every scenario's scenario.seed to the first one's, so that each
  // scenario's resolved text reruns it, and refuses (ScenarioError, naming
  // the file) a scenario that disagrees with the first on scenario.steps,
  // scenario.replicates or its departments.
  explicit CompareRuns(std::vector<CompareArm> arms);

  // Each scenario's configuration, refusing (ScenarioError) one whose runs
  // would not fit in memory `threads` at a time. Before run().
  void configure(std::uint32_t threads);

  // scenario.name when all differ; else the file names without .toml; else
  // scenario.name#position.
  const std::vector<std::string>& names() const noexcept { return names_; }
  std::size_t scenarios() const noexcept { return arms_.size(); }
  std::uint64_t seed() const noexcept { return seed_; }
  std::uint64_t replicates() const noexcept { return replicates_; }
  std::uint32_t steps() const noexcept { return steps_; }
  std::uint64_t runs() const noexcept { return arms_.size() * replicates_; }
  std::uint64_t workers() const noexcept;  // runs at once: the threads, or the runs when fewer

  // The provenance of a compare file: every scenario's text, resolved text,
  // hash, name and file, and the layout of a sweep with one point each.
  ResultsHeader header(const std::string& command_line) const;

  // Every run, on the configured threads; each finished run goes to `writer`
  // if there is one, then to `consume` with its scenario's index, on the
  // calling thread. Once *stop_requested, runs in flight finish and no new
  // one starts; the first run that throws stops the others and is rethrown.
  void run(ResultsWriter* writer, const std::atomic<bool>* stop_requested,
           const std::function<void(std::size_t scenario, const RunResult& result)>& consume) const;

 private:
  std::vector<CompareArm> arms_;
  std::vector<std::string> names_;
  std::uint64_t seed_ = 0;
  std::uint64_t replicates_ = 1;
  std::uint32_t steps_ = 0;
  std::uint32_t threads_ = 1;
  std::vector<std::shared_ptr<const EngineConfig>> configs_;
};

}  // namespace orgsim
