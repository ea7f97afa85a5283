#include "experiments/run_one.hpp"

#include <utility>

namespace orgsim {

RunResult run_one(std::shared_ptr<const EngineConfig> config, const RunKey& key,
                  std::optional<std::uint64_t> seed) {
  return Simulation(std::move(config), key, seed.value_or(run_seed(key))).run();
}

}  // namespace orgsim
