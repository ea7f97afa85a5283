#include "experiments/compare_runs.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <filesystem>
#include <numeric>
#include <set>
#include <string_view>

#include "core/errors.hpp"
#include "engine/memory.hpp"
#include "experiments/provenance.hpp"
#include "experiments/replicates.hpp"
#include "experiments/run_one.hpp"
#include "results/json_list.hpp"

namespace orgsim {
namespace {

// One line naming the file that does not agree with the first.
[[noreturn]] void disagree(const CompareArm& arm, const CompareArm& first, const std::string& what,
                           const std::string& ours, const std::string& theirs, const std::string& hint) {
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

void check_agreement(const std::vector<CompareArm>& arms) {
  const CompareArm& first = arms.front();
  for (const CompareArm& arm : arms) {
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

std::vector<std::string> arm_names(const std::vector<CompareArm>& arms) {
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

}  // namespace

CompareRuns::CompareRuns(std::vector<CompareArm> arms) : arms_(std::move(arms)) {
  seed_ = static_cast<std::uint64_t>(arms_.front().scenario.integer("scenario.seed"));
  for (auto& arm : arms_) arm.scenario = arm.scenario.with({fmt::format("scenario.seed={}", seed_)});
  check_agreement(arms_);
  replicates_ = static_cast<std::uint64_t>(arms_.front().scenario.integer("scenario.replicates"));
  steps_ = static_cast<std::uint32_t>(arms_.front().scenario.integer("scenario.steps"));
  names_ = arm_names(arms_);
}

void CompareRuns::configure(std::uint32_t threads) {
  threads_ = threads;
  configs_.clear();
  for (const auto& arm : arms_) {
    configs_.push_back(std::make_shared<const EngineConfig>(EngineConfig::from(arm.scenario)));
    check_fits_in_memory(arm.scenario, *configs_.back(), static_cast<std::uint32_t>(workers()));
  }
}

std::uint64_t CompareRuns::workers() const noexcept {
  return std::min<std::uint64_t>(threads_, runs());
}

ResultsHeader CompareRuns::header(const std::string& command_line) const {
  auto header = results_header(arms_.front().scenario, command_line, runs());
  std::vector<std::string> texts, resolved, hashes, paths;
  for (const auto& arm : arms_) {
    texts.push_back(arm.scenario.source_text());
    resolved.push_back(arm.scenario.resolved_toml());
    hashes.push_back(arm.scenario.hash());
    paths.push_back(arm.path);
  }
  header.scenario_text = json_string_list(texts);
  header.scenario_resolved = json_string_list(resolved);
  header.scenario_hash = fnv1a_hash(header.scenario_resolved);
  header.attributes = {{"scenario_names", json_string_list(names_)},
                       {"scenario_files", json_string_list(paths)},
                       {"scenario_hashes", json_string_list(hashes)}};
  SweepHeader sweep;
  sweep.design_name = "compare";
  sweep.salib_problem = R"({"num_vars": 0, "names": [], "bounds": []})";
  sweep.points.assign(arms_.size(), {});
  sweep.replicates = replicates_;
  sweep.scenario_seed = seed_;
  sweep.common_random_numbers = true;
  sweep.point_names = names_;
  header.sweep = std::move(sweep);
  return header;
}

void CompareRuns::run(
    ResultsWriter* writer, const std::atomic<bool>* stop_requested,
    const std::function<void(std::size_t scenario, const RunResult& result)>& consume) const {
  RunQueue queue;
  queue.runs.resize(runs());
  std::iota(queue.runs.begin(), queue.runs.end(), std::uint64_t{0});
  const std::uint32_t threads_each =
      threads_per_run(configs_.front()->organization.agent_count(), runs(), threads_);
  queue.execute = [&, threads_each](std::uint64_t run) {
    return run_one(configs_[run / replicates_], RunKey{seed_, 0, run % replicates_}, std::nullopt, nullptr,
                   threads_each);
  };
  queue.out_of_memory = [&](std::uint64_t run) {
    return out_of_memory_message(run, estimated_run_bytes(*configs_[run / replicates_]), threads_);
  };
  if (writer != nullptr) {
    const auto departments = configs_.front()->department_count();  // the same in every scenario
    queue.prepare = [&, departments](RunOutcome& outcome) {
      outcome.packed = pack_run(outcome.result, steps_, departments);
    };
  }
  queue.threads = threads_;
  queue.stop_requested = stop_requested;
  run_queue(queue, [&](RunOutcome&& outcome) {
    if (writer != nullptr) writer->write(outcome.result, outcome.packed);
    consume(outcome.result.run / replicates_, outcome.result);
  });
}

}  // namespace orgsim
