#pragma once
// Reading a run's recorded observables in tests.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/simulation.hpp"
#include "results/results_file.hpp"

namespace orgsim::testing {

inline double org_value(const RunResult& result, std::uint32_t step, OrgObservable which) {
  return result.organization_at(step, which);
}

// Writes `result` as the one run of a new results file at `file`, replacing
// any file there: a test's own scratch file.
inline void write_one_run(const std::filesystem::path& file, const RunResult& result,
                          const std::string& scenario_text, std::vector<std::string> departments,
                          std::uint32_t steps) {
  ResultsHeader header;
  header.engine_version = "test";
  header.scenario_text = header.scenario_resolved = scenario_text;
  header.scenario_hash = "0123456789abcdef";
  header.department_names = std::move(departments);
  header.runs = 1;
  header.steps = steps;
  ResultsWriter writer(file, true, header);
  writer.write(result);
  writer.finish();
}

}  // namespace orgsim::testing
