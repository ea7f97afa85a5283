// orgsim compare: two or more scenarios run on the same seeds, and a table of
// their key outcomes with each one's paired difference from the first.
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/errors.hpp"
#include "experiments/compare_runs.hpp"
#include "reporting/comparison.hpp"
#include "results/results_file.hpp"
#include "version.hpp"

namespace orgsim::cli {
namespace po = boost::program_options;
namespace {

constexpr const char* kHelp =
    "\nRuns every scenario's replicates with common random numbers: replicate r of every\n"
    "scenario runs on the seed run_seed(S, 0, r), where S is --seed or the first scenario's\n"
    "scenario.seed (every scenario's scenario.seed is set to S). --set applies to every\n"
    "scenario. The scenarios must agree on scenario.steps, on their departments (names and\n"
    "order) and, without --replicates, on scenario.replicates.\n"
    "\n"
    "Prints, for each key outcome at the end of the horizon, each scenario's mean and 95%\n"
    "t-interval over replicates, and for each scenario after the first (the baseline) the\n"
    "paired difference from it with its 95% paired t-interval and the paired effect size\n"
    "Cohen's d_z = mean difference / sd of the differences (undefined when the differences\n"
    "do not vary). Scenarios are named by scenario.name; when two share a name, by their file\n"
    "names without .toml; when those clash too, by scenario.name#position.\n"
    "\n"
    "--arm 'NAME: KEY=VALUE [KEY=VALUE ...]' adds a scenario that is the first SCENARIO file\n"
    "with those parameters changed, named NAME: a what-if's alternative without a file of\n"
    "its own. Repeatable; `orgsim compare CASE.toml --arm ...` compares the case with it.\n"
    "\n"
    "-o FILE writes every run into one results file in the layout of a sweep: each scenario\n"
    "is a point, run = point x replicates + replicate, with the per-run scenario_name.\n";

// --arm "NAME: KEY=VALUE KEY=VALUE": the name, then the --set assignments.
std::pair<std::string, std::vector<std::string>> parse_arm(const std::string& text) {
  const auto colon = text.find(':');
  std::string name = colon == std::string::npos ? std::string() : text.substr(0, colon);
  name.erase(0, name.find_first_not_of(' '));
  name.erase(name.find_last_not_of(' ') + 1);
  std::vector<std::string> assignments;
  if (colon != std::string::npos) {
    std::istringstream rest(text.substr(colon + 1));
    for (std::string assignment; rest >> assignment;) assignments.push_back(assignment);
  }
  if (name.empty() || assignments.empty()) {
    throw po::error(fmt::format("--arm '{}' is not 'NAME: KEY=VALUE [KEY=VALUE ...]'", printable(text)));
  }
  // The name becomes the arm's scenario.name and a row label of the table: one line, no path.
  check_name(name, "arm", {"--arm", 0, 0}, true);
  return {name, assignments};
}

}  // namespace

int compare_command(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description options("orgsim compare SCENARIO [SCENARIO ...] [--arm ...] [options]");
  // clang-format off
  options.add_options()
    ("help,h", "show this help")
    ("output,o", po::value<std::string>(), "also write every run to this results file (default: none)")
    ("set", po::value<std::vector<std::string>>()->composing(),
     "override a parameter of every scenario: --set key=value (repeatable)")
    ("replicates", po::value<std::string>(), "replicates of each scenario (default: scenario.replicates)")
    ("seed", po::value<std::string>(), "scenario seed S of every scenario (default: the first one's)")
    ("arm", po::value<std::vector<std::string>>()->composing(),
     "another scenario: the first SCENARIO with changes, --arm 'NAME: KEY=VALUE ...' (repeatable)")
    ("threads", po::value<int>(), "worker threads, 1 to 1024 (default: all cores)")
    ("force", "overwrite an existing results file");
  // clang-format on
  po::options_description all;
  all.add(options).add_options()("scenario", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::variables_map values;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
  po::notify(values);
  if (values.count("help")) {
    std::cout << options << kHelp;
    return 0;
  }
  const auto paths = values.count("scenario") ? values["scenario"].as<std::vector<std::string>>()
                                              : std::vector<std::string>{};
  const auto arm_texts =
      values.count("arm") ? values["arm"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (paths.empty() || paths.size() + arm_texts.size() < 2) {
    throw po::error(
        fmt::format("compare needs at least two scenarios: SCENARIO files, or one and --arm, got {}",
                    paths.size() + arm_texts.size()));
  }

  // --replicates and --seed apply to every scenario, after --set and an arm's own changes.
  std::vector<std::string> common;
  if (values.count("replicates"))
    common.push_back("scenario.replicates=" + values["replicates"].as<std::string>());
  if (values.count("seed")) common.push_back("scenario.seed=" + values["seed"].as<std::string>());
  const auto overrides_with = [&](const std::vector<std::string>& changes) {
    auto overrides = set_overrides(values);
    overrides.insert(overrides.end(), changes.begin(), changes.end());
    overrides.insert(overrides.end(), common.begin(), common.end());
    return overrides;
  };
  std::vector<CompareArm> arms;
  arms.reserve(paths.size() + arm_texts.size());
  for (const auto& path : paths) arms.push_back({path, Scenario::from_file(path, overrides_with({}))});
  for (const auto& text : arm_texts) {
    auto [name, changes] = parse_arm(text);
    changes.push_back("scenario.name=" + name);
    arms.push_back({fmt::format("{} (--arm {})", paths.front(), name),
                    Scenario::from_file(paths.front(), overrides_with(changes))});
  }
  const std::string output = values.count("output") ? output_path(values, arms.front().scenario) : "";
  CompareRuns comparison(std::move(arms));
  comparison.configure(thread_count(values));
  const auto& names = comparison.names();

  std::unique_ptr<ResultsWriter> writer;
  if (values.count("output")) {
    writer =
        std::make_unique<ResultsWriter>(output, values.count("force") > 0, comparison.header(command_line));
  }
  fmt::print(
      "orgsim {}: compare {} scenarios ({}; baseline {}), {} step(s) x {} replicate(s), seed {}, on {} "
      "thread(s)\n",
      kVersion, comparison.scenarios(), fmt::join(names, ", "), names.front(), comparison.steps(),
      comparison.replicates(), comparison.seed(), comparison.workers());
  std::fflush(stdout);

  ComparisonTable table(names, comparison.steps(), comparison.replicates());
  install_stop_handlers();
  const auto started = std::chrono::steady_clock::now();
  comparison.run(writer.get(), &interrupted,
                 [&](std::size_t scenario, const RunResult& result) { table.add(scenario, result); });
  if (interrupted) throw Interrupted("interrupted: no results file written");
  if (writer) writer->finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("{}", table.render());
  if (writer) {
    fmt::print("wrote {} in {:.2f} s\n", output, seconds);
  } else {
    fmt::print("done in {:.2f} s\n", seconds);
  }
  return 0;
}

}  // namespace orgsim::cli
