#pragma once
// Runs a scenario's replicates on a pool of worker threads and hands each
// finished run to one consumer on the calling thread, which alone owns the
// results file. A run's results depend only on its key, never on which
// thread ran it or in which order runs finished.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "engine/simulation.hpp"

namespace orgsim {

struct ReplicatePlan {
  std::shared_ptr<const EngineConfig> config;
  std::uint64_t scenario_seed = 1;
  std::uint64_t replicates = 1;
  std::uint32_t threads = 1;
  // Set (e.g. by a signal handler) to stop handing out runs; runs in flight finish.
  const std::atomic<bool>* stop_requested = nullptr;
};

// Calls `consume` once per run, on the calling thread, in completion order.
// An exception in any run stops the others and is rethrown here.
void run_replicates(const ReplicatePlan& plan, const std::function<void(RunResult&&)>& consume);

}  // namespace orgsim
