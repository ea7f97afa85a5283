// orgsim status and orgsim rerun: what a results file holds, and one of its
// runs computed again from what the file records.
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstring>
#include <iostream>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "experiments/plan.hpp"
#include "model/config.hpp"
#include "results/results_file.hpp"
#include "results/shards.hpp"

namespace orgsim::cli {
namespace po = boost::program_options;
namespace {

// The --set assignments that give a stored run its swept values, formatted
// as the sweep set them (integer parameters as integers).
std::vector<std::string> stored_assignments(const Scenario& scenario, const StoredRun& stored,
                                            const std::string& file) {
  std::vector<std::string> assignments;
  if (stored.design.empty() || stored.design == "compare") return assignments;  // nothing swept
  const auto* sweep = scenario.sweep();
  if (sweep == nullptr)
    throw OutputError(fmt::format("{}: a sweep file whose scenario has no [sweep] section", file));
  for (const auto& [key, value] : stored.swept) {
    const auto& parameters = sweep->design.parameters;
    // An init-capture, since clang (and so clang-tidy) before 16 cannot capture a structured binding.
    const auto parameter =
        std::find_if(parameters.begin(), parameters.end(),
                     [&swept = key](const sweep::SweptParameter& p) { return p.key == swept; });
    if (parameter == parameters.end()) {
      throw OutputError(
          fmt::format("{}: swept parameter '{}' is not in the [sweep] section the file records", file, key));
    }
    assignments.push_back(sweep_assignment(*parameter, value));
  }
  return assignments;
}

}  // namespace

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
  const auto stored = read_stored_run(file, run);
  if (stored.status != RunStatus::done) {
    throw OutputError(fmt::format("{}: run {} is {}, nothing to compare", file, run,
                                  stored.status == RunStatus::failed ? "failed" : "pending"));
  }
  const Scenario scenario = Scenario::from_text(stored.scenario_resolved, file + " (scenario_resolved)");
  // The run as the file records it: its point, replicate, seed and swept
  // values, not a design regenerated from the scenario, which another build
  // could draw differently.
  const RunKey key{static_cast<std::uint64_t>(scenario.integer("scenario.seed")), stored.point,
                   stored.replicate};
  const auto assignments = stored_assignments(scenario, stored, file);
  const auto config = std::make_shared<const EngineConfig>(EngineConfig::from(scenario.with(assignments)));
  const RunResult result = Simulation(config, key, stored.seed).run();
  std::string identity =
      fmt::format("point {}, replicate {}, seed {}", key.point, key.replicate, stored.seed);
  for (const auto& assignment : assignments) identity += "; " + assignment;
  const auto same = [](const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
  };
  if (same(result.organization, stored.organization) && same(result.departments, stored.departments)) {
    fmt::print("{}: run {} ({}) reproduced bit for bit: {} organization and {} department values\n", file,
               run, identity, result.organization.size(), result.departments.size());
    return 0;
  }
  fmt::print(stderr, "orgsim: error: {}: run {} ({}) differs from the stored run\n", file, run, identity);
  return 1;
}

int status_command(const std::vector<std::string>& args) {
  po::options_description options("orgsim status FILE [options]");
  options.add_options()("help,h", "show this help");
  const auto values = parse(args, options, {"file"});
  if (values.count("help") || !values.count("file")) {
    std::cout << options << "\nReports the done, failed and pending runs of a results file.\n";
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
  return 0;
}

}  // namespace orgsim::cli
