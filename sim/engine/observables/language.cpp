// The naming game's language: words in use, consensus on the organization's
// dominant word, departments that hold another, and how this step's games
// went (within and across departments).
#include <algorithm>

#include "engine/observables/topics.hpp"

namespace orgsim {
namespace {

using observing::kNaN;
using observing::ratio;
using observing::total;

namespace slot {
enum : std::size_t {
  distinct_words,
  words_per_agent,
  consensus_share,
  communication_success,
  success_within,
  success_across,
  departments_off_dominant
};
enum : std::size_t { dept_consensus_share, dept_communication_success };
}  // namespace slot

// The same from every member's inventory, for an organization of so many
// departments that the inventories do not count by department.
std::size_t departments_off_by_scan(const Observation& now, WordInventories::Word dominant) {
  const auto& words = now.agents.words;
  // Holders of each word within one department, kept between steps so that a step allocates nothing.
  thread_local std::vector<std::uint32_t> thread_word_tally;
  thread_local std::vector<std::uint32_t> thread_touched;
  auto& word_tally = thread_word_tally;  // plain references: no thread-local lookup per word
  auto& touched = thread_touched;
  word_tally.resize(words.words_ever_used(), 0);
  std::uint32_t* counts = word_tally.data();
  std::size_t off_dominant = 0;
  for (const auto& layout : now.organization.departments) {
    touched.clear();
    std::uint32_t most = 0;
    for (std::uint32_t agent = layout.first_agent; agent < layout.first_agent + layout.headcount; ++agent) {
      for (const auto w : words.words(agent)) {
        if (counts[w]++ == 0) touched.push_back(w);
        most = std::max(most, counts[w]);
      }
    }
    if (most > counts[dominant]) ++off_dominant;
    for (const auto w : touched) counts[w] = 0;
  }
  return off_dominant;
}

// Departments whose most-held word, counted over their members'
// inventories, is not `dominant`: some word has more holders among them.
// From the counts per department the inventories keep, when they keep them.
std::size_t departments_off(const Observation& now, WordInventories::Word dominant) {
  const auto& words = now.agents.words;
  std::size_t off_dominant = 0;
  if (words.words_ever_used() == 0) return 0;  // nobody has a word yet
  if (words.groups() == 0) return departments_off_by_scan(now, dominant);
  for (std::uint32_t d = 0; d < now.organization.departments.size(); ++d) {
    const std::uint32_t dominant_here = words.group_holders(dominant, d);
    for (WordInventories::Word w = 0; w < words.words_ever_used(); ++w) {
      if (words.group_holders(w, d) > dominant_here) {
        ++off_dominant;
        break;
      }
    }
  }
  return off_dominant;
}

void observe_language(const Observation& now, ObservableSlots& slots) {
  const auto& words = now.agents.words;
  const auto& tally = now.tally;
  const std::uint32_t n = now.agents.agent_count;
  const std::size_t department_count = now.organization.departments.size();
  slots.organization(slot::distinct_words) = words.distinct_words();
  slots.organization(slot::words_per_agent) = static_cast<double>(words.total_words()) / n;
  WordInventories::Word dominant = 0;
  std::uint32_t most_holders = 0;
  for (WordInventories::Word w = 0; w < words.words_ever_used(); ++w) {
    if (words.holders(w) > most_holders) {
      most_holders = words.holders(w);
      dominant = w;
    }
  }
  // Agents whose only word is the dominant one, by department (the executive last).
  std::vector<double> consensus(department_count + 1, 0.0);
  if (most_holders > 0 && words.groups() > 0) {
    for (std::uint32_t d = 0; d <= department_count; ++d)
      consensus[d] = words.group_sole_holders(dominant, d);
  } else if (most_holders > 0) {
    for (std::uint32_t agent = 0; agent < n; ++agent) {
      const auto held = words.words(agent);
      if (held.size() == 1 && held[0] == dominant) consensus[now.organization.department[agent]] += 1;
    }
  }
  slots.organization(slot::consensus_share) = total(consensus) / n;

  const auto games = static_cast<double>(tally.games_within + tally.games_across);
  slots.organization(slot::communication_success) =
      ratio(static_cast<double>(tally.successes_within + tally.successes_across), games);
  slots.organization(slot::success_within) =
      ratio(static_cast<double>(tally.successes_within), static_cast<double>(tally.games_within));
  slots.organization(slot::success_across) =
      ratio(static_cast<double>(tally.successes_across), static_cast<double>(tally.games_across));
  slots.organization(slot::departments_off_dominant) = static_cast<double>(departments_off(now, dominant));

  for (std::size_t d = 0; d < department_count; ++d) {
    slots.department(d, slot::dept_consensus_share) = ratio(consensus[d], now.members[d]);
    const bool has_games = d < tally.games_by_department.size();
    slots.department(d, slot::dept_communication_success) =
        has_games ? ratio(static_cast<double>(tally.successes_by_department[d]),
                          static_cast<double>(tally.games_by_department[d]))
                  : kNaN;
  }
}

}  // namespace

// clang-format off
ObservableTopic language_observables() {
  return {"language", {
    {.name = "distinct_words", .unit = "word", .description = "Distinct words for service in use.",
     .key_outcome = true},
    {.name = "words_per_agent", .unit = "word/agent", .description = "Mean inventory size."},
    {.name = "consensus_share", .unit = "1",
     .description = "Share of agents whose only word is the organization's dominant word.",
     .key_outcome = true, .compare_row = 3},
    {.name = "communication_success", .unit = "1",
     .description = "Share of this step's naming games that succeeded (NaN when none were played).",
     .key_outcome = true},
    {.name = "success_within", .unit = "1",
     .description = "Success rate of games between members of the same department."},
    {.name = "success_across", .unit = "1", .description = "Success rate of games across departments."},
    {.name = "departments_off_dominant", .unit = "department",
     .description = "Departments whose most-held word differs from the organization's."},
    {.name = "dept_consensus_share", .unit = "1",
     .description = "Share of members whose only word is the organization's dominant word.",
     .level = ObservableLevel::department},
    {.name = "dept_communication_success", .unit = "1",
     .description = "Success rate of games the members spoke (NaN when none).",
     .level = ObservableLevel::department},
  }, observe_language};
}
// clang-format on

}  // namespace orgsim
