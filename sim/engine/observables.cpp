#include "engine/observables.hpp"

#include "model/queries.hpp"

#include <cmath>
#include <limits>
#include <numeric>

namespace orgsim {
namespace {

// clang-format off
constexpr std::array<ObservableSpec, kOrgObservables> kOrg{{
  {"code_knowledge", "1", "Knowledge of the mission code: sum_j c_j r_j / m (March 1991), in [-1, 1]."},
  {"individual_knowledge", "1", "Mean knowledge of individuals: mean over agents of sum_j b_ij r_j / m, in [-1, 1]."},
  {"code_alignment", "1", "Share of belief entries equal to the code, over agents and dimensions."},
  {"silo_divergence", "1", "Mean belief agreement (b_ij b_kj) of colleagues in the same department minus that of people in different departments; 0 when departments do not differ."},
  {"purpose_mean", "1", "Mean sense of shared purpose phi."},
  {"purpose_sd", "1", "Standard deviation of phi over agents."},
  {"distinct_words", "word", "Distinct words for service in use."},
  {"words_per_agent", "word/agent", "Mean inventory size."},
  {"consensus_share", "1", "Share of agents whose only word is the organization's dominant word."},
  {"communication_success", "1", "Share of this step's naming games that succeeded (NaN when none were played)."},
  {"success_within", "1", "Success rate of games between members of the same department."},
  {"success_across", "1", "Success rate of games across departments."},
  {"departments_off_dominant", "department", "Departments whose most-held word differs from the organization's."},
  {"leavers", "agent", "Employees replaced this step."},
  {"trust_mean", "1", "Mean trust in the own manager (1 when leadership is off)."},
  {"authority_mean", "1", "Mean authority of people with direct reports: the mean trust of their reports."},
  {"managers_without_authority", "agent", "People with direct reports whose authority is below the threshold, so their top-down influence is zero."},
  {"engagement_mean", "1", "Mean engagement (1 when engagement is off)."},
  {"blame_rate", "1", "Share of this step's games across departments that turned into blame (NaN when none; 0 when encounters are off)."},
  {"knowledge_transfers", "belief", "Beliefs passed across departments this step, in collaborations and listening sessions."},
  {"actual_value", "1", "Service value the front line delivers: share of actions matching customer reality, times engagement, less the cost of blame (NaN when perception is off)."},
  {"leader_perceived_value", "1", "Value as the CEO hears it through the hierarchy's reports, minus rising customer expectations."},
  {"frontline_perceived_value", "1", "Value as the front line sees what it delivers, minus its own norm."},
  {"perception_gap", "1", "leader_perceived_value - frontline_perceived_value; positive when leaders think service better than the front line does."},
}};

constexpr std::array<ObservableSpec, kDepartmentObservables> kDepartment{{
  {"dept_knowledge", "1", "Mean knowledge of the department's members: sum_j b_ij r_j / m."},
  {"dept_code_alignment", "1", "Share of the members' belief entries equal to the code."},
  {"dept_purpose_mean", "1", "Mean phi of the members."},
  {"dept_consensus_share", "1", "Share of members whose only word is the organization's dominant word."},
  {"dept_communication_success", "1", "Success rate of games the members spoke (NaN when none)."},
  {"dept_trust_mean", "1", "Mean trust of the members in their managers."},
  {"dept_engagement_mean", "1", "Mean engagement of the members."},
}};
// clang-format on

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : kNaN;
}

// Sum over departments (the executive included), in index order.
double total(const std::vector<double>& per_department) {
  return std::accumulate(per_department.begin(), per_department.end(), 0.0);
}

}  // namespace

std::span<const ObservableSpec> organization_observables() {
  return kOrg;
}
std::span<const ObservableSpec> department_observables() {
  return kDepartment;
}

Observer::Observer(const Organization& organization, std::uint32_t dimensions, double authority_threshold)
    : organization_(organization), dimensions_(dimensions), authority_threshold_(authority_threshold) {}

void Observer::observe(const AgentState& agents, const SharedState& shared, const StepTally& tally,
                       std::span<double> org, std::span<double> departments) {
  const std::uint32_t m = dimensions_;
  const std::uint32_t n = agents.agent_count;
  const std::size_t department_count = organization_.departments.size();
  auto set = [&](OrgObservable which, double value) { org[static_cast<std::size_t>(which)] = value; };
  auto set_department = [&](std::size_t d, DepartmentObservable which, double value) {
    departments[d * kDepartmentObservables + static_cast<std::size_t>(which)] = value;
  };

  // Knowledge and alignment, per department (the executive counts for the organization only).
  std::int64_t code_score = 0;
  // NOLINTNEXTLINE(bugprone-implicit-widening-of-multiplication-result): beliefs are -1, 0 or 1
  for (std::uint32_t j = 0; j < m; ++j) code_score += shared.code[j] * shared.reality[j];
  set(OrgObservable::code_knowledge, static_cast<double>(code_score) / m);
  belief_sums_.assign((department_count + 1) * m, 0);
  nonzero_counts_.assign((department_count + 1) * m, 0);
  std::vector<double> knowledge(department_count + 1, 0.0);
  std::vector<double> aligned(department_count + 1, 0.0);
  std::vector<double> purpose(department_count + 1, 0.0);
  std::vector<double> members(department_count + 1, 0.0);
  double purpose_total = 0;
  for (std::uint32_t agent = 0; agent < n; ++agent) {
    const std::size_t d = organization_.department[agent];
    const auto belief = agents.beliefs_of(agent);
    std::int64_t score = 0;
    std::int64_t matches = 0;
    std::int64_t* sums = belief_sums_.data() + d * m;
    std::int64_t* nonzero = nonzero_counts_.data() + d * m;
    for (std::uint32_t j = 0; j < m; ++j) {
      // NOLINTNEXTLINE(bugprone-implicit-widening-of-multiplication-result): beliefs are -1, 0 or 1
      score += belief[j] * shared.reality[j];
      matches += belief[j] == shared.code[j] ? 1 : 0;
      sums[j] += belief[j];
      nonzero[j] += belief[j] != 0 ? 1 : 0;
    }
    knowledge[d] += static_cast<double>(score) / m;
    aligned[d] += static_cast<double>(matches) / m;
    purpose[d] += agents.purpose[agent];
    members[d] += 1;
    purpose_total += agents.purpose[agent];
  }
  set(OrgObservable::individual_knowledge, total(knowledge) / n);
  set(OrgObservable::code_alignment, total(aligned) / n);
  const double purpose_mean = purpose_total / n;
  set(OrgObservable::purpose_mean, purpose_mean);
  // Two passes: E[x^2] - E[x]^2 loses precision as purpose converges.
  double purpose_deviation = 0;
  for (const double phi : agents.purpose) purpose_deviation += (phi - purpose_mean) * (phi - purpose_mean);
  set(OrgObservable::purpose_sd, std::sqrt(purpose_deviation / n));

  // Silo divergence over the departments (executive excluded): pairs within
  // a department versus pairs across departments, from per-dimension sums.
  double within_agreement = 0;
  double within_pairs = 0;
  double across_agreement = 0;
  double across_pairs = 0;
  std::vector<double> column_total(m, 0.0);
  double people = 0;
  for (std::size_t d = 0; d < department_count; ++d) {
    const double size = members[d];
    people += size;
    for (std::uint32_t j = 0; j < m; ++j) {
      const auto sum = static_cast<double>(belief_sums_[d * m + j]);
      within_agreement += sum * sum - static_cast<double>(nonzero_counts_[d * m + j]);
      column_total[j] += sum;
    }
    within_pairs += size * (size - 1) * m;
  }
  double all_pairs_agreement = 0;
  for (std::uint32_t j = 0; j < m; ++j) {
    double squares = 0;
    for (std::size_t d = 0; d < department_count; ++d)
      squares += static_cast<double>(nonzero_counts_[d * m + j]);
    all_pairs_agreement += column_total[j] * column_total[j] - squares;
  }
  across_agreement = all_pairs_agreement - within_agreement;
  across_pairs = people * (people - 1) * m - within_pairs;
  set(OrgObservable::silo_divergence,
      department_count < 2 ? 0.0
                           : ratio(within_agreement, within_pairs) - ratio(across_agreement, across_pairs));

  // Language: the dominant word, consensus, departments that disagree with it.
  const auto& words = agents.words;
  set(OrgObservable::distinct_words, words.distinct_words());
  set(OrgObservable::words_per_agent, static_cast<double>(words.total_words()) / n);
  WordInventories::Word dominant = 0;
  std::uint32_t most_holders = 0;
  for (WordInventories::Word w = 0; w < words.words_ever_used(); ++w) {
    if (words.holders(w) > most_holders) {
      most_holders = words.holders(w);
      dominant = w;
    }
  }
  std::vector<double> consensus(department_count + 1, 0.0);
  for (std::uint32_t agent = 0; agent < n; ++agent) {
    const auto held = words.words(agent);
    const std::size_t d = organization_.department[agent];
    if (most_holders > 0 && held.size() == 1 && held[0] == dominant) consensus[d] += 1;
  }
  set(OrgObservable::consensus_share, total(consensus) / n);
  std::size_t off_dominant = 0;
  for (std::size_t d = 0; d < department_count; ++d) {
    // A department's most-held word, counted over its members' inventories.
    word_tally_.resize(words.words_ever_used(), 0);
    touched_.clear();
    const auto& layout = organization_.departments[d];
    for (std::uint32_t agent = layout.first_agent; agent < layout.first_agent + layout.headcount; ++agent) {
      for (const auto w : words.words(agent)) {
        if (word_tally_[w]++ == 0) touched_.push_back(w);
      }
    }
    WordInventories::Word local = dominant;
    std::uint32_t local_most = 0;
    for (const auto w : touched_) {
      const std::uint32_t c = word_tally_[w];
      if (c > local_most || (c == local_most && w == dominant)) {
        local_most = c;
        local = w;
      }
      word_tally_[w] = 0;
    }
    if (local_most > 0 && local != dominant) ++off_dominant;
  }
  set(OrgObservable::departments_off_dominant, static_cast<double>(off_dominant));

  const auto games = static_cast<double>(tally.games_within + tally.games_across);
  set(OrgObservable::communication_success,
      ratio(static_cast<double>(tally.successes_within + tally.successes_across), games));
  set(OrgObservable::success_within,
      ratio(static_cast<double>(tally.successes_within), static_cast<double>(tally.games_within)));
  set(OrgObservable::success_across,
      ratio(static_cast<double>(tally.successes_across), static_cast<double>(tally.games_across)));
  set(OrgObservable::leavers, static_cast<double>(tally.leavers));

  // Leadership and engagement.
  std::vector<double> trust(department_count + 1, 0.0);
  std::vector<double> engagement(department_count + 1, 0.0);
  double authority_total = 0;
  double leaders = 0;
  double without_authority = 0;
  for (std::uint32_t agent = 0; agent < n; ++agent) {
    const std::size_t d = organization_.department[agent];
    trust[d] += agents.trust[agent];
    engagement[d] += agents.engagement[agent];
    if (organization_.direct_reports(agent).empty()) continue;
    const double authority = mean_report_trust(organization_, agents, agent);
    authority_total += authority;
    leaders += 1;
    without_authority += authority < authority_threshold_ ? 1 : 0;
  }
  set(OrgObservable::trust_mean, total(trust) / n);
  set(OrgObservable::authority_mean, ratio(authority_total, leaders));
  set(OrgObservable::managers_without_authority, without_authority);
  set(OrgObservable::engagement_mean, total(engagement) / n);
  set(OrgObservable::blame_rate,
      ratio(static_cast<double>(tally.blames), static_cast<double>(tally.games_across)));
  set(OrgObservable::knowledge_transfers, static_cast<double>(tally.transfers));
  set(OrgObservable::actual_value, shared.actual_value);
  set(OrgObservable::leader_perceived_value, shared.leader_perceived_value);
  set(OrgObservable::frontline_perceived_value, shared.frontline_perceived_value);
  set(OrgObservable::perception_gap, shared.leader_perceived_value - shared.frontline_perceived_value);

  for (std::size_t d = 0; d < department_count; ++d) {
    const double size = members[d];
    set_department(d, DepartmentObservable::knowledge, ratio(knowledge[d], size));
    set_department(d, DepartmentObservable::code_alignment, ratio(aligned[d], size));
    set_department(d, DepartmentObservable::purpose_mean, ratio(purpose[d], size));
    set_department(d, DepartmentObservable::consensus_share, ratio(consensus[d], size));
    const bool has_games = d < tally.games_by_department.size();
    set_department(d, DepartmentObservable::communication_success,
                   has_games ? ratio(static_cast<double>(tally.successes_by_department[d]),
                                     static_cast<double>(tally.games_by_department[d]))
                             : kNaN);
    set_department(d, DepartmentObservable::trust_mean, ratio(trust[d], size));
    set_department(d, DepartmentObservable::engagement_mean, ratio(engagement[d], size));
  }
}

}  // namespace orgsim
