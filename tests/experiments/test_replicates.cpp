// The run queue with a feed that blocks (as an MPI worker rank's does): a
// failure must release the threads waiting for runs, not leave them waiting.
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <new>
#include <optional>

#include "core/errors.hpp"
#include "engine/memory.hpp"
#include "experiments/replicates.hpp"

namespace orgsim {

TEST_CASE("A failure releases the threads waiting on a blocking feed", "[execution]") {
  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t next = 0;
  bool closed = false;
  RunQueue queue;
  queue.threads = 4;
  queue.keep_going = true;
  // Hands out two runs, then blocks until closed: more runs would come from the consumer's replies.
  queue.next_run = [&]() -> std::optional<std::uint64_t> {
    std::unique_lock lock(mutex);
    if (next < 2) return next++;
    changed.wait(lock, [&] { return closed; });
    return std::nullopt;
  };
  queue.on_stop = [&] {
    const std::lock_guard lock(mutex);
    closed = true;
    changed.notify_all();
  };
  queue.execute = [](std::uint64_t run) {
    RunResult result;
    result.run = run;
    return result;
  };
  SECTION("out of memory while packing a run") {
    queue.prepare = [](RunOutcome& outcome) {
      if (outcome.result.run == 1) throw std::bad_alloc();
    };
    // The machine, not the run: an OutOfMemory (exit 4) naming the run, never a failed run.
    CHECK_THROWS_MATCHES(run_queue(queue, [](RunOutcome&&) {}), OutOfMemory,
                         Catch::Matchers::Message("out of memory in run 1"));
  }
  SECTION("out of memory, with what the run needed and what is available") {
    queue.prepare = [](RunOutcome& outcome) {
      if (outcome.result.run == 1) throw std::bad_alloc();
    };
    queue.out_of_memory = [](std::uint64_t run) { return out_of_memory_message(run, 3ULL << 30U, 2); };
    try {
      run_queue(queue, [](RunOutcome&&) {});
      FAIL("no OutOfMemory");
    } catch (const OutOfMemory& error) {
      const std::string message = error.what();
      CHECK(message.find("run 1") != std::string::npos);
      CHECK(message.find("3.00 GiB") != std::string::npos);  // one run's estimate
      CHECK(message.find("6.00 GiB in all") != std::string::npos);
      CHECK(message.find("available now (") != std::string::npos);
      CHECK(message.find('\n') == std::string::npos);
    }
  }
  SECTION("the consumer fails") {
    CHECK_THROWS_AS(run_queue(queue, [](RunOutcome&&) { throw std::runtime_error("cannot send"); }),
                    std::runtime_error);
  }
  CHECK(closed);
}

TEST_CASE("A run that throws is reported as failed and the feed goes on", "[execution]") {
  std::mutex mutex;
  std::uint64_t next = 0;
  RunQueue queue;
  queue.threads = 2;
  queue.keep_going = true;
  queue.next_run = [&]() -> std::optional<std::uint64_t> {
    const std::lock_guard lock(mutex);
    return next < 6 ? std::optional(next++) : std::nullopt;
  };
  bool stopped = false;
  queue.on_stop = [&] { stopped = true; };
  queue.execute = [](std::uint64_t run) -> RunResult {
    if (run == 3) throw std::runtime_error("the model threw");
    RunResult result;
    result.run = run;
    return result;
  };
  std::uint64_t done = 0, failed = 0;
  run_queue(queue, [&](RunOutcome&& outcome) { (outcome.failed ? failed : done) += 1; });
  CHECK(done == 5);
  CHECK(failed == 1);
  CHECK_FALSE(stopped);
}

}  // namespace orgsim
