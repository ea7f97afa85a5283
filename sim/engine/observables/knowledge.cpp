// March's (1991) knowledge: of the code and of individuals, alignment with
// the code, and how far departments' beliefs diverge; one pass over the
// beliefs.
#include <bit>

#include "engine/observables/topics.hpp"
#include "model/beliefs.hpp"

namespace orgsim {
namespace {

using observing::ratio;
using observing::total;

// Each level's slots, in the order of the declarations below.
namespace slot {
enum : std::size_t { code_knowledge, individual_knowledge, code_alignment, silo_divergence };
enum : std::size_t { dept_knowledge, dept_code_alignment };
}  // namespace slot

void observe_knowledge(const Observation& now, ObservableSlots& slots) {
  const auto& shared = now.shared;
  const auto& agents = now.agents;
  const auto m = static_cast<std::uint32_t>(now.config.integer("knowledge.dimensions"));
  const std::uint32_t n = agents.agent_count;
  const std::size_t department_count = now.organization.departments.size();

  std::int64_t code_score = 0;
  // NOLINTNEXTLINE(bugprone-implicit-widening-of-multiplication-result): beliefs are -1, 0 or 1
  for (std::uint32_t j = 0; j < m; ++j) code_score += shared.code[j] * shared.reality[j];
  slots.organization(slot::code_knowledge) = static_cast<double>(code_score) / m;

  // Per department and dimension: how many members hold a belief (sum_i
  // b_ij^2) and how many hold +1, hence sum_i b_ij.
  // Kept between steps, as the sums below, so that a step allocates nothing.
  thread_local std::vector<DimensionCounts> held_counts, positive_counts;
  for (auto* counts : {&held_counts, &positive_counts}) {
    if (counts->size() != department_count + 1 || counts->front().dimensions() != m)
      counts->assign(department_count + 1, DimensionCounts(m));
    for (auto& department : *counts) department.clear();
  }
  observing::DepartmentSums knowledge_sums(department_count), aligned_sums(department_count);
  SignPlanes reality, code;
  reality.assign(shared.reality);
  code.assign(shared.code);
  const auto& beliefs = agents.beliefs;
  for (std::uint32_t agent = 0; agent < n; ++agent) {
    const std::size_t d = now.organization.department[agent];
    std::int64_t agreements = 0;
    std::int64_t disagreements = 0;
    std::int64_t matches = 0;
    for (std::uint32_t w = 0; w < beliefs.words(); ++w) {
      const std::uint64_t held = beliefs.held(agent, w);
      const std::uint64_t positive = beliefs.positive(agent, w);
      const std::uint64_t wrong = positive ^ reality.positive[w];
      agreements += std::popcount(held & ~wrong);
      disagreements += std::popcount(held & wrong);
      // b_ij = c_j: both 0, or both set with the same sign.
      const std::uint64_t same = ~(held ^ code.held[w]) & ~(positive ^ code.positive[w]);
      matches += std::popcount(same & beliefs.valid(w));
      held_counts[d].add(w, held);
      positive_counts[d].add(w, positive);
    }
    held_counts[d].next_row();
    positive_counts[d].next_row();
    knowledge_sums.add(d, static_cast<double>(agreements - disagreements) / m);
    aligned_sums.add(d, static_cast<double>(matches) / m);
  }
  thread_local std::vector<std::int64_t> belief_sums, nonzero_counts;
  belief_sums.resize((department_count + 1) * m);
  nonzero_counts.resize((department_count + 1) * m);
  for (std::size_t d = 0; d <= department_count; ++d) {
    const auto& held = held_counts[d].totals();
    const auto& positive = positive_counts[d].totals();
    for (std::uint32_t j = 0; j < m; ++j) {
      nonzero_counts[d * m + j] = held[j];
      belief_sums[d * m + j] = 2 * positive[j] - held[j];
    }
  }
  const auto& knowledge = knowledge_sums.sums();
  const auto& aligned = aligned_sums.sums();
  slots.organization(slot::individual_knowledge) = total(knowledge) / n;
  slots.organization(slot::code_alignment) = total(aligned) / n;

  // Silo divergence over the departments (executive excluded): pairs within
  // a department versus pairs across departments, from per-dimension sums.
  double within_agreement = 0;
  double within_pairs = 0;
  std::vector<double> column_total(m, 0.0);
  double people = 0;
  for (std::size_t d = 0; d < department_count; ++d) {
    const double size = now.members[d];
    people += size;
    for (std::uint32_t j = 0; j < m; ++j) {
      const auto sum = static_cast<double>(belief_sums[d * m + j]);
      within_agreement += sum * sum - static_cast<double>(nonzero_counts[d * m + j]);
      column_total[j] += sum;
    }
    within_pairs += size * (size - 1) * m;
  }
  double all_pairs_agreement = 0;
  for (std::uint32_t j = 0; j < m; ++j) {
    double squares = 0;
    for (std::size_t d = 0; d < department_count; ++d)
      squares += static_cast<double>(nonzero_counts[d * m + j]);
    all_pairs_agreement += column_total[j] * column_total[j] - squares;
  }
  const double across_agreement = all_pairs_agreement - within_agreement;
  const double across_pairs = people * (people - 1) * m - within_pairs;
  slots.organization(slot::silo_divergence) =
      department_count < 2 ? 0.0
                           : ratio(within_agreement, within_pairs) - ratio(across_agreement, across_pairs);

  for (std::size_t d = 0; d < department_count; ++d) {
    slots.department(d, slot::dept_knowledge) = ratio(knowledge[d], now.members[d]);
    slots.department(d, slot::dept_code_alignment) = ratio(aligned[d], now.members[d]);
  }
}

}  // namespace

// clang-format off
ObservableTopic knowledge_observables() {
  return {"knowledge", {
    {.name = "code_knowledge", .unit = "1",
     .description = "Knowledge of the mission code: sum_j c_j r_j / m (March 1991), in [-1, 1].",
     .key_outcome = true},
    {.name = "individual_knowledge", .unit = "1",
     .description = "Mean knowledge of individuals: mean over agents of sum_j b_ij r_j / m, in [-1, 1].",
     .key_outcome = true, .compare_row = 1},
    {.name = "code_alignment", .unit = "1",
     .description = "Share of belief entries equal to the code, over agents and dimensions.",
     .key_outcome = true},
    {.name = "silo_divergence", .unit = "1",
     .description = "Mean belief agreement (b_ij b_kj) of colleagues in the same department minus that of "
                    "people in different departments; 0 when departments do not differ.",
     .key_outcome = true, .compare_row = 2},
    {.name = "dept_knowledge", .unit = "1",
     .description = "Mean knowledge of the department's members: sum_j b_ij r_j / m.",
     .level = ObservableLevel::department},
    {.name = "dept_code_alignment", .unit = "1",
     .description = "Share of the members' belief entries equal to the code.",
     .level = ObservableLevel::department},
  }, observe_knowledge};
}
// clang-format on

}  // namespace orgsim
