#include "reporting/summary.hpp"

#include <fmt/core.h>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace orgsim {
namespace {

std::string format_interval(const Interval& interval) {
  if (interval.count == 0) return "n/a";
  if (interval.count == 1) return fmt::format("{:.3f}", interval.mean);
  return fmt::format("{:.3f} [{:.3f}, {:.3f}]", interval.mean, interval.low, interval.high);
}

}  // namespace

Interval mean_interval(const std::vector<double>& values) {
  Interval interval;
  double sum = 0;
  for (const double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++interval.count;
  }
  if (interval.count == 0) return interval;
  interval.mean = sum / static_cast<double>(interval.count);
  interval.low = interval.high = interval.mean;
  if (interval.count < 2) return interval;
  double squares = 0;
  for (const double v : values) {
    if (!std::isnan(v)) squares += (v - interval.mean) * (v - interval.mean);
  }
  const double n = static_cast<double>(interval.count);
  const double standard_error = std::sqrt(squares / (n - 1) / n);
  const boost::math::students_t distribution(n - 1);
  const double t = boost::math::quantile(boost::math::complement(distribution, 0.025));
  interval.low = interval.mean - t * standard_error;
  interval.high = interval.mean + t * standard_error;
  return interval;
}

RunSummary::RunSummary(std::uint32_t steps, std::uint64_t runs)
    : steps_(steps),
      start_(organization_observables().size(),
             std::vector<double>(runs, std::numeric_limits<double>::quiet_NaN())),
      end_(organization_observables().size(),
           std::vector<double>(runs, std::numeric_limits<double>::quiet_NaN())) {}

void RunSummary::add(const RunResult& result) {
  for (std::size_t v = 0; v < start_.size(); ++v) {
    start_[v].at(result.run) = result.organization_at(0, v);
    end_[v].at(result.run) = result.organization_at(steps_, v);
  }
}

std::string RunSummary::render() const {
  const std::size_t runs = start_.front().size();
  std::string out = fmt::format("{:<24} {:>28} {:>28}\n", fmt::format("{} run(s), mean [95% CI]", runs),
                                "step 0", fmt::format("step {}", steps_));
  // The key outcomes, in registry order; the rest are in the results file.
  const auto specs = organization_observables();
  for (std::size_t v = 0; v < specs.size(); ++v) {
    if (!specs[v].key_outcome) continue;
    out += fmt::format("{:<24} {:>28} {:>28}\n", specs[v].name, format_interval(mean_interval(start_[v])),
                       format_interval(mean_interval(end_[v])));
  }
  return out;
}

}  // namespace orgsim
