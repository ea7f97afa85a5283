// orgsim status and orgsim rerun: what a results file holds, and one of its
// runs computed again from what the file records.
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <boost/program_options.hpp>
#include <iostream>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/errors.hpp"
#include "experiments/rerun.hpp"
#include "results/integrity.hpp"
#include "results/results_file.hpp"
#include "results/shards.hpp"

namespace orgsim::cli {
namespace po = boost::program_options;

int rerun_command(const std::vector<std::string>& args) {
  po::options_description options("orgsim rerun FILE RUN [options]");
  options.add_options()("help,h", "show this help");
  const auto values = parse(args, options, {"file", "run"});
  if (values.count("help") || !values.count("file") || !values.count("run")) {
    std::cout << options
              << "\nRuns one run of a results file again, from the scenario and the run's point, replicate,\n"
                 "seed and swept values as the file records them, and checks that every observable comes\n"
                 "out bit for bit as stored (exit 0), or says that it does not (exit 1). Works on the files\n"
                 "of orgsim run, sweep and compare.\n";
    return values.count("help") ? 0 : 2;
  }
  const auto file = values["file"].as<std::string>();
  std::uint64_t run = 0;
  try {
    std::size_t used = 0;
    const auto& text = values["run"].as<std::string>();
    run = std::stoull(text, &used);
    if (used != text.size() || text.starts_with('-')) throw std::invalid_argument(text);
  } catch (const std::logic_error&) {
    throw po::error(fmt::format("RUN must be a run number, got '{}'", values["run"].as<std::string>()));
  }
  const auto rerun = rerun_stored(file, run);
  std::string identity =
      fmt::format("point {}, replicate {}, seed {}", rerun.key.point, rerun.key.replicate, rerun.seed);
  for (const auto& assignment : rerun.assignments) identity += "; " + assignment;
  if (rerun.reproduced) {
    fmt::print("{}: run {} ({}) reproduced bit for bit: {} organization and {} department values\n", file,
               run, identity, rerun.organization_values, rerun.department_values);
    return 0;
  }
  fmt::print(stderr, "orgsim: error: {}: run {} ({}) differs from the stored run\n", printable(file, 4096),
             run, one_line(identity));
  return 1;
}

int status_command(const std::vector<std::string>& args) {
  po::options_description options("orgsim status FILE [options]");
  // clang-format off
  options.add_options()
    ("help,h", "show this help")
    ("no-verify", "only read the ledger: skip reading every recorded run's stored chunks (quicker on a big file)");
  // clang-format on
  const auto values = parse(args, options, {"file"});
  if (values.count("help") || !values.count("file")) {
    std::cout << options
              << "\nReports the done, failed and pending runs of a results file, and, unless --no-verify,\n"
                 "checks the stored results of every run recorded done or failed against their checksums\n"
                 "(exit 3, naming the damaged runs, if any fail).\n";
    return values.count("help") ? 0 : 2;
  }
  const auto file = values["file"].as<std::string>();
  const auto ledger = read_ledger(file);
  fmt::print("{}: {} run(s): {} done, {} failed, {} pending (scenario hash {})\n", file,
             ledger.done + ledger.failed + ledger.pending, ledger.done, ledger.failed, ledger.pending,
             ledger.scenario_hash);
  if (const auto shard = read_shard(file)) {
    const auto total = ledger.done + ledger.failed + ledger.pending;
    std::vector<std::uint64_t> first;
    for (std::uint64_t run = shard->index; run < total && first.size() < 3; run += shard->count)
      first.push_back(run);
    std::string runs = fmt::format("{}", fmt::join(first, ", "));
    if (total > shard->index + 3 * shard->count) runs += ", ...";
    fmt::print("  shard {}: the runs {}; the other shards' runs are pending here (orgsim merge)\n",
               shard->text(), runs.empty() ? "none" : runs);
  }
  for (const auto& [run, message] : ledger.failures) fmt::print("  run {} failed: {}\n", run, message);
  std::fflush(stdout);
  if (values.count("no-verify")) return 0;
  if (const auto damaged = find_damaged_runs(file); !damaged.empty()) {
    throw OutputError(
        fmt::format("{}: the stored results of {} run(s) recorded done or failed are damaged (runs {}); "
                    "`orgsim sweep SCENARIO --resume -o {}` runs them again in a sweep's file",
                    file, damaged.size(), list_runs(damaged), file));
  }
  return 0;
}

}  // namespace orgsim::cli
