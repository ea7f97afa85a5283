#include "cli/progress.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace orgsim::cli {
namespace {

std::string clock_text(double seconds) {
  if (!(seconds >= 0) || seconds > 1e8) return "--:--";
  const auto whole = static_cast<std::uint64_t>(std::llround(seconds));
  if (whole >= 3600) return fmt::format("{}:{:02}:{:02}", whole / 3600, whole / 60 % 60, whole % 60);
  return fmt::format("{:02}:{:02}", whole / 60, whole % 60);
}

}  // namespace

Progress::Progress(std::uint64_t total, std::uint64_t already_done, std::FILE* stream)
    : total_(total),
      already_done_(already_done),
      stream_(stream),
      terminal_(isatty(fileno(stream)) != 0),
      started_(std::chrono::steady_clock::now()),
      last_(started_) {}

void Progress::update(std::uint64_t done, std::uint64_t failed, bool force) {
  const auto now = std::chrono::steady_clock::now();
  // A person reads a bar a few times a second; a log wants a line a second at most.
  const auto interval = terminal_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(1000);
  if (!force && now - last_ < interval) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  const std::uint64_t finished = done + failed;
  const double rate =
      elapsed > 0 ? static_cast<double>(finished - std::min(finished, already_done_)) / elapsed : 0;
  const std::uint64_t left = total_ - std::min(total_, finished);
  const double eta = rate > 0 ? static_cast<double>(left) / rate : -1;
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = total_ == 0 ? kWidth : static_cast<int>(kWidth * finished / total_);
    fmt::print(stream_, "\r[{}{}] {}/{} done, {} failed, {:.1f} runs/s, ETA {}  ", std::string(filled, '#'),
               std::string(kWidth - filled, '.'), done, total_, failed, rate, clock_text(eta));
  } else {
    fmt::print(stream_,
               "{{\"done\": {}, \"failed\": {}, \"pending\": {}, \"total\": {}, \"runs_per_second\": {:.3f}, "
               "\"elapsed_seconds\": {:.1f}, \"eta_seconds\": {:.1f}}}\n",
               done, failed, left, total_, rate, elapsed, eta);
  }
  std::fflush(stream_);
}

void Progress::finish(std::uint64_t done, std::uint64_t failed) {
  update(done, failed, true);
  if (terminal_) fmt::print(stream_, "\n");
}

namespace {
// Quiet for short runs; then how often the line is drawn.
constexpr auto kQuietFor = std::chrono::seconds(3);
constexpr auto kTerminalEvery = std::chrono::milliseconds(500);
constexpr auto kLogEvery = std::chrono::seconds(30);
}  // namespace

StepProgress::StepProgress(std::uint64_t total_steps, std::FILE* stream)
    : total_(std::max<std::uint64_t>(total_steps, 1)),
      stream_(stream),
      terminal_(isatty(fileno(stream)) != 0),
      started_(std::chrono::steady_clock::now()),
      thread_([this] { watch(); }) {}

StepProgress::~StepProgress() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (shown_ && terminal_) fmt::print(stream_, "\n");
}

void StepProgress::watch() {
  std::unique_lock lock(mutex_);
  if (wake_.wait_for(lock, kQuietFor, [this] { return stopping_; })) return;
  do {
    const auto done = std::min(done_.load(std::memory_order_relaxed), total_);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    const double left =
        done > 0 ? elapsed * static_cast<double>(total_ - done) / static_cast<double>(done) : -1;
    fmt::print(stream_, "{}run: {}/{} steps ({:.1f}%), {} elapsed, ETA {}{}", terminal_ ? "\r" : "", done,
               total_, 100.0 * static_cast<double>(done) / static_cast<double>(total_), clock_text(elapsed),
               clock_text(left), terminal_ ? "  " : "\n");
    std::fflush(stream_);
    shown_ = true;
  } while (!wake_.wait_for(lock,
                           terminal_ ? std::chrono::duration_cast<std::chrono::milliseconds>(kTerminalEvery)
                                     : std::chrono::duration_cast<std::chrono::milliseconds>(kLogEvery),
                           [this] { return stopping_; }));
}

}  // namespace orgsim::cli
