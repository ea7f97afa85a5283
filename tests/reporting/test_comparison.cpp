// The statistics of `orgsim compare`: paired differences, their t-interval
// and Cohen's d_z, and the table built from runs.
#include <fmt/core.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <sstream>

#include "reporting/comparison.hpp"

namespace orgsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A run whose organization observables are all `fill`, with `which` set per step.
RunResult run_with(std::uint64_t replicate, std::uint32_t steps, OrgObservable which,
                   const std::vector<double>& per_step, double fill = 0.5) {
  RunResult result;
  result.key.replicate = replicate;
  result.size_for(steps, 0, fill);
  for (std::size_t t = 0; t <= steps; ++t)
    result.organization_at(t, static_cast<std::size_t>(which)) = per_step[t];
  return result;
}

}  // namespace

TEST_CASE("Paired difference: mean, 95% paired t-interval and d_z of a hand-checked sample", "[comparison]") {
  // Differences (other - baseline): 1, 2, 0, 3, 1. Mean 7/5 = 1.4; squared
  // deviations 0.16 + 0.36 + 1.96 + 2.56 + 0.16 = 5.2, so the variance is
  // 5.2/4 = 1.3 and the standard error sqrt(1.3/5) = sqrt(0.26). The 0.975
  // quantile of Student's t with 4 degrees of freedom is 2.776445 (tables,
  // six decimals: off by at most 5e-7, times the standard error 0.51, well
  // within the margin of 1e-6).
  const auto paired = paired_difference({1, 2, 3, 4, 5}, {2, 4, 3, 7, 6});
  CHECK(paired.difference.count == 5);
  CHECK(paired.difference.mean == Approx(1.4));
  CHECK(paired.difference.low == Approx(1.4 - 2.776445 * std::sqrt(0.26)).margin(1e-6));
  CHECK(paired.difference.high == Approx(1.4 + 2.776445 * std::sqrt(0.26)).margin(1e-6));
  CHECK(paired.effect_size == Approx(1.4 / std::sqrt(1.3)));  // 1.227881

  // Two pairs: differences 1 and 3, mean 2, sd sqrt(2), standard error 1;
  // t(1, 0.975) = 12.706205 (tables), d_z = 2 / sqrt(2).
  const auto two = paired_difference({0, 0}, {1, 3});
  CHECK(two.difference.low == Approx(2 - 12.706205).margin(1e-6));
  CHECK(two.difference.high == Approx(2 + 12.706205).margin(1e-6));
  CHECK(two.effect_size == Approx(std::sqrt(2.0)));

  // The sign follows other - baseline.
  CHECK(paired_difference({2, 4, 3, 7, 6}, {1, 2, 3, 4, 5}).effect_size == Approx(-1.4 / std::sqrt(1.3)));
}

TEST_CASE("A scenario against itself differs by zero, with no width and d_z undefined", "[comparison]") {
  const std::vector<double> values = {0.25, 0.5, 0.125, 0.75};
  const auto paired = paired_difference(values, values);
  CHECK(paired.difference.count == 4);
  CHECK(paired.difference.mean == 0.0);
  CHECK(paired.difference.low == 0.0);
  CHECK(paired.difference.high == 0.0);
  CHECK(std::isnan(paired.effect_size));
  // A constant shift has no spread either: d_z is undefined, not infinite.
  CHECK(std::isnan(paired_difference({1, 2, 3}, {2, 3, 4}).effect_size));
}

TEST_CASE("Pairs with a NaN are left out", "[comparison]") {
  const auto paired = paired_difference({1, kNaN, 3, 4}, {2, 5, kNaN, 6});
  CHECK(paired.difference.count == 2);  // replicates 0 and 3: differences 1 and 2
  CHECK(paired.difference.mean == Approx(1.5));
  CHECK(paired.effect_size == Approx(1.5 / std::sqrt(0.5)));
  const auto none = paired_difference({kNaN}, {1});
  CHECK(none.difference.count == 0);
  CHECK(std::isnan(none.effect_size));
}

TEST_CASE("The comparison table: a row per outcome and scenario, in any order of runs", "[comparison]") {
  const std::uint32_t steps = 2;
  // Leavers per step (step 0 first) of replicates 0 and 1: totals 3 and 5
  // for the baseline, 4 and 8 for the other. Paired differences 1 and 3:
  // mean 2, sd sqrt(2), standard error 1, t(1, 0.975) = 12.706205 (tables),
  // d_z = 2 / sqrt(2) = +1.41.
  const std::vector<RunResult> runs = {run_with(0, steps, OrgObservable::leavers, {0, 1, 2}),
                                       run_with(1, steps, OrgObservable::leavers, {0, 2, 3}),
                                       run_with(0, steps, OrgObservable::leavers, {0, 2, 2}),
                                       run_with(1, steps, OrgObservable::leavers, {0, 4, 4})};
  ComparisonTable forward({"base", "other"}, steps, 2), backward({"base", "other"}, steps, 2);
  for (std::size_t i = 0; i < runs.size(); ++i) forward.add(i / 2, runs[i]);
  for (std::size_t i = runs.size(); i-- > 0;) backward.add(i / 2, runs[i]);
  const std::string text = forward.render();
  CHECK(text == backward.render());
  CHECK(text.find("Cohen's d_z = mean difference / sd of the differences") != std::string::npos);

  std::istringstream lines(text);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  const auto outcomes = comparison_outcomes();
  REQUIRE(rows.size() == 3 + 2 * outcomes.size());  // two lines of header, column names, the rows
  for (std::size_t o = 0; o < outcomes.size(); ++o) {
    CHECK(rows[3 + 2 * o].starts_with(std::string(outcomes[o].name) + " "));
    CHECK(rows[3 + 2 * o].find(" base ") != std::string::npos);
    CHECK(rows[3 + 2 * o].ends_with("baseline"));
    CHECK(rows[4 + 2 * o].find(" other ") != std::string::npos);
  }
  const auto& leavers = rows[3 + 2 * (outcomes.size() - 1)];
  CHECK(leavers.starts_with("leavers_total"));
  CHECK(leavers.find(" 4.000 [") != std::string::npos);  // mean of 3 and 5
  const auto& difference = rows.back();
  CHECK(difference.find(" 6.000 [") != std::string::npos);  // mean of 4 and 8 (other)
  CHECK(difference.find(fmt::format(" +2.000 [{:+.3f}, {:+.3f}]", 2 - 12.706205, 2 + 12.706205)) !=
        std::string::npos);
  CHECK(difference.ends_with(" +1.41"));
  // Every other outcome is 0.5 throughout: no difference, d_z undefined.
  CHECK(rows[4].find("+0.000 [+0.000, +0.000]") != std::string::npos);
  CHECK(rows[4].ends_with("undefined"));
}

}  // namespace orgsim
