#include "experiments/run_one.hpp"

#include <utility>

namespace orgsim {

RunResult run_one(std::shared_ptr<const EngineConfig> config, const RunKey& key,
                  std::optional<std::uint64_t> seed, std::atomic<std::uint64_t>* steps_counter,
                  std::uint32_t threads) {
  Simulation simulation(std::move(config), key, seed.value_or(run_seed(key)));
  simulation.set_threads(threads);
  return simulation.run(steps_counter);
}

std::uint32_t threads_per_run(std::uint32_t agents, std::uint64_t runs, std::uint32_t threads) {
  if (agents < kThreadedRunAgents || runs == 0 || runs >= threads) return 1;
  return static_cast<std::uint32_t>(threads / runs);
}

}  // namespace orgsim
