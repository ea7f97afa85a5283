// orgsim sweep: a scenario's design run into one crash-safe results file, on
// threads or over MPI ranks, whole or one shard.
#include <fcntl.h>
#include <fmt/core.h>
#include <sys/file.h>
#include <unistd.h>
#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/progress.hpp"
#include "experiments/distributed.hpp"
#include "experiments/plan.hpp"
#include "experiments/replicates.hpp"
#include "model/config.hpp"
#include "results/results_file.hpp"
#include "results/shards.hpp"
#include "version.hpp"

namespace orgsim::cli {
namespace po = boost::program_options;
namespace {

// Exit status when the sweep completed but some runs failed.
constexpr int kSomeRunsFailed = 4;
// Statuses reach the disk at least this often (and at the end): a killed
// sweep loses at most this much work, for a flush or two per interval.
constexpr auto kCommitInterval = std::chrono::milliseconds(250);

// One sweep writes to a file at a time: a second one (a job requeued while
// the first still runs, say) would resume from a snapshot and take the file
// from under it. The lock lives in FILE.lock, beside the results, because a
// resume replaces the results file itself. A killed sweep leaves the file
// behind, unlocked; the next sweep takes it over.
class WriterLock {
 public:
  explicit WriterLock(const std::string& output) : path_(output + ".lock") {
    descriptor_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
    if (descriptor_ < 0) {
      descriptor_ = ::open(path_.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0644);
      created_ = descriptor_ >= 0;
    }
    if (descriptor_ < 0) {
      throw OutputError(fmt::format("{}: cannot create the lock file (is the directory writable?)", path_));
    }
    if (flock(descriptor_, LOCK_EX | LOCK_NB) != 0) {
      ::close(descriptor_);
      throw OutputError(
          fmt::format("{}: another orgsim sweep is writing this file; nothing was changed", output));
    }
  }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;
  ~WriterLock() {
    if (created_) remove_file();  // refused or failed: the directory as it was found
    ::close(descriptor_);
  }
  // After the sweep closed its file; a refused or failed command leaves the
  // directory as it found it.
  void remove_file() {
    std::remove(path_.c_str());
    created_ = false;
  }

 private:
  std::string path_;
  int descriptor_ = -1;
  bool created_ = false;
};

// Runs to fail on purpose, for tests of failure handling: ORGSIM_FAIL_RUNS="3,17".
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

// Times one short run to estimate the whole sweep, and bounds the file's
// size by its uncompressed data; writes nothing.
// `runs`: those this process would do (a shard's, or all).
int dry_run(const sweep::SweepPlan& plan, const EngineConfig& config, std::uint32_t threads,
            const std::string& output, std::uint64_t runs) {
  const auto steps = static_cast<std::uint64_t>(plan.scenario().integer("scenario.steps"));
  const std::uint64_t calibration_steps = std::min<std::uint64_t>(steps, 20);
  Scenario short_run = plan.scenario_at(0);
  short_run.apply_override(fmt::format("scenario.steps={}", calibration_steps));
  const auto short_config = std::make_shared<const EngineConfig>(EngineConfig::from(short_run));
  const auto started = std::chrono::steady_clock::now();
  (void)Simulation(short_config, plan.key(0)).run();
  const double calibration =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double per_run = calibration * static_cast<double>(steps) / static_cast<double>(calibration_steps);
  const auto workers = std::min<std::uint64_t>(threads, runs);
  const double wall =
      per_run * static_cast<double>(runs) / static_cast<double>(std::max<std::uint64_t>(workers, 1));
  const double values_per_run = static_cast<double>(steps + 1) *
                                (static_cast<double>(kOrgObservables) +
                                 static_cast<double>(kDepartmentObservables * config.department_count()));
  const double megabytes = static_cast<double>(runs) * (values_per_run * 8 + 300) / 1e6;
  fmt::print("dry run: {} point(s) x {} replicate(s) = {} runs{} of {} agents over {} steps\n", plan.points(),
             plan.replicates(), plan.runs(),
             runs == plan.runs() ? "" : fmt::format(", {} in this shard", runs),
             config.organization.agent_count(), steps);
  fmt::print("estimated wall time on {} thread(s): {} s (one run: {:.3f} s, timed on {} steps)\n", workers,
             static_cast<std::uint64_t>(std::llround(wall)), per_run, calibration_steps);
  fmt::print(
      "estimated output: at most {:.1f} MB uncompressed (compressed files are typically 3 to 5 times "
      "smaller) in {}\nnothing was written\n",
      megabytes, output);
  return 0;
}

// What every rank of a sweep knows: the plan and where its results go.
struct SweepSetup {
  sweep::SweepPlan plan;
  std::uint32_t threads = 1;  // per process: the pool, or each worker rank's
  std::string output;
  std::set<std::uint64_t> failing;
  std::uint32_t steps = 0;
  std::size_t departments = 0;
  std::optional<Shard> shard;  // --shard I/N: only the runs I, I + N, I + 2N, ...
  std::uint64_t runs() const {
    return shard ? plan.runs() / shard->count + (shard->index < plan.runs() % shard->count ? 1 : 0)
                 : plan.runs();
  }
};

SweepSetup prepare_sweep(const po::variables_map& values, bool over_ranks) {
  if (!values.count("scenario")) throw po::error("a sweep needs a SCENARIO file with a [sweep] section");
  if (values.count("resume") && values.count("force"))
    throw po::error("--resume and --force exclude each other");
  for (const char* other : {"resume", "dry-run"}) {
    if (values.count("design-only") && values.count(other))
      throw po::error(fmt::format("--design-only and --{} exclude each other", other));
  }
  sweep::SweepPlan plan(load(values, set_overrides(values)));
  // Ranks are the unit of parallelism on a cluster: one thread each unless told otherwise.
  const std::uint32_t threads = over_ranks && !values.count("threads") ? 1 : thread_count(values);
  plan.validate_points(static_cast<std::uint32_t>(std::min<std::uint64_t>(threads, plan.runs())));
  const auto first = plan.config_at(0);
  std::string output = values.count("output") ? values["output"].as<std::string>()
                                              : plan.scenario().text("scenario.name") + ".h5";
  const auto steps = static_cast<std::uint32_t>(plan.scenario().integer("scenario.steps"));
  const auto departments = first->department_count();
  std::optional<Shard> shard;
  if (values.count("shard")) {
    try {
      shard = parse_shard(values["shard"].as<std::string>());
    } catch (const std::invalid_argument& error) {
      throw po::error(fmt::format("--shard {}", error.what()));
    }
  }
  return SweepSetup{std::move(plan), threads, std::move(output), runs_to_fail(), steps, departments, shard};
}

// The run a sweep's key names, as every process computes it.
RunQueue computing_queue(const SweepSetup& setup) {
  RunQueue queue;
  queue.execute = [&setup](std::uint64_t run) {
    if (setup.failing.contains(run)) throw std::runtime_error("failure injected by ORGSIM_FAIL_RUNS");
    const auto key = setup.plan.key(run);
    return Simulation(setup.plan.config_at(key.point), key).run();
  };
  queue.prepare = [&setup](RunOutcome& outcome) {
    outcome.packed = pack_run(outcome.result, setup.steps, setup.departments);
  };
  queue.threads = setup.threads;
  queue.keep_going = true;
  return queue;
}

// The results file a sweep writes, opened (or resumed) under its lock.
struct SweepOutput {
  explicit SweepOutput(const std::string& path) : lock(path) {}
  WriterLock lock;
  std::unique_ptr<ResultsWriter> writer;
  std::vector<std::uint64_t> runs;  // still to do
  LedgerCounts before;              // what a resumed file already holds
};

std::unique_ptr<SweepOutput> open_output(const SweepSetup& setup, const po::variables_map& values,
                                         const std::string& command_line) {
  const auto header = sweep_header(setup.plan, command_line, setup.shard);
  auto output = std::make_unique<SweepOutput>(setup.output);
  if (values.count("resume")) {
    // A shard continues as the same shard: its file holds no other runs' results.
    if (std::filesystem::is_regular_file(setup.output)) {
      const auto stored = read_shard(setup.output);
      const auto given = setup.shard ? setup.shard->text() : std::string("none");
      if ((stored ? stored->text() : std::string("none")) != given) {
        throw OutputError(
            fmt::format("{}: cannot be resumed: it holds shard {}, this sweep is shard {}; "
                        "nothing was changed",
                        setup.output, stored ? stored->text() : "none", given));
      }
    }
    output->writer = resume_results(setup.output, header, output->runs);
    if (setup.shard) std::erase_if(output->runs, [&](std::uint64_t run) { return !setup.shard->holds(run); });
    output->before = read_ledger(setup.output);
  } else {
    output->writer = std::make_unique<ResultsWriter>(setup.output, values.count("force") > 0, header,
                                                     ResultsWriter::Mode::crash_safe);
    for (std::uint64_t run = 0; run < setup.plan.runs(); ++run) {
      if (!setup.shard || setup.shard->holds(run)) output->runs.push_back(run);
    }
  }
  return output;
}

// --design-only: the file as created, every run pending; --resume runs them.
int write_design_only(const SweepSetup& setup, SweepOutput& output, const po::variables_map& values) {
  output.writer->finish();
  output.lock.remove_file();
  const auto& plan = setup.plan;
  fmt::print(
      "orgsim {}: sweep {} ({} design, {} point(s) x {} replicate(s) = {} runs): wrote the design to {}, "
      "every run pending; `orgsim sweep {}{} --resume -o {}`{} runs them\n",
      kVersion, plan.scenario().text("scenario.name"), sweep::design_name(plan.spec().kind), plan.points(),
      plan.replicates(), plan.runs(), setup.output, values["scenario"].as<std::string>(),
      setup.shard ? " --shard " + setup.shard->text() : std::string(), setup.output,
      values.count("set") ? " with the same --set values" : "");
  return 0;
}

using Executor = std::function<void(const RunQueue&, const std::function<void(RunOutcome&&)>&)>;

// Runs what is left of the sweep through `execute` (threads here, or ranks),
// writing each run as it arrives, and reports; the exit status.
int drive(const SweepSetup& setup, SweepOutput& output, const std::string& where, const Executor& execute) {
  const auto& plan = setup.plan;
  auto& writer = *output.writer;
  const auto shard =
      setup.shard ? fmt::format("; shard {}: {} runs", setup.shard->text(), setup.runs()) : std::string();
  fmt::print("orgsim {}: sweep {} ({} design, {} point(s) x {} replicate(s) = {} runs{}; {} to do) on {}\n",
             kVersion, plan.scenario().text("scenario.name"), sweep::design_name(plan.spec().kind),
             plan.points(), plan.replicates(), plan.runs(), shard, output.runs.size(), where);
  std::fflush(stdout);

  RunQueue queue = computing_queue(setup);
  queue.runs = output.runs;
  queue.stop_requested = &interrupted;
  queue.idle_interval = std::chrono::duration_cast<std::chrono::milliseconds>(kCommitInterval);
  std::uint64_t done = 0, failed = 0;
  const auto& before = output.before;
  Progress progress(setup.runs(), before.done + before.failed, stderr);
  const auto started = std::chrono::steady_clock::now();
  auto last_commit = started;
  std::chrono::steady_clock::duration writing{};
  queue.on_idle = [&] {
    const auto idle_started = std::chrono::steady_clock::now();
    writer.commit();
    last_commit = idle_started;
    writing += std::chrono::steady_clock::now() - idle_started;
  };
  execute(queue, [&](RunOutcome&& outcome) {
    const auto write_started = std::chrono::steady_clock::now();
    const auto run = outcome.result.run;
    if (outcome.failed) {
      const auto key = plan.key(run);
      writer.write_failure(run, key, run_seed(key), outcome.error);
      ++failed;
    } else {
      writer.write(outcome.result, outcome.packed);
      ++done;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_commit >= kCommitInterval) {
      writer.commit();
      last_commit = now;
    }
    writing += std::chrono::steady_clock::now() - write_started;
    progress.update(before.done + done, before.failed + failed);
  });
  const auto finish_started = std::chrono::steady_clock::now();
  writer.finish();
  output.lock.remove_file();
  writing += std::chrono::steady_clock::now() - finish_started;
  progress.finish(before.done + done, before.failed + failed);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto pending = output.runs.size() - done - failed;
  const double writing_seconds = std::chrono::duration<double>(writing).count();
  fmt::print("{} run(s) done, {} failed, {} pending in {:.2f} s ({:.2f} s writing, {:.1f}%); wrote {}\n",
             done, failed, pending, seconds, writing_seconds,
             seconds > 0 ? 100 * writing_seconds / seconds : 0.0, setup.output);
  if (interrupted) {
    throw Interrupted(
        fmt::format("interrupted: {} run(s) pending in {} (continue with --resume)", pending, setup.output));
  }
  // Failures a resumed file already recorded count too: exit 0 means every run is done.
  if (before.failed + failed > 0) {
    fmt::print(stderr, "orgsim: error: {} run(s) failed; `orgsim status {}` lists them\n",
               before.failed + failed, setup.output);
    return kSomeRunsFailed;
  }
  return 0;
}

// mpirun -n K orgsim sweep: rank 0 writes, ranks 1..K-1 compute. Every rank
// reads the scenario; if any cannot, the lowest such rank reports and all
// exit alike, before anything is written.
int sweep_over_ranks(const distributed::Session& session, const po::variables_map& values,
                     const std::string& command_line) {
  std::optional<SweepSetup> setup;
  std::exception_ptr failure;
  try {
    setup.emplace(prepare_sweep(values, true));
  } catch (...) {
    failure = std::current_exception();
  }
  // The rank that reports prints before any rank exits: a launcher ends the
  // job at the first non-zero exit, and a line not yet written would be lost.
  const auto agree = [&]() -> std::optional<int> {
    const auto first = session.first_failure(failure, failure ? exit_status_of(failure) : 0);
    if (!first) return std::nullopt;
    if (first->rank == session.rank()) report_failure(failure, "sweep");
    session.barrier();
    return first->rank == session.rank() ? first->exit_code : 0;
  };
  if (const auto code = agree()) return *code;
  const auto workers = static_cast<std::uint32_t>(session.size() - 1);
  if (values.count("dry-run")) {
    return session.rank() == 0 ? dry_run(setup->plan, *setup->plan.config_at(0), workers * setup->threads,
                                         setup->output, setup->runs())
                               : 0;
  }
  install_stop_handlers();
  std::unique_ptr<SweepOutput> output;
  if (session.rank() == 0) {
    try {
      output = open_output(*setup, values, command_line);
    } catch (...) {
      failure = std::current_exception();
    }
  }
  if (const auto code = agree()) return *code;

  if (values.count("design-only"))
    return session.rank() == 0 ? write_design_only(*setup, *output, values) : 0;
  if (session.rank() != 0) {
    try {
      distributed::serve(session, computing_queue(*setup));
    } catch (const std::exception& error) {
      // Rank 0 would wait for this rank's runs forever: the job ends here.
      fmt::print(stderr, "orgsim: error: rank {}: {}\n", session.rank(), error.what());
      std::fflush(stderr);
      session.abort(70);
    }
    return 0;
  }
  const auto where = fmt::format("{} rank(s) x {} thread(s)", workers, setup->threads);
  try {
    return drive(*setup, *output, where, [&](const RunQueue& queue, const auto& consume) {
      distributed::coordinate(session, queue, consume);
    });
  } catch (const distributed::ExchangeBroken& error) {
    std::string why;
    try {
      std::rethrow_if_nested(error);
    } catch (const std::exception& cause) {
      why = fmt::format(": {}", cause.what());
    }
    fmt::print(stderr, "orgsim: error: {}{}; the file is valid, continue with --resume\n", error.what(), why);
    std::fflush(stderr);
    session.abort(70);
  } catch (...) {
    // Every other rank is done: the exchange ended before this was thrown.
    return report_failure(std::current_exception(), "sweep");
  }
}

}  // namespace

ResultsHeader sweep_header(const sweep::SweepPlan& plan, const std::string& command_line,
                           const std::optional<Shard>& shard) {
  auto header = results_header(plan.scenario(), command_line, plan.runs());
  SweepHeader sweep;
  sweep.design_name = sweep::design_name(plan.spec().kind);
  sweep.design_seed = plan.spec().seed;
  sweep.salib_problem = sweep::salib_problem_json(plan.spec());
  sweep.parameter_keys = plan.design().keys;
  sweep.points = plan.design().points;
  sweep.replicates = plan.replicates();
  sweep.scenario_seed = plan.key(0).scenario_seed;
  if (shard) sweep.shard = shard->text();
  header.sweep = std::move(sweep);
  return header;
}

int sweep_command(const std::vector<std::string>& args, const std::string& command_line) {
  auto options = run_options("orgsim sweep SCENARIO [options]");
  // clang-format off
  options.add_options()
    ("resume", "continue a sweep that was stopped or killed, in its own file")
    ("dry-run", "print the number of runs, the estimated time and output size; write nothing")
    ("design-only", "write the file with the design and every run pending, run nothing (--resume runs them)")
    ("force", "overwrite an existing results file")
    ("shard", po::value<std::string>(), "run shard I/N of the sweep, the runs I, I+N, I+2N, ... (job arrays; orgsim merge joins the shard files)");
  // clang-format on
  const auto values = parse(args, options, {"scenario"});
  if (values.count("help")) {
    if (distributed::launcher_rank() != 0) return 0;
    std::cout << options
              << "\nRuns every point of the scenario's [sweep] design, each replicated, into one results\n"
                 "file. The file is valid at every moment; a sweep that is stopped or killed continues\n"
                 "with --resume. Exit status 4: the sweep finished but some runs failed (orgsim status).\n"
                 "--design-only writes the file with the design, the SALib problem and every run's\n"
                 "point, replicate, seed and swept values, each run pending; `orgsim sweep SCENARIO\n"
                 "--resume -o FILE` then runs them, with the same results as a sweep run at once.\n"
                 "Under an MPI launcher (mpirun -n K, srun) rank 0 writes the file and hands out runs,\n"
                 "and ranks 1..K-1 compute them, each on --threads threads (default 1).\n";
    return 0;
  }
  std::optional<distributed::Session> session;
  if (distributed::launched_by_mpi()) session.emplace();
  if (session && session->size() > 1) return sweep_over_ranks(*session, values, command_line);

  const auto setup = prepare_sweep(values, false);
  if (values.count("dry-run"))
    return dry_run(setup.plan, *setup.plan.config_at(0), setup.threads, setup.output, setup.runs());
  install_stop_handlers();
  const auto output = open_output(setup, values, command_line);
  if (values.count("design-only")) return write_design_only(setup, *output, values);
  return drive(setup, *output, fmt::format("{} thread(s)", setup.threads), run_queue);
}

}  // namespace orgsim::cli
