#include "experiments/replicates.hpp"

#include <fmt/core.h>

#include "core/errors.hpp"
#include "engine/memory.hpp"
#include "experiments/run_one.hpp"
#include "results/results_file.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <new>
#include <numeric>
#include <optional>
#include <thread>
#include <vector>

namespace orgsim {

void run_queue(const RunQueue& queue, const std::function<void(RunOutcome&&)>& consume) {
  std::atomic<std::uint64_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<RunOutcome> finished;
  std::exception_ptr failure;
  std::uint32_t workers_running = 0;
  const auto total = static_cast<std::uint64_t>(queue.runs.size());
  std::once_flag stopped;
  // Called with `mutex` held: keeps the first failure and stops everything.
  const auto fail = [&](std::exception_ptr error) {
    if (!failure) failure = std::move(error);
    stop = true;
    if (queue.on_stop) std::call_once(stopped, queue.on_stop);
  };

  auto work = [&] {
    try {
      auto should_stop = [&] { return stop || (queue.stop_requested != nullptr && *queue.stop_requested); };
      const auto take = [&]() -> std::optional<std::uint64_t> {
        if (should_stop()) return std::nullopt;
        if (queue.next_run) return queue.next_run();
        const std::uint64_t i = next++;
        return i < total ? std::optional(queue.runs[i]) : std::nullopt;
      };
      for (auto run = take(); run; run = take()) {
        RunOutcome outcome;
        outcome.result.run = *run;
        try {
          outcome.result = queue.execute(*run);
          outcome.result.run = *run;
          if (queue.prepare) queue.prepare(outcome);
        } catch (const std::bad_alloc&) {
          // The machine, not the run: fatal, and the run stays pending for --resume.
          throw OutOfMemory(queue.out_of_memory ? queue.out_of_memory(*run)
                                                : fmt::format("out of memory in run {}", *run));
        } catch (const std::exception& error) {
          if (!queue.keep_going) throw;
          outcome.failed = true;
          outcome.error = error.what();
        }
        const std::lock_guard lock(mutex);
        finished.push_back(std::move(outcome));
        ready.notify_one();
      }
    } catch (...) {
      const std::lock_guard lock(mutex);
      fail(std::current_exception());
    }
    const std::lock_guard lock(mutex);
    --workers_running;
    ready.notify_one();
  };

  const auto thread_count = static_cast<std::uint32_t>(std::max<std::uint64_t>(
      1, queue.next_run ? queue.threads : std::min<std::uint64_t>(queue.threads, total)));
  std::vector<std::jthread> pool;
  workers_running = thread_count;
  try {
    for (std::uint32_t i = 0; i < thread_count; ++i) pool.emplace_back(work);
  } catch (...) {
    // Threads already started stop after their current run; the pool's destructor joins them.
    const std::lock_guard lock(mutex);
    workers_running -= thread_count - static_cast<std::uint32_t>(pool.size());
    fail(std::current_exception());
  }

  std::unique_lock lock(mutex);
  // The consumer's own work, outside the lock; an exception stops the workers and is kept.
  const auto outside_lock = [&](const auto& task) {
    lock.unlock();
    try {
      task();
    } catch (...) {
      const std::lock_guard guard(mutex);
      fail(std::current_exception());
    }
    lock.lock();
  };
  const auto anything = [&] { return !finished.empty() || workers_running == 0; };
  while (true) {
    if (!queue.on_idle) {
      ready.wait(lock, anything);
    } else if (!ready.wait_for(lock, queue.idle_interval, anything)) {
      // Nothing finished for a while: the consumer's periodic work still happens.
      if (!failure) outside_lock(queue.on_idle);
      continue;
    }
    while (!finished.empty()) {
      RunOutcome outcome = std::move(finished.front());
      finished.pop_front();
      if (failure) continue;  // after a failure, finished runs are dropped, not consumed
      outside_lock([&] { consume(std::move(outcome)); });
    }
    if (workers_running == 0) break;
  }
  lock.unlock();
  pool.clear();
  if (failure) std::rethrow_exception(failure);
}

void run_replicates(const ReplicatePlan& plan, const std::function<void(RunResult&&)>& consume) {
  RunQueue queue;
  queue.runs.resize(plan.replicates);
  std::iota(queue.runs.begin(), queue.runs.end(), std::uint64_t{0});
  const std::uint32_t threads_each =
      threads_per_run(plan.config->organization.agent_count(), plan.replicates, plan.threads);
  queue.execute = [&plan, threads_each](std::uint64_t run) {
    return run_one(plan.config, RunKey{plan.scenario_seed, 0, run}, std::nullopt, plan.steps_done,
                   threads_each);
  };
  queue.out_of_memory = [&](std::uint64_t run) {
    return out_of_memory_message(run, estimated_run_bytes(*plan.config), plan.threads);
  };
  // The workers compress their runs' chunks, so the writer only stores them.
  if (plan.writer != nullptr) {
    queue.prepare = [&plan](RunOutcome& outcome) {
      outcome.packed = pack_run(outcome.result, plan.config->steps, plan.config->department_count());
    };
  }
  queue.threads = plan.threads;
  queue.stop_requested = plan.stop_requested;
  run_queue(queue, [&](RunOutcome&& outcome) {
    if (plan.writer != nullptr) plan.writer->write(outcome.result, outcome.packed);
    consume(std::move(outcome.result));
  });
}

}  // namespace orgsim
