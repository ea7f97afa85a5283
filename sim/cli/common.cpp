#include "cli/common.hpp"

#include <fmt/core.h>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <thread>

#include "core/errors.hpp"
#include "engine/memory.hpp"
#include "results/results_file.hpp"

namespace orgsim::cli {
namespace po = boost::program_options;

std::atomic<bool> interrupted{false};

namespace {
void request_stop(int /*signal*/) {
  interrupted = true;
}
}  // namespace

void install_stop_handlers() {
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  // A closed terminal or an ssh session that drops ends a run as SIGTERM does.
  std::signal(SIGHUP, request_stop);
  // What mpirun forwards to every rank, and what a batch system can be asked
  // to send before a time limit (Slurm: --signal=B:USR1@120).
  std::signal(SIGUSR1, request_stop);
}

int exit_status_of(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const OrgsimError& error) {
    return error.exit_code();
  } catch (const po::error&) {
    return 2;
  } catch (const std::bad_alloc&) {
    return OutOfMemory("").exit_code();
  } catch (...) {
    return 70;
  }
}

// Every message is printed through one_line(): the line stays one line whatever input it quotes.
int report_failure(const std::exception_ptr& failure, const std::string& command) {
  try {
    std::rethrow_exception(failure);
  } catch (const OrgsimError& error) {
    fmt::print(stderr, "orgsim: error: {}\n", one_line(error.what()));
  } catch (const po::error& error) {
    fmt::print(stderr, "orgsim {}: error: {} (see orgsim {} --help)\n", command, one_line(error.what()),
               command);
  } catch (const std::bad_alloc&) {
    // Outside a run (a run's own is an OutOfMemory with its estimate).
    const auto available = available_memory();
    fmt::print(stderr, "orgsim: error: out of memory: {:.2f} GiB available now ({})\n",
               static_cast<double>(available.bytes) / (1ULL << 30U), available.source);
  } catch (const std::exception& error) {
    fmt::print(stderr, "orgsim: internal error: {}\n", one_line(error.what()));
  } catch (...) {
    fmt::print(stderr, "orgsim: internal error: an unknown exception\n");
  }
  std::fflush(stderr);
  return exit_status_of(failure);
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        std::initializer_list<const char*> positionals) {
  po::options_description all;
  all.add(options);
  po::positional_options_description positional;
  for (const char* name : positionals) {
    all.add_options()(name, po::value<std::string>());
    positional.add(name, 1);
  }
  po::variables_map values;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
  po::notify(values);
  return values;
}

po::options_description run_options(const std::string& caption) {
  po::options_description options(caption);
  // clang-format off
  options.add_options()
    ("help,h", "show this help")
    ("output,o", po::value<std::string>(), "results file (default: SCENARIO_NAME.h5)")
    ("set", po::value<std::vector<std::string>>()->composing(), "override a parameter: --set key=value (repeatable)")
    ("threads", po::value<int>(), "worker threads, 1 to 1024 (default: all cores)");
  // clang-format on
  return options;
}

std::vector<std::string> set_overrides(const po::variables_map& values) {
  return values.count("set") ? values["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
}

Scenario load(const po::variables_map& values, const std::vector<std::string>& overrides) {
  if (values.count("scenario")) return Scenario::from_file(values["scenario"].as<std::string>(), overrides);
  return Scenario::embedded_default(overrides);
}

std::string output_path(const po::variables_map& values, const Scenario& scenario) {
  std::string output =
      values.count("output") ? values["output"].as<std::string>() : scenario.text("scenario.name") + ".h5";
  check_output_path(output);
  return output;
}

std::uint32_t thread_count(const po::variables_map& values) {
  if (!values.count("threads")) return std::max(1U, std::thread::hardware_concurrency());
  const int requested = values["threads"].as<int>();
  if (requested < 1 || requested > 1024) {
    throw po::error(fmt::format("--threads must be between 1 and 1024, got {}", requested));
  }
  return static_cast<std::uint32_t>(requested);
}

void print_estimate(const sweep::DryRunEstimate& estimate, const std::string& output) {
  fmt::print(
      "estimated wall time on {} thread(s): {} s (one run: {:.3f} s, timed on {} steps after {:.3f} s of "
      "building)\n",
      estimate.workers, static_cast<std::uint64_t>(std::llround(estimate.wall_seconds)),
      estimate.seconds_per_run, estimate.calibration_steps, estimate.build_seconds);
  fmt::print("estimated peak memory: {:.0f} MiB resident ({} run(s) at once)\n",
             static_cast<double>(estimate.peak_bytes) / (1 << 20), estimate.workers);
  fmt::print(
      "estimated output: at most {:.1f} MB uncompressed (compressed files are typically 3 to 5 times "
      "smaller) in {}\nnothing was written\n",
      estimate.megabytes, output);
}

}  // namespace orgsim::cli
