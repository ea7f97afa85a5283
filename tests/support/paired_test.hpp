#pragma once
// The pattern tests' statistic: a one-sided paired t-test on per-replicate
// outcomes of two arms that share their seeds (common random numbers), with
// Cohen's d (difference of means over the pooled standard deviation of the
// two arms) as the effect size.
#include <fmt/core.h>
#include <boost/math/distributions/students_t.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

namespace orgsim::testing {

struct Comparison {
  double mean_base = 0, mean_alternative = 0, cohens_d = 0, t = 0, p_one_sided = 1;
};

// `increase`: the claim is that the alternative is higher.
inline Comparison compare(const std::vector<double>& base, const std::vector<double>& alternative,
                          bool increase) {
  REQUIRE(base.size() == alternative.size());
  REQUIRE(base.size() >= 2);
  const auto n = static_cast<double>(base.size());
  Comparison result;
  double var_base = 0, var_alternative = 0, mean_difference = 0;
  for (std::size_t i = 0; i < base.size(); ++i) {
    result.mean_base += base[i] / n;
    result.mean_alternative += alternative[i] / n;
    mean_difference += (alternative[i] - base[i]) / n;
  }
  double var_difference = 0;
  for (std::size_t i = 0; i < base.size(); ++i) {
    var_base += std::pow(base[i] - result.mean_base, 2) / (n - 1);
    var_alternative += std::pow(alternative[i] - result.mean_alternative, 2) / (n - 1);
    var_difference += std::pow(alternative[i] - base[i] - mean_difference, 2) / (n - 1);
  }
  const double sign = increase ? 1.0 : -1.0;
  // Identical differences in every replicate: the claim holds (or fails) with certainty.
  if (var_difference == 0.0) {
    const bool holds = sign * mean_difference > 0;
    result.t = holds ? INFINITY : -INFINITY;
    result.p_one_sided = holds ? 0.0 : 1.0;
    result.cohens_d = holds ? INFINITY : 0.0;
    return result;
  }
  result.cohens_d = sign * mean_difference / std::sqrt((var_base + var_alternative) / 2);
  result.t = sign * mean_difference / std::sqrt(var_difference / n);
  const boost::math::students_t distribution(n - 1);
  result.p_one_sided = boost::math::cdf(boost::math::complement(distribution, result.t));
  return result;
}

inline void check_claim(const std::string& name, const Comparison& comparison, double minimum_d) {
  WARN(fmt::format("{}: {:.4g} -> {:.4g}, Cohen's d {:.2f} (claim >= {}), paired t {:.1f}, p {:.2g}", name,
                   comparison.mean_base, comparison.mean_alternative, comparison.cohens_d, minimum_d,
                   comparison.t, comparison.p_one_sided));
  CHECK(comparison.p_one_sided < 0.001);
  CHECK(comparison.cohens_d >= minimum_d);
}

}  // namespace orgsim::testing
