#include "experiments/run_one.hpp"

#include <utility>

namespace orgsim {

RunResult run_one(std::shared_ptr<const EngineConfig> config, const RunKey& key,
                  std::optional<std::uint64_t> seed, std::atomic<std::uint64_t>* steps_counter) {
  return Simulation(std::move(config), key, seed.value_or(run_seed(key))).run(steps_counter);
}

}  // namespace orgsim
