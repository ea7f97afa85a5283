#include "model/queries.hpp"

#include <algorithm>

namespace orgsim {

double mean_report_trust(const Organization& organization, const AgentState& agents, std::uint32_t manager) {
  const auto reports = organization.direct_reports(manager);
  if (reports.empty()) return 1.0;
  double total = 0;
  for (const auto report : reports) total += agents.trust[report];
  return total / static_cast<double>(reports.size());
}

bool share_a_word(const WordInventories& words, std::uint32_t a, std::uint32_t b) {
  const auto theirs = words.words(b);
  for (const auto word : words.words(a)) {
    if (std::find(theirs.begin(), theirs.end(), word) != theirs.end()) return true;
  }
  return false;
}

}  // namespace orgsim
