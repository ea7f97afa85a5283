#include "experiments/sweep_driver.hpp"

#include <fmt/core.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "core/errors.hpp"
#include "engine/memory.hpp"
#include "experiments/provenance.hpp"
#include "experiments/run_one.hpp"
#include "results/reading.hpp"

namespace orgsim::sweep {
namespace {

// Statuses reach the disk this often (and at the end): a killed sweep loses
// at most this much work, for a flush or two per interval. Where the disk
// makes a commit slow (two syncs), commits are spaced to this many times the
// last one's duration, so that they take at most 1% of the time, but never
// further apart than kLongestCommitInterval.
constexpr auto kCommitInterval = std::chrono::milliseconds(250);
constexpr int kCommitSpacing = 100;
constexpr auto kLongestCommitInterval = std::chrono::seconds(5);

// CPU time of the calling thread: the writer's own work, without the time
// it waits for a core while the workers have both.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// The test hook (SweepSetup::failing): ORGSIM_FAIL_RUNS="3,17".
std::set<std::uint64_t> runs_to_fail() {
  std::set<std::uint64_t> runs;
  const char* listed = std::getenv("ORGSIM_FAIL_RUNS");
  if (listed == nullptr) return runs;
  std::stringstream stream(listed);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (!item.empty()) runs.insert(std::stoull(item));
  }
  return runs;
}

// The run a sweep's key names, as every process computes it.
RunQueue computing_queue(const SweepSetup& setup) {
  RunQueue queue;
  queue.execute = [&setup](std::uint64_t run) {
    if (setup.failing.contains(run)) throw std::runtime_error("failure injected by ORGSIM_FAIL_RUNS");
    const auto key = setup.plan.key(run);
    return run_one(setup.plan.config_at(key.point), key);
  };
  queue.out_of_memory = [&setup](std::uint64_t run) {
    return out_of_memory_message(run, estimated_run_bytes(*setup.plan.config_at(setup.plan.key(run).point)),
                                 setup.threads);
  };
  queue.prepare = [&setup](RunOutcome& outcome) {
    outcome.packed = pack_run(outcome.result, setup.steps, setup.departments);
  };
  queue.threads = setup.threads;
  queue.keep_going = true;
  return queue;
}

}  // namespace

SweepSetup sweep_setup(SweepPlan plan, std::uint32_t threads, std::string output,
                       std::optional<Shard> shard) {
  const auto steps = static_cast<std::uint32_t>(plan.scenario().integer("scenario.steps"));
  const auto departments = plan.config_at(0)->department_count();
  return SweepSetup{std::move(plan), threads, std::move(output), shard, steps, departments, runs_to_fail()};
}

std::uint64_t SweepSetup::runs() const {
  return shard ? plan.runs() / shard->count + (shard->index < plan.runs() % shard->count ? 1 : 0)
               : plan.runs();
}

SweepOutput::SweepOutput(const SweepSetup& setup, const std::string& command_line, Opening opening)
    : lock_(setup.output) {
  const auto header = sweep_header(setup.plan, command_line, setup.shard);
  if (opening == Opening::resume) {
    // A shard continues as the same shard: its file holds no other runs' results.
    if (std::filesystem::is_regular_file(setup.output)) {
      std::string why;
      if (!open_for_reading(setup.output, &why).valid())
        throw OutputError(fmt::format("{}: cannot be resumed: {}; nothing was changed", setup.output, why));
      const auto stored = read_shard(setup.output);
      const auto given = setup.shard ? setup.shard->text() : std::string("none");
      if ((stored ? stored->text() : std::string("none")) != given) {
        throw OutputError(
            fmt::format("{}: cannot be resumed: it holds shard {}, this sweep is shard {}; "
                        "nothing was changed",
                        setup.output, stored ? stored->text() : "none", given));
      }
    }
    writer_ = resume_results(setup.output, header, runs_, &damaged_);
    if (setup.shard) std::erase_if(runs_, [&](std::uint64_t run) { return !setup.shard->holds(run); });
    before_ = read_ledger(setup.output);
  } else {
    writer_ = std::make_unique<ResultsWriter>(setup.output, opening == Opening::overwrite, header,
                                              ResultsWriter::Mode::crash_safe);
    for (std::uint64_t run = 0; run < setup.plan.runs(); ++run) {
      if (!setup.shard || setup.shard->holds(run)) runs_.push_back(run);
    }
  }
}

void SweepOutput::close() {
  writer_->finish();
  lock_.remove_file();
}

Executor over_ranks(const distributed::Session& session) {
  return [&session](const RunQueue& queue, const std::function<void(RunOutcome &&)>& consume) {
    distributed::coordinate(session, queue, consume);
  };
}

void serve(const distributed::Session& session, const SweepSetup& setup) {
  distributed::serve(session, computing_queue(setup));
}

SweepTally drive(const SweepSetup& setup, SweepOutput& output, const Executor& execute,
                 const std::atomic<bool>* stop_requested,
                 const std::function<void(std::uint64_t done, std::uint64_t failed)>& progress) {
  auto& writer = output.writer();
  RunQueue queue = computing_queue(setup);
  queue.runs = output.runs();
  queue.stop_requested = stop_requested;
  queue.idle_interval = std::chrono::duration_cast<std::chrono::milliseconds>(kCommitInterval);
  SweepTally tally;
  const auto& before = output.before();
  const auto started = std::chrono::steady_clock::now();
  auto last_commit = started;
  std::chrono::steady_clock::duration commit_took{};
  const auto commit = [&](std::chrono::steady_clock::time_point now) {
    writer.commit();
    last_commit = now;
    commit_took = std::chrono::steady_clock::now() - now;
  };
  const auto commit_due = [&](std::chrono::steady_clock::time_point now) {
    const auto spacing = std::clamp<std::chrono::steady_clock::duration>(
        kCommitSpacing * commit_took, kCommitInterval, kLongestCommitInterval);
    return now - last_commit >= spacing;
  };
  std::chrono::steady_clock::duration writing{};
  const double cpu_before = thread_cpu_seconds();
  queue.on_idle = [&] {
    const auto idle_started = std::chrono::steady_clock::now();
    if (commit_due(idle_started)) commit(idle_started);
    writing += std::chrono::steady_clock::now() - idle_started;
  };
  execute(queue, [&](RunOutcome&& outcome) {
    const auto write_started = std::chrono::steady_clock::now();
    const auto run = outcome.result.run;
    if (outcome.failed) {
      const auto key = setup.plan.key(run);
      writer.write_failure(run, key, run_seed(key), outcome.error);
      ++tally.failed;
    } else {
      writer.write(outcome.result, outcome.packed);
      ++tally.done;
    }
    const auto now = std::chrono::steady_clock::now();
    if (commit_due(now)) commit(now);
    writing += std::chrono::steady_clock::now() - write_started;
    progress(before.done + tally.done, before.failed + tally.failed);
  });
  const auto finish_started = std::chrono::steady_clock::now();
  output.close();
  writing += std::chrono::steady_clock::now() - finish_started;
  tally.pending = output.runs().size() - tally.done - tally.failed;
  tally.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  tally.writing_seconds = std::chrono::duration<double>(writing).count();
  // The writer's thread does nothing but write between runs, so its CPU time is the writing's.
  tally.writing_cpu_seconds = thread_cpu_seconds() - cpu_before;
  return tally;
}

}  // namespace orgsim::sweep
