#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "engine/memory.hpp"
#include "engine/observable_registry.hpp"

#include <fmt/core.h>
#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <ctime>
#include <iostream>
#include <thread>

#include "cli/progress.hpp"
#include "experiments/dry_run.hpp"
#include "experiments/provenance.hpp"
#include "experiments/replicates.hpp"
#include "experiments/run_one.hpp"
#include "model/config.hpp"
#include "reporting/comparison.hpp"
#include "reporting/summary.hpp"
#include "results/results_file.hpp"
#include "scenario/parameters.hpp"
#include "scenario/scenario.hpp"
#include "version.hpp"

namespace orgsim::cli {
namespace po = boost::program_options;

int run_command(const std::vector<std::string>& args, const std::string& command_line) {
  auto options = run_options("orgsim run [SCENARIO] [options]");
  // clang-format off
  options.add_options()
    ("replicates", po::value<std::string>(), "number of runs (scenario.replicates)")
    ("seed", po::value<std::string>(), "scenario seed (scenario.seed)")
    ("dry-run", "estimate the time and the file's size from one short timed run; write nothing")
    ("force", "overwrite an existing results file");
  // clang-format on
  const auto values = parse(args, options, {"scenario"});
  if (values.count("help")) {
    std::cout << options
              << "\nWithout SCENARIO, the embedded default scenario (scenarios/default.toml) runs.\n"
              << "Fewer runs than threads, each of 50,000 agents or more, share the threads left over;\n"
              << "a run's results are the same on any number of threads.\n";
    return 0;
  }
  std::vector<std::string> overrides = set_overrides(values);
  if (values.count("replicates"))
    overrides.push_back("scenario.replicates=" + values["replicates"].as<std::string>());
  if (values.count("seed")) overrides.push_back("scenario.seed=" + values["seed"].as<std::string>());
  const Scenario scenario = load(values, overrides);
  const std::string output = output_path(values, scenario);

  const auto config = std::make_shared<const EngineConfig>(EngineConfig::from(scenario));
  const auto replicates = static_cast<std::uint64_t>(scenario.integer("scenario.replicates"));
  const std::uint32_t threads = thread_count(values);
  check_fits_in_memory(scenario, *config,
                       static_cast<std::uint32_t>(std::min<std::uint64_t>(threads, replicates)));
  if (values.count("dry-run")) {
    const auto seed = static_cast<std::uint64_t>(scenario.integer("scenario.seed"));
    const auto estimate = sweep::estimate_runs(scenario, RunKey{seed, 0, 0}, *config, threads, replicates);
    fmt::print("dry run: {} run(s) of {} agents over {} steps\n", replicates,
               config->organization.agent_count(), estimate.steps);
    print_estimate(estimate, output);
    return 0;
  }

  const auto header = results_header(scenario, command_line, replicates);
  ResultsWriter writer(output, values.count("force") > 0, header);

  // Runs fewer than the threads share them out when they are big (threads_per_run).
  const std::uint64_t threads_used = std::min<std::uint64_t>(threads, replicates) *
                                     threads_per_run(config->organization.agent_count(), replicates, threads);
  fmt::print("orgsim {}: {} ({} agents, {} department{}), {} step(s) x {} run(s) on {} thread(s)\n", kVersion,
             scenario.text("scenario.name"), config->organization.agent_count(), config->department_count(),
             config->department_count() == 1 ? "" : "s", config->steps, replicates, threads_used);
  std::fflush(stdout);
  RunSummary summary(config->steps, replicates);
  const auto started = std::chrono::steady_clock::now();
  install_stop_handlers();
  {
    StepProgress progress(static_cast<std::uint64_t>(config->steps) * replicates, stderr);
    run_replicates({config, static_cast<std::uint64_t>(scenario.integer("scenario.seed")), replicates,
                    threads, &interrupted, &writer, &progress.counter()},
                   [&](RunResult&& result) { summary.add(result); });
  }
  if (interrupted) throw Interrupted("interrupted: no results file written");
  writer.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("{}", summary.render());
  fmt::print("wrote {} in {:.2f} s\n", output, seconds);
  return 0;
}

int check_command(const std::vector<std::string>& args) {
  po::options_description options("orgsim check SCENARIO [options]");
  options.add_options()("help,h", "show this help")("set", po::value<std::vector<std::string>>()->composing(),
                                                    "override a parameter: --set key=value");
  const auto values = parse(args, options, {"scenario"});
  if (values.count("help")) {
    std::cout << options << "\nWithout SCENARIO, checks the embedded default scenario.\n";
    return 0;
  }
  const Scenario scenario = load(values, set_overrides(values));
  const auto config = EngineConfig::from(scenario);
  check_fits_in_memory(scenario, config, 1);
  fmt::print("# {}: valid; {} agents in {} department{}; hash {}\n{}", scenario.source_name(),
             config.organization.agent_count(), config.department_count(),
             config.department_count() == 1 ? "" : "s", scenario.hash(), scenario.resolved_toml());
  return 0;
}

int parameters_command(const std::vector<std::string>& args) {
  po::options_description options("orgsim parameters [options]");
  // clang-format off
  options.add_options()
    ("help,h", "show this help")
    ("defaults", "print each parameter's default and the reason for it (the section of docs/model.md)");
  // clang-format on
  const auto values = parse(args, options, {});
  if (values.count("help")) {
    std::cout << options
              << "\nPrints the scenario reference (docs/scenarios.md); with --defaults, the defaults and\n"
                 "their reasons (docs/model.md, between its parameter-defaults markers;\n"
                 "scripts/update-model-defaults puts them there).\n";
    return 0;
  }
  std::cout << (values.count("defaults") ? scenario::parameter_defaults_markdown()
                                         : scenario::parameters_markdown());
  return 0;
}

int observables_command(const std::vector<std::string>& args) {
  po::options_description options("orgsim observables [options]");
  // clang-format off
  options.add_options()
    ("help,h", "show this help")
    ("level", po::value<std::string>(),
     "organization or department: that level's table alone; compare: the outcomes orgsim compare reports");
  // clang-format on
  const auto values = parse(args, options, {});
  if (values.count("help")) {
    std::cout << options
              << "\nPrints the observables a run records, with their units and descriptions, as markdown\n"
                 "tables: the variables of the results file. docs/output.md holds each level's table\n"
                 "between its observables markers, docs/compare.md the compared outcomes;\n"
                 "scripts/update-output-tables puts them there.\n";
    return 0;
  }
  if (!values.count("level")) {
    std::cout << "## Organization observables\n\n"
              << observables_markdown(ObservableLevel::organization) << "\n## Department observables\n\n"
              << observables_markdown(ObservableLevel::department);
    return 0;
  }
  const auto& level = values["level"].as<std::string>();
  if (level == "compare") {
    std::cout << comparison_outcomes_markdown();
    return 0;
  }
  if (level != "organization" && level != "department")
    throw po::error(fmt::format("--level must be organization, department or compare, got '{}'", level));
  std::cout << observables_markdown(level == "organization" ? ObservableLevel::organization
                                                            : ObservableLevel::department);
  return 0;
}

}  // namespace orgsim::cli
