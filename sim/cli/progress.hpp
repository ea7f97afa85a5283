#pragma once
// Progress of a sweep on standard error: a bar with done and failed counts,
// runs per second and the time left when a person watches a terminal; one
// JSON object per line otherwise, for job logs and scripts.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <thread>

namespace orgsim::cli {

class Progress {
 public:
  Progress(std::uint64_t total, std::uint64_t already_done, std::FILE* stream);
  // Shows the counts if enough time passed since the last update (or `force`).
  void update(std::uint64_t done, std::uint64_t failed, bool force = false);
  // The last update, and a line break after a bar.
  void finish(std::uint64_t done, std::uint64_t failed);

 private:
  std::uint64_t total_;
  std::uint64_t already_done_;  // done before this invocation (resume): not counted in the rate
  std::FILE* stream_;
  bool terminal_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_;
};

// Progress of `orgsim run` by steps, for runs long enough that a person
// waits: silent for the first few seconds, then, on a terminal, one line
// redrawn twice a second with the steps done, the share and the time left;
// in a log, one such line every half minute. It reads a counter the runs
// add to (ReplicatePlan::steps_done) from a thread of its own.
class StepProgress {
 public:
  StepProgress(std::uint64_t total_steps, std::FILE* stream);
  StepProgress(const StepProgress&) = delete;
  StepProgress& operator=(const StepProgress&) = delete;
  ~StepProgress();  // stops the thread and ends a redrawn line
  std::atomic<std::uint64_t>& counter() { return done_; }

 private:
  void watch();

  std::uint64_t total_;
  std::FILE* stream_;
  bool terminal_;
  std::atomic<std::uint64_t> done_{0};
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool shown_ = false;
  std::thread thread_;
};

}  // namespace orgsim::cli
