// orgsim compare: two or more scenarios run on the same seeds, and a table of
// their key outcomes with each one's paired difference from the first.
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "engine/memory.hpp"
#include "experiments/replicates.hpp"
#include "model/config.hpp"
#include "reporting/comparison.hpp"
#include "results/json_list.hpp"
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

struct Arm {
  std::string path;
  Scenario scenario;
};

// One line naming the file that does not agree with the first.
[[noreturn]] void disagree(const Arm& arm, const Arm& first, const std::string& what, const std::string& ours,
                           const std::string& theirs, const std::string& hint) {
  throw ScenarioError(
      ScenarioError::Kind::invalid, {arm.path, 0, 0},
      fmt::format("{} {} where {} has {}: compared scenarios must agree", what, ours, first.path, theirs),
      hint);
}

std::string department_list(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const auto& department : scenario.departments()) names.push_back(department.name);
  return fmt::format("[{}]", fmt::join(names, ", "));
}

void check_agreement(const std::vector<Arm>& arms) {
  const Arm& first = arms.front();
  for (const Arm& arm : arms) {
    for (const char* key : {"scenario.steps", "scenario.replicates"}) {
      const auto ours = arm.scenario.integer(key), theirs = first.scenario.integer(key);
      if (ours != theirs) {
        disagree(arm, first, key, fmt::format("= {}", ours), std::to_string(theirs),
                 std::string_view(key) == "scenario.steps" ? "--set scenario.steps=N sets it for all"
                                                           : "--replicates N sets it for all");
      }
    }
    if (department_list(arm.scenario) != department_list(first.scenario)) {
      disagree(arm, first, "departments", department_list(arm.scenario), department_list(first.scenario),
               "the same names in the same order");
    }
  }
}

// scenario.name when all differ; else the file names without .toml; else scenario.name#position.
std::vector<std::string> arm_names(const std::vector<Arm>& arms) {
  const auto distinct = [](const std::vector<std::string>& names) {
    return std::set<std::string>(names.begin(), names.end()).size() == names.size();
  };
  std::vector<std::string> names, stems, numbered;
  for (std::size_t i = 0; i < arms.size(); ++i) {
    names.push_back(arms[i].scenario.text("scenario.name"));
    stems.push_back(std::filesystem::path(arms[i].path).stem().string());
    numbered.push_back(fmt::format("{}#{}", names.back(), i + 1));
  }
  if (distinct(names)) return names;
  return distinct(stems) ? stems : numbered;
}

ResultsHeader compare_header(const std::vector<Arm>& arms, const std::vector<std::string>& names,
                             std::uint64_t seed, std::uint64_t replicates, const std::string& command_line) {
  const Scenario& first = arms.front().scenario;
  auto header = results_header(first, command_line, arms.size() * replicates);
  std::vector<std::string> texts, resolved, hashes, paths;
  for (const auto& arm : arms) {
    texts.push_back(arm.scenario.source_text());
    resolved.push_back(arm.scenario.resolved_toml());
    hashes.push_back(arm.scenario.hash());
    paths.push_back(arm.path);
  }
  header.scenario_text = json_string_list(texts);
  header.scenario_resolved = json_string_list(resolved);
  header.scenario_hash = fnv1a_hash(header.scenario_resolved);
  header.attributes = {{"scenario_names", json_string_list(names)},
                       {"scenario_files", json_string_list(paths)},
                       {"scenario_hashes", json_string_list(hashes)}};
  SweepHeader sweep;
  sweep.design_name = "compare";
  sweep.salib_problem = R"({"num_vars": 0, "names": [], "bounds": []})";
  sweep.points.assign(arms.size(), {});
  sweep.replicates = replicates;
  sweep.scenario_seed = seed;
  sweep.common_random_numbers = true;
  sweep.point_names = names;
  header.sweep = std::move(sweep);
  return header;
}

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
    throw po::error(fmt::format("--arm '{}' is not 'NAME: KEY=VALUE [KEY=VALUE ...]'", text));
  }
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
  std::vector<Arm> arms;
  arms.reserve(paths.size() + arm_texts.size());
  for (const auto& path : paths) arms.push_back({path, Scenario::from_file(path, overrides_with({}))});
  for (const auto& text : arm_texts) {
    auto [name, changes] = parse_arm(text);
    changes.push_back("scenario.name=" + name);
    arms.push_back({fmt::format("{} (--arm {})", paths.front(), name),
                    Scenario::from_file(paths.front(), overrides_with(changes))});
  }
  const auto seed = static_cast<std::uint64_t>(arms.front().scenario.integer("scenario.seed"));
  // Every scenario records the seed it ran with, so that its resolved text reruns it.
  for (auto& arm : arms) arm.scenario = arm.scenario.with({fmt::format("scenario.seed={}", seed)});
  check_agreement(arms);

  const auto replicates = static_cast<std::uint64_t>(arms.front().scenario.integer("scenario.replicates"));
  const auto steps = static_cast<std::uint32_t>(arms.front().scenario.integer("scenario.steps"));
  const std::uint64_t runs = arms.size() * replicates;
  const std::uint32_t threads = thread_count(values);
  std::vector<std::shared_ptr<const EngineConfig>> configs;
  for (const auto& arm : arms) {
    configs.push_back(std::make_shared<const EngineConfig>(EngineConfig::from(arm.scenario)));
    check_fits_in_memory(arm.scenario, *configs.back(),
                         static_cast<std::uint32_t>(std::min<std::uint64_t>(threads, runs)));
  }
  const auto names = arm_names(arms);

  std::unique_ptr<ResultsWriter> writer;
  if (values.count("output")) {
    writer = std::make_unique<ResultsWriter>(values["output"].as<std::string>(), values.count("force") > 0,
                                             compare_header(arms, names, seed, replicates, command_line));
  }
  fmt::print(
      "orgsim {}: compare {} scenarios ({}; baseline {}), {} step(s) x {} replicate(s), seed {}, on {} "
      "thread(s)\n",
      kVersion, arms.size(), fmt::join(names, ", "), names.front(), steps, replicates, seed,
      std::min<std::uint64_t>(threads, runs));
  std::fflush(stdout);

  ComparisonTable table(names, steps, replicates);
  RunQueue queue;
  queue.runs.resize(runs);
  std::iota(queue.runs.begin(), queue.runs.end(), std::uint64_t{0});
  queue.execute = [&](std::uint64_t run) {
    return Simulation(configs[run / replicates], RunKey{seed, 0, run % replicates}).run();
  };
  if (writer) {
    const auto departments = configs.front()->department_count();  // the same in every scenario
    queue.prepare = [&, departments](RunOutcome& outcome) {
      outcome.packed = pack_run(outcome.result, steps, departments);
    };
  }
  queue.threads = threads;
  install_stop_handlers();
  queue.stop_requested = &interrupted;
  const auto started = std::chrono::steady_clock::now();
  run_queue(queue, [&](RunOutcome&& outcome) {
    if (writer) writer->write(outcome.result, outcome.packed);
    table.add(outcome.result.run / replicates, outcome.result);
  });
  if (interrupted) throw Interrupted("interrupted: no results file written");
  if (writer) writer->finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("{}", table.render());
  if (writer) {
    fmt::print("wrote {} in {:.2f} s\n", values["output"].as<std::string>(), seconds);
  } else {
    fmt::print("done in {:.2f} s\n", seconds);
  }
  return 0;
}

}  // namespace orgsim::cli
