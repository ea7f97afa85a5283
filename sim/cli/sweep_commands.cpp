// orgsim sweep: a scenario's design run into one crash-safe results file, on
// threads or over MPI ranks, whole or one shard.
#include <fmt/core.h>
#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/progress.hpp"
#include "core/errors.hpp"
#include "experiments/distributed.hpp"
#include "experiments/dry_run.hpp"
#include "experiments/plan.hpp"
#include "experiments/sweep_driver.hpp"
#include "results/integrity.hpp"
#include "results/shards.hpp"
#include "version.hpp"

namespace orgsim::cli {
namespace po = boost::program_options;
namespace {

// Exit status when the sweep completed but some runs failed.
constexpr int kSomeRunsFailed = 4;

// Prints what the sweep would take; writes nothing. `runs`: those this
// process would do (a shard's, or all).
int print_dry_run(const sweep::SweepPlan& plan, const EngineConfig& config, std::uint32_t threads,
                  const std::string& output, std::uint64_t runs) {
  const auto estimate = sweep::estimate_sweep(plan, config, threads, runs);
  fmt::print("dry run: {} point(s) x {} replicate(s) = {} runs{} of {} agents over {} steps\n", plan.points(),
             plan.replicates(), plan.runs(),
             runs == plan.runs() ? "" : fmt::format(", {} in this shard", runs),
             config.organization.agent_count(), estimate.steps);
  print_estimate(estimate, output);
  return 0;
}

// `writes`: this process writes the file (not a worker rank), so the output path is checked here.
sweep::SweepSetup prepare_sweep(const po::variables_map& values, bool over_ranks, bool writes) {
  if (!values.count("scenario")) throw po::error("a sweep needs a SCENARIO file with a [sweep] section");
  if (values.count("resume") && values.count("force"))
    throw po::error("--resume and --force exclude each other");
  for (const char* other : {"resume", "dry-run"}) {
    if (values.count("design-only") && values.count(other))
      throw po::error(fmt::format("--design-only and --{} exclude each other", other));
  }
  sweep::SweepPlan plan(load(values, set_overrides(values)));
  std::string output = writes ? output_path(values, plan.scenario())
                              : (values.count("output") ? values["output"].as<std::string>()
                                                        : plan.scenario().text("scenario.name") + ".h5");
  // Ranks are the unit of parallelism on a cluster: one thread each unless told otherwise.
  const std::uint32_t threads = over_ranks && !values.count("threads") ? 1 : thread_count(values);
  plan.validate_points(static_cast<std::uint32_t>(std::min<std::uint64_t>(threads, plan.runs())));
  std::optional<Shard> shard;
  if (values.count("shard")) {
    try {
      shard = parse_shard(values["shard"].as<std::string>());
    } catch (const std::invalid_argument& error) {
      throw po::error(fmt::format("--shard {}", error.what()));
    }
  }
  return sweep::sweep_setup(std::move(plan), threads, std::move(output), shard);
}

sweep::SweepOutput::Opening opening(const po::variables_map& values) {
  using Opening = sweep::SweepOutput::Opening;
  if (values.count("resume")) return Opening::resume;
  return values.count("force") ? Opening::overwrite : Opening::create;
}

// --design-only: the file as created, every run pending; --resume runs them.
int write_design_only(const sweep::SweepSetup& setup, sweep::SweepOutput& output,
                      const po::variables_map& values) {
  output.close();
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

// Runs what is left of the sweep on `where` (threads here, or ranks) with
// progress on standard error, and reports; the exit status.
int run_and_report(const sweep::SweepSetup& setup, sweep::SweepOutput& output, const std::string& where,
                   const sweep::Executor& execute) {
  const auto& plan = setup.plan;
  const auto shard =
      setup.shard ? fmt::format("; shard {}: {} runs", setup.shard->text(), setup.runs()) : std::string();
  fmt::print("orgsim {}: sweep {} ({} design, {} point(s) x {} replicate(s) = {} runs{}; {} to do) on {}\n",
             kVersion, plan.scenario().text("scenario.name"), sweep::design_name(plan.spec().kind),
             plan.points(), plan.replicates(), plan.runs(), shard, output.runs().size(), where);
  std::fflush(stdout);

  if (!output.damaged().empty()) {
    fmt::print(stderr,
               "orgsim: warning: {}: the stored results of {} run(s) were damaged (runs {}); they are run "
               "again\n",
               setup.output, output.damaged().size(), list_runs(output.damaged()));
    std::fflush(stderr);
  }
  const auto& before = output.before();
  Progress progress(setup.runs(), before.done + before.failed, stderr);
  const auto tally =
      sweep::drive(setup, output, execute, &interrupted,
                   [&](std::uint64_t done, std::uint64_t failed) { progress.update(done, failed); });
  progress.finish(before.done + tally.done, before.failed + tally.failed);
  const auto share = [&](double seconds) { return tally.seconds > 0 ? 100 * seconds / tally.seconds : 0.0; };
  fmt::print(
      "{} run(s) done, {} failed, {} pending in {:.2f} s ({:.2f} s writing, {:.1f}%; {:.2f} s, {:.1f}% "
      "on the CPU); wrote {}\n",
      tally.done, tally.failed, tally.pending, tally.seconds, tally.writing_seconds,
      share(tally.writing_seconds), tally.writing_cpu_seconds, share(tally.writing_cpu_seconds),
      setup.output);
  if (interrupted) {
    throw Interrupted(fmt::format("interrupted: {} run(s) pending in {} (continue with --resume)",
                                  tally.pending, setup.output));
  }
  // Failures a resumed file already recorded count too: exit 0 means every run is done.
  if (before.failed + tally.failed > 0) {
    fmt::print(stderr, "orgsim: error: {} run(s) failed; `orgsim status {}` lists them\n",
               before.failed + tally.failed, printable(setup.output, 4096));
    return kSomeRunsFailed;
  }
  return 0;
}

// mpirun -n K orgsim sweep: rank 0 writes, ranks 1..K-1 compute. Every rank
// reads the scenario; if any cannot, the lowest such rank reports and all
// exit alike, before anything is written.
int sweep_over_ranks(const distributed::Session& session, const po::variables_map& values,
                     const std::string& command_line) {
  std::optional<sweep::SweepSetup> setup;
  std::exception_ptr failure;
  try {
    setup.emplace(prepare_sweep(values, true, session.rank() == 0));
  } catch (...) {
    failure = std::current_exception();
  }
  const auto agree = [&] {
    return distributed::agree_on_failure(session, failure, failure ? exit_status_of(failure) : 0,
                                         [&] { report_failure(failure, "sweep"); });
  };
  if (const auto code = agree()) return *code;
  const auto workers = static_cast<std::uint32_t>(session.size() - 1);
  if (values.count("dry-run")) {
    return session.rank() == 0 ? print_dry_run(setup->plan, *setup->plan.config_at(0),
                                               workers * setup->threads, setup->output, setup->runs())
                               : 0;
  }
  install_stop_handlers();
  std::optional<sweep::SweepOutput> output;
  if (session.rank() == 0) {
    try {
      output.emplace(*setup, command_line, opening(values));
    } catch (...) {
      failure = std::current_exception();
    }
  }
  if (const auto code = agree()) return *code;

  if (values.count("design-only"))
    return session.rank() == 0 ? write_design_only(*setup, *output, values) : 0;
  if (session.rank() != 0) {
    try {
      sweep::serve(session, *setup);
    } catch (const std::exception& error) {
      // Rank 0 would wait for this rank's runs forever: the job ends here.
      fmt::print(stderr, "orgsim: error: rank {}: {}\n", session.rank(), one_line(error.what()));
      std::fflush(stderr);
      session.abort(70);
    }
    return 0;
  }
  const auto where = fmt::format("{} rank(s) x {} thread(s)", workers, setup->threads);
  try {
    return run_and_report(*setup, *output, where, sweep::over_ranks(session));
  } catch (const distributed::ExchangeBroken& error) {
    std::string why;
    try {
      std::rethrow_if_nested(error);
    } catch (const std::exception& cause) {
      why = fmt::format(": {}", cause.what());
    }
    fmt::print(stderr, "orgsim: error: {}{}; the file is valid, continue with --resume\n",
               one_line(error.what()), one_line(why));
    std::fflush(stderr);
    session.abort(70);
  } catch (...) {
    // Every other rank is done: the exchange ended before this was thrown.
    return report_failure(std::current_exception(), "sweep");
  }
}

}  // namespace

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

  const auto setup = prepare_sweep(values, false, true);
  if (values.count("dry-run"))
    return print_dry_run(setup.plan, *setup.plan.config_at(0), setup.threads, setup.output, setup.runs());
  install_stop_handlers();
  sweep::SweepOutput output(setup, command_line, opening(values));
  if (values.count("design-only")) return write_design_only(setup, output, values);
  return run_and_report(setup, output, fmt::format("{} thread(s)", setup.threads), run_queue);
}

}  // namespace orgsim::cli
