#include "experiments/provenance.hpp"

#include <chrono>
#include <ctime>

#include "version.hpp"

namespace orgsim {
namespace {

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace

ResultsHeader results_header(const Scenario& scenario, const std::string& command_line, std::uint64_t runs) {
  ResultsHeader header;
  header.engine_version = kVersion;
  header.scenario_text = scenario.source_text();
  header.scenario_resolved = scenario.resolved_toml();
  header.scenario_hash = scenario.hash();
  header.command_line = command_line;
  header.created = utc_now();
  for (const auto& department : scenario.departments()) header.department_names.push_back(department.name);
  header.runs = runs;
  header.steps = static_cast<std::uint32_t>(scenario.integer("scenario.steps"));
  return header;
}

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

}  // namespace orgsim
