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
// `steps_counter`: see Simulation::run. `threads`: the run's own threads
// (Simulation::set_threads), which change nothing in its results.
RunResult run_one(std::shared_ptr<const EngineConfig> config, const RunKey& key,
                  std::optional<std::uint64_t> seed = std::nullopt,
                  std::atomic<std::uint64_t>* steps_counter = nullptr, std::uint32_t threads = 1);

// A run with at least this many agents takes threads of its own when there
// are fewer runs than threads: below it, a week's blocks are too few and
// too quick to repay waking another thread (docs/performance.md, section 5).
constexpr std::uint32_t kThreadedRunAgents = 50'000;

// The threads each of `runs` runs of `agents` agents gets out of `threads`:
// one, unless the runs are big and fewer than the threads, which they then
// share out evenly.
std::uint32_t threads_per_run(std::uint32_t agents, std::uint64_t runs, std::uint32_t threads);

}  // namespace orgsim
