#pragma once
// What a run reports each step: organization observables and per-department
// observables. The tables below name, describe and give the unit of each;
// the results file and docs/output.md use them as they are.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "model/organization.hpp"
#include "model/state.hpp"

namespace orgsim {

struct ObservableSpec {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
};

enum class OrgObservable : std::uint8_t {
  code_knowledge,
  individual_knowledge,
  code_alignment,
  silo_divergence,
  purpose_mean,
  purpose_sd,
  distinct_words,
  words_per_agent,
  consensus_share,
  communication_success,
  success_within,
  success_across,
  departments_off_dominant,
  leavers,
  trust_mean,
  authority_mean,
  managers_without_authority,
  engagement_mean,
  blame_rate,
  knowledge_transfers,
  actual_value,
  leader_perceived_value,
  frontline_perceived_value,
  perception_gap,
  count
};

enum class DepartmentObservable : std::uint8_t {
  knowledge,
  code_alignment,
  purpose_mean,
  consensus_share,
  communication_success,
  trust_mean,
  engagement_mean,
  count
};

std::span<const ObservableSpec> organization_observables();
std::span<const ObservableSpec> department_observables();

constexpr std::size_t kOrgObservables = static_cast<std::size_t>(OrgObservable::count);
constexpr std::size_t kDepartmentObservables = static_cast<std::size_t>(DepartmentObservable::count);

// Computes one step's observables into `org` (kOrgObservables values) and
// `departments` (departments x kDepartmentObservables values).
class Observer {
 public:
  Observer(const Organization& organization, std::uint32_t dimensions, double authority_threshold);
  void observe(const AgentState& agents, const SharedState& shared, const StepTally& tally,
               std::span<double> org, std::span<double> departments);

 private:
  const Organization& organization_;
  std::uint32_t dimensions_;
  double authority_threshold_;
  std::vector<std::int64_t> belief_sums_;     // per department and dimension: sum_i b_ij
  std::vector<std::int64_t> nonzero_counts_;  // per department and dimension: sum_i b_ij^2
  std::vector<std::uint32_t> word_tally_;     // scratch: holders of each word within one department
  std::vector<std::uint32_t> touched_;
};

}  // namespace orgsim
