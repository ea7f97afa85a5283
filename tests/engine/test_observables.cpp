// The observable registry: the built-ins' order and flags, what a topic
// registered from outside sim/ gets (values after the built-ins, a variable
// in the results file), and the registrations it refuses.
#include <hdf5.h>
#include <unistd.h>
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/simulation.hpp"
#include "reporting/comparison.hpp"
#include "results/results_file.hpp"
#include "support/observables.hpp"
#include "support/results.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

std::vector<std::string> names_of(std::span<const ObservableSpec> specs) {
  std::vector<std::string> names;
  for (const auto& spec : specs) names.push_back(spec.name);
  return names;
}

const std::string kTwoDepartments =
    "[scenario]\nsteps = 4\n[[departments]]\nname = \"A\"\nheadcount = 20\n[[departments]]\nname = \"B\"\n"
    "headcount = 10\n";

// A topic as a test or a mechanism outside sim/ would register it: one
// organization and one department observable.
ObservableTopic headcount_topic(const std::string& name) {
  return {name,
          {{.name = name + "_agents", .unit = "agent", .description = "Agents in the organization."},
           {.name = name + "_members",
            .unit = "agent",
            .description = "Members of the department.",
            .level = ObservableLevel::department}},
          [](const Observation& now, ObservableSlots& slots) {
            slots.organization(0) = now.agents.agent_count;
            for (std::size_t d = 0; d < now.organization.departments.size(); ++d)
              slots.department(d, 0) = now.members[d];
          }};
}

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](double x, double y) { return same_bits(x, y); });
}

std::int32_t key_outcome_attribute(const std::filesystem::path& file, const std::string& name) {
  const hid_t handle = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(handle >= 0);
  const hid_t dataset = H5Dopen2(handle, name.c_str(), H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  std::int32_t value = -1;
  const hid_t attribute = H5Aopen(dataset, "key_outcome", H5P_DEFAULT);
  REQUIRE(attribute >= 0);
  H5Aread(attribute, H5T_NATIVE_INT32, &value);
  H5Aclose(attribute);
  H5Dclose(dataset);
  H5Fclose(handle);
  return value;
}

}  // namespace

TEST_CASE("The built-in observables' names for their indices follow the registry", "[observables]") {
  const std::vector<std::pair<OrgObservable, std::string>> organization = {
      {OrgObservable::code_knowledge, "code_knowledge"},
      {OrgObservable::individual_knowledge, "individual_knowledge"},
      {OrgObservable::code_alignment, "code_alignment"},
      {OrgObservable::silo_divergence, "silo_divergence"},
      {OrgObservable::purpose_mean, "purpose_mean"},
      {OrgObservable::purpose_sd, "purpose_sd"},
      {OrgObservable::distinct_words, "distinct_words"},
      {OrgObservable::words_per_agent, "words_per_agent"},
      {OrgObservable::consensus_share, "consensus_share"},
      {OrgObservable::communication_success, "communication_success"},
      {OrgObservable::success_within, "success_within"},
      {OrgObservable::success_across, "success_across"},
      {OrgObservable::departments_off_dominant, "departments_off_dominant"},
      {OrgObservable::leavers, "leavers"},
      {OrgObservable::trust_mean, "trust_mean"},
      {OrgObservable::authority_mean, "authority_mean"},
      {OrgObservable::managers_without_authority, "managers_without_authority"},
      {OrgObservable::engagement_mean, "engagement_mean"},
      {OrgObservable::blame_rate, "blame_rate"},
      {OrgObservable::knowledge_transfers, "knowledge_transfers"},
      {OrgObservable::actual_value, "actual_value"},
      {OrgObservable::leader_perceived_value, "leader_perceived_value"},
      {OrgObservable::frontline_perceived_value, "frontline_perceived_value"},
      {OrgObservable::perception_gap, "perception_gap"}};
  const std::vector<std::pair<DepartmentObservable, std::string>> department = {
      {DepartmentObservable::knowledge, "dept_knowledge"},
      {DepartmentObservable::code_alignment, "dept_code_alignment"},
      {DepartmentObservable::purpose_mean, "dept_purpose_mean"},
      {DepartmentObservable::consensus_share, "dept_consensus_share"},
      {DepartmentObservable::communication_success, "dept_communication_success"},
      {DepartmentObservable::trust_mean, "dept_trust_mean"},
      {DepartmentObservable::engagement_mean, "dept_engagement_mean"}};
  const auto organization_names = names_of(organization_observables());
  const auto department_names = names_of(department_observables());
  REQUIRE(organization_names.size() >= organization.size());
  REQUIRE(department_names.size() >= department.size());
  for (std::size_t i = 0; i < organization.size(); ++i) {
    CHECK(static_cast<std::size_t>(organization[i].first) == i);
    CHECK(organization_names[i] == organization[i].second);
  }
  for (std::size_t i = 0; i < department.size(); ++i) {
    CHECK(static_cast<std::size_t>(department[i].first) == i);
    CHECK(department_names[i] == department[i].second);
  }
}

TEST_CASE("Key outcomes and compared outcomes come from the registry's flags", "[observables]") {
  std::vector<std::string> key_outcomes;
  const auto specs = organization_observables();
  for (std::size_t v = 0; v < specs.size(); ++v) {
    if (specs[v].key_outcome) {
      key_outcomes.push_back(specs[v].name);
      CHECK(key_outcome_place(v) == key_outcomes.size());
    } else {
      CHECK(key_outcome_place(v) == 0);
    }
  }
  CHECK(key_outcomes == std::vector<std::string>{"code_knowledge", "individual_knowledge", "code_alignment",
                                                 "silo_divergence", "purpose_mean", "distinct_words",
                                                 "consensus_share", "communication_success"});
  std::vector<std::string> compared;
  for (const auto& outcome : comparison_outcomes()) {
    compared.push_back(outcome.name);
    CHECK(outcome.summed == (outcome.name == "leavers_total"));
  }
  CHECK(compared == std::vector<std::string>{"individual_knowledge", "silo_divergence", "consensus_share",
                                             "purpose_mean", "trust_mean", "engagement_mean",
                                             "perception_gap", "leavers_total"});
}

TEST_CASE("A topic registered from outside comes after the built-ins, in runs and in the results file",
          "[observables]") {
  const auto config = testing::config_from(kTwoDepartments);
  // A RunResult is laid out by the registry it was made under: read before registering.
  const RunResult before = Simulation(config, RunKey{1, 0, 0}).run();
  const std::size_t organization_index = organization_observables().size();
  const std::size_t department_index = department_observables().size();
  const std::size_t steps = before.recorded_steps();
  std::vector<double>
      built_in;  // [step][organization observable], then [step][department][department observable]
  for (std::size_t t = 0; t < steps; ++t) {
    for (std::size_t v = 0; v < organization_index; ++v) built_in.push_back(before.organization_at(t, v));
  }
  for (std::size_t t = 0; t < steps; ++t) {
    for (std::size_t d = 0; d < 2; ++d) {
      for (std::size_t v = 0; v < department_index; ++v) built_in.push_back(before.department_at(t, d, v));
    }
  }

  const testing::ScopedObservableTopic registered(headcount_topic("test_headcount"));
  REQUIRE(organization_observables().size() == organization_index + 1);
  REQUIRE(department_observables().size() == department_index + 1);
  CHECK(organization_observables()[organization_index].name == "test_headcount_agents");
  CHECK(department_observables()[department_index].name == "test_headcount_members");

  const RunResult after = Simulation(config, RunKey{1, 0, 0}).run();
  REQUIRE(after.recorded_steps() == steps);
  REQUIRE(after.department_count() == 2);
  std::vector<double> after_built_in;
  for (std::size_t t = 0; t < steps; ++t) {
    for (std::size_t v = 0; v < organization_index; ++v)
      after_built_in.push_back(after.organization_at(t, v));
    CHECK(after.organization_at(t, organization_index) == 31.0);  // the CEO and 30 members
  }
  for (std::size_t t = 0; t < steps; ++t) {
    for (std::size_t d = 0; d < 2; ++d) {
      for (std::size_t v = 0; v < department_index; ++v)
        after_built_in.push_back(after.department_at(t, d, v));
    }
    CHECK(after.department_at(t, 0, department_index) == 20.0);
    CHECK(after.department_at(t, 1, department_index) == 10.0);
  }
  CHECK(same_bits(after_built_in, built_in));

  const auto file =
      std::filesystem::temp_directory_path() / ("orgsim-observables-" + std::to_string(::getpid()));
  testing::write_one_run(file, after, kTwoDepartments, {"A", "B"}, 4);
  CHECK(key_outcome_attribute(file, "test_headcount_agents") == 0);
  CHECK(key_outcome_attribute(file, "test_headcount_members") == 0);
  CHECK(key_outcome_attribute(file, "code_knowledge") == 1);
  const auto stored = read_stored_run(file, 0);
  CHECK(same_bits(stored.organization, after.organization));
  CHECK(same_bits(stored.departments, after.departments));
  std::filesystem::remove(file);
}

TEST_CASE("A topic unregistered leaves the registry as it was", "[observables]") {
  const auto organization = names_of(organization_observables());
  const auto department = names_of(department_observables());
  {
    const testing::ScopedObservableTopic first(headcount_topic("test_first"));
    const testing::ScopedObservableTopic second(headcount_topic("test_second"));
    CHECK(organization_observables().size() == organization.size() + 2);
  }
  CHECK(names_of(organization_observables()) == organization);
  CHECK(names_of(department_observables()) == department);
  CHECK(observable_topics().back().first_organization + observable_topics().back().organization_count ==
        organization.size());
  CHECK_THROWS_AS(unregister_observable_topic("test_first"), std::invalid_argument);
}

TEST_CASE("Registrations that would make the registry ambiguous are refused", "[observables]") {
  const std::size_t organization_count = organization_observables().size();
  CHECK_THROWS_AS(register_observable_topic(headcount_topic("knowledge")), std::invalid_argument);
  auto taken = headcount_topic("test_taken");
  taken.observables[0].name = "purpose_mean";
  CHECK_THROWS_AS(register_observable_topic(taken), std::invalid_argument);
  auto silent = headcount_topic("test_silent");
  silent.compute = nullptr;
  CHECK_THROWS_AS(register_observable_topic(silent), std::invalid_argument);
  auto department_key = headcount_topic("test_department_key");
  department_key.observables[1].key_outcome = true;
  CHECK_THROWS_AS(register_observable_topic(department_key), std::invalid_argument);
  CHECK(organization_observables().size() == organization_count);
}

}  // namespace orgsim
