#pragma once
// Progress of a sweep on standard error: a bar with done and failed counts,
// runs per second and the time left when a person watches a terminal; one
// JSON object per line otherwise, for job logs and scripts.
#include <chrono>
#include <cstdint>
#include <cstdio>

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

}  // namespace orgsim::cli
