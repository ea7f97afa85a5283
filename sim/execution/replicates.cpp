#include "execution/replicates.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace orgsim {

void run_replicates(const ReplicatePlan& plan, const std::function<void(RunResult&&)>& consume) {
  std::atomic<std::uint64_t> next_run{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<RunResult> finished;
  std::exception_ptr failure;
  std::uint32_t workers_running = 0;

  auto work = [&] {
    try {
      auto should_stop = [&] { return stop || (plan.stop_requested != nullptr && *plan.stop_requested); };
      for (std::uint64_t run = next_run++; run < plan.replicates && !should_stop(); run = next_run++) {
        Simulation simulation(plan.config, RunKey{plan.scenario_seed, 0, run});
        RunResult result = simulation.run();
        result.run = run;
        const std::lock_guard lock(mutex);
        finished.push_back(std::move(result));
        ready.notify_one();
      }
    } catch (...) {
      const std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
    const std::lock_guard lock(mutex);
    --workers_running;
    ready.notify_one();
  };

  const auto thread_count = static_cast<std::uint32_t>(
      std::max<std::uint64_t>(1, std::min<std::uint64_t>(plan.threads, plan.replicates)));
  std::vector<std::jthread> pool;
  workers_running = thread_count;
  try {
    for (std::uint32_t i = 0; i < thread_count; ++i) pool.emplace_back(work);
  } catch (...) {
    // Threads already started stop after their current run; the pool's destructor joins them.
    stop = true;
    const std::lock_guard lock(mutex);
    workers_running -= thread_count - static_cast<std::uint32_t>(pool.size());
    if (!failure) failure = std::current_exception();
  }

  std::unique_lock lock(mutex);
  while (true) {
    ready.wait(lock, [&] { return !finished.empty() || workers_running == 0; });
    while (!finished.empty()) {
      RunResult result = std::move(finished.front());
      finished.pop_front();
      if (failure) continue;  // after a failure, finished runs are dropped, not consumed
      lock.unlock();
      try {
        consume(std::move(result));
      } catch (...) {
        stop = true;
        lock.lock();
        if (!failure) failure = std::current_exception();
        lock.unlock();
      }
      lock.lock();
    }
    if (workers_running == 0) break;
  }
  lock.unlock();
  pool.clear();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace orgsim
