#include "reporting/comparison.hpp"

#include <fmt/core.h>
#include <algorithm>
#include <array>
#include <cmath>

namespace orgsim {
namespace {

std::string format_mean(const Interval& interval, const char* sign) {
  if (interval.count == 0) return "n/a";
  const auto number = [&](double value) { return fmt::format(fmt::runtime(sign), value); };
  if (interval.count == 1) return number(interval.mean);
  return fmt::format("{} [{}, {}]", number(interval.mean), number(interval.low), number(interval.high));
}

}  // namespace

PairedDifference paired_difference(const std::vector<double>& baseline, const std::vector<double>& other) {
  std::vector<double> differences;
  for (std::size_t i = 0; i < std::min(baseline.size(), other.size()); ++i) {
    if (!std::isnan(baseline[i]) && !std::isnan(other[i])) differences.push_back(other[i] - baseline[i]);
  }
  PairedDifference paired;
  // The paired t-interval is the one-sample interval of the differences.
  paired.difference = mean_interval(differences);
  if (differences.size() < 2) return paired;
  double squares = 0;
  for (const double d : differences) squares += (d - paired.difference.mean) * (d - paired.difference.mean);
  const double sd = std::sqrt(squares / static_cast<double>(differences.size() - 1));
  if (sd > 0) paired.effect_size = paired.difference.mean / sd;
  return paired;
}

std::vector<ComparisonOutcome> comparison_outcomes() {
  const auto specs = organization_observables();
  std::vector<std::size_t> compared;
  for (std::size_t v = 0; v < specs.size(); ++v) {
    if (specs[v].compare_row > 0) compared.push_back(v);
  }
  std::stable_sort(compared.begin(), compared.end(),
                   [&](std::size_t a, std::size_t b) { return specs[a].compare_row < specs[b].compare_row; });
  std::vector<ComparisonOutcome> outcomes;
  for (const auto v : compared) {
    const auto& spec = specs[v];
    outcomes.push_back({spec.compare_total ? spec.name + "_total" : spec.name, v, spec.compare_total});
  }
  return outcomes;
}

std::string comparison_outcomes_markdown() {
  const auto specs = organization_observables();
  std::string out = "| outcome | taken | what it measures |\n|---|---|---|\n";
  for (const auto& outcome : comparison_outcomes()) {
    out += fmt::format(
        "| `{}` | {} | {} |\n", outcome.name,
        outcome.summed ? "summed over steps 1 to T of the per-step value described" : "at the last step T",
        specs[outcome.observable].description);
  }
  return out;
}

ComparisonTable::ComparisonTable(std::vector<std::string> scenario_names, std::uint32_t steps,
                                 std::uint64_t replicates)
    : names_(std::move(scenario_names)),
      steps_(steps),
      outcomes_(comparison_outcomes()),
      values_(outcomes_.size(),
              std::vector<std::vector<double>>(
                  names_.size(), std::vector<double>(replicates, std::numeric_limits<double>::quiet_NaN()))) {
}

void ComparisonTable::add(std::size_t scenario, const RunResult& result) {
  for (std::size_t o = 0; o < outcomes_.size(); ++o) {
    const std::size_t index = outcomes_[o].observable;
    double value = result.organization_at(steps_, index);
    if (outcomes_[o].summed) {
      value = 0;
      for (std::size_t t = 1; t <= steps_; ++t) value += result.organization_at(t, index);
    }
    values_[o].at(scenario).at(result.key.replicate) = value;
  }
}

std::string ComparisonTable::render() const {
  const std::size_t replicates = values_.front().front().size();
  std::vector<std::array<std::string, 5>> rows = {
      {"outcome", "scenario", "mean [95% CI]", "difference [95% CI]", "d_z"}};
  for (std::size_t o = 0; o < outcomes_.size(); ++o) {
    const auto& baseline = values_[o].front();
    for (std::size_t s = 0; s < names_.size(); ++s) {
      std::array<std::string, 5> row{std::string(outcomes_[o].name), names_[s],
                                     format_mean(mean_interval(values_[o][s]), "{:.3f}"), "baseline", ""};
      if (s > 0) {
        const auto paired = paired_difference(baseline, values_[o][s]);
        row[3] = format_mean(paired.difference, "{:+.3f}");
        row[4] = std::isnan(paired.effect_size) ? "undefined" : fmt::format("{:+.2f}", paired.effect_size);
      }
      rows.push_back(std::move(row));
    }
  }
  std::array<std::size_t, 5> widths{};
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string totals;
  for (const auto& outcome : outcomes_) {
    if (outcome.summed) {
      totals += fmt::format("; {}: {} summed over steps 1-{}", outcome.name,
                            organization_observables()[outcome.observable].name, steps_);
    }
  }
  std::string out = fmt::format(
      "At step {} (the end of the horizon{}), {} replicate(s) per scenario, replicate r of every scenario on "
      "the same seed.\n"
      "mean [95% t-interval]; difference from the baseline {}: mean [95% paired t-interval] and paired "
      "effect size Cohen's d_z = mean difference / sd of the differences.\n",
      steps_, totals, replicates, names_.front());
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) line += fmt::format("{:<{}}  ", row[c], widths[c]);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

}  // namespace orgsim
