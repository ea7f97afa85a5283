#pragma once
// The benchmarks' organization: scenarios/default.toml's five departments
// (their shares of the headcount, KPI alignment, incentive weights, purpose
// baselines and jargon) scaled to any number of agents, so that timings are
// taken on the same kind of sparse small-world organization a user runs.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/simulation.hpp"
#include "model/config.hpp"
#include "scenario/scenario.hpp"

namespace orgsim::bench {

struct Mechanisms {
  bool knowledge = true;
  bool language = true;
  bool purpose = true;
  bool jargon = true;            // false: every inventory starts empty
  bool full_model = false;       // also leadership (A), encounters (X), perception (V) and engagement (E)
  double turnover_rate = 0.002;  // the default scenario's
};

struct DepartmentTemplate {
  std::string_view name;
  std::uint32_t headcount;  // in the default scenario's 1,200 employees
  double kpi_alignment;
  double incentive_weight;
  double purpose_baseline;
  std::string_view jargon;
};

// The default scenario's five years of weekly steps.
inline constexpr std::uint32_t kHorizon = 260;

inline constexpr std::array<DepartmentTemplate, 5> kDepartments{{
    {"Sales", 300, 0.5, 0.6, 0.45, "closing the deal"},
    {"Operations", 400, 0.6, 0.4, 0.5, "on-time delivery"},
    {"Customer Care", 250, 0.8, 0.3, 0.65, "customer care"},
    {"Product", 150, 0.7, 0.2, 0.6, "user experience"},
    {"Finance", 100, 0.4, 0.5, 0.4, "cost to serve"},
}};

// Exactly `agents` agents: the CEO plus departments in the default shares,
// the last department taking the rounding remainder.
inline std::string scaled_scenario_text(std::uint32_t agents, const Mechanisms& mechanisms = {}) {
  const auto flag = [](bool on) { return on ? "true" : "false"; };
  std::string text =
      "[scenario]\nname = \"bench\"\nseed = 20261123\nsteps = " + std::to_string(kHorizon) + "\n";
  text +=
      "[organization]\nnetwork = \"small_world\"\nspan_of_control = 8\nwithin_degree = 8\n"
      "cross_degree = 1\nrewiring = 0.1\n";
  text += "[knowledge]\nenabled = " + std::string(flag(mechanisms.knowledge)) +
          "\ndimensions = 30\nsocialization_rate = 0.1\ncode_learning_rate = 0.5\n" +
          "turnover_rate = " + std::to_string(mechanisms.turnover_rate) + "\ncode_sample_size = 100\n";
  text += "[language]\nenabled = " + std::string(flag(mechanisms.language)) +
          "\nschedule = \"each_agent\"\ninitial_inventory = \"" + (mechanisms.jargon ? "jargon" : "empty") +
          "\"\n";
  text += "[purpose]\nenabled = " + std::string(flag(mechanisms.purpose)) +
          "\nsusceptibility = 0.8\nmanager_weight = 2.0\n";
  if (mechanisms.full_model) {
    text +=
        "[leadership]\nenabled = true\n[encounters]\nenabled = true\n[perception]\nenabled = true\n"
        "[engagement]\nenabled = true\n";
  }
  std::uint32_t template_total = 0;
  for (const auto& department : kDepartments) template_total += department.headcount;
  const std::uint32_t employees = agents - 1;
  std::uint32_t assigned = 0;
  for (std::size_t d = 0; d < kDepartments.size(); ++d) {
    const auto& department = kDepartments[d];
    const std::uint32_t headcount =
        d + 1 == kDepartments.size()
            ? employees - assigned
            : static_cast<std::uint32_t>(std::uint64_t{employees} * department.headcount / template_total);
    assigned += headcount;
    text += "[[departments]]\nname = \"" + std::string(department.name) +
            "\"\nheadcount = " + std::to_string(headcount) +
            "\nkpi_alignment = " + std::to_string(department.kpi_alignment) +
            "\nincentive_weight = " + std::to_string(department.incentive_weight) +
            "\npurpose_baseline = " + std::to_string(department.purpose_baseline) + "\njargon = \"" +
            std::string(department.jargon) + "\"\n";
  }
  return text;
}

inline std::shared_ptr<const EngineConfig> scaled_config(std::uint32_t agents,
                                                         const Mechanisms& mechanisms = {}) {
  const auto scenario = Scenario::from_text(scaled_scenario_text(agents, mechanisms), "bench.toml");
  return std::make_shared<const EngineConfig>(EngineConfig::from(scenario));
}

inline constexpr RunKey kBenchKey{20261123, 0, 0};

// Steps the scenario in whole horizons: a finished run is replaced by the
// next replicate (untimed), so early and late steps weigh as they do in a
// run. Returns the simulation as it stands at the end.
template <class State>
std::optional<Simulation> step_whole_horizons(State& state,
                                              const std::shared_ptr<const EngineConfig>& config) {
  std::optional<Simulation> simulation;
  simulation.emplace(config, kBenchKey);
  std::uint64_t replicate = 0;
  for (auto _ : state) {
    if (simulation->steps_done() == config->steps) {
      state.PauseTiming();
      simulation.emplace(config, RunKey{kBenchKey.scenario_seed, 0, ++replicate});
      state.ResumeTiming();
    }
    simulation->step();
  }
  return simulation;
}

}  // namespace orgsim::bench
