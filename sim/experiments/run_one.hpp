#pragma once
// One run of the model: a configuration and a run's key in, the run's
// observables out. Every command that runs the model (run, sweep and its dry
// run, compare, rerun) comes through here, so a run that one of them computes
// is the run any other would compute for the same key.
#include <cstdint>
#include <memory>
#include <optional>

#include "core/random.hpp"
#include "engine/simulation.hpp"
#include "model/config.hpp"

namespace orgsim {

// Runs the configuration's horizon on run_seed(key), or on `seed` where a
// file recorded the seed a run used (orgsim rerun). What the run throws
// reaches the caller unchanged: a run queue that keeps going records it as
// the run's failure, every other caller stops on it.
// `steps_counter`: see Simulation::run.
RunResult run_one(std::shared_ptr<const EngineConfig> config, const RunKey& key,
                  std::optional<std::uint64_t> seed = std::nullopt,
                  std::atomic<std::uint64_t>* steps_counter = nullptr);

}  // namespace orgsim
