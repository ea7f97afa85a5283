// Experimental designs for sweeps. The point order of each design is the
// contract stated in design.hpp; the random draws come from orgsim's own
// generator and Fisher-Yates shuffles written out here, because std::
// distributions and std::shuffle give different results on different
// standard libraries and a design must be the same everywhere.
#include "experiments/design.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <numeric>
#include <set>
#include <stdexcept>

#include "core/random.hpp"

namespace orgsim::sweep {
namespace {

using Matrix = std::vector<std::vector<double>>;

[[noreturn]] void reject(const std::string& reason) {
  throw std::invalid_argument(reason);
}

// SALib's scaling, unit -> minimum + unit (maximum - minimum), kept inside the
// range (unit 1 can overshoot the maximum by an ulp); integer parameters are
// rounded to the nearest integer inside the range.
double scaled(const SweptParameter& parameter, double unit) {
  const double value = parameter.minimum + unit * (parameter.maximum - parameter.minimum);
  if (parameter.integer)
    return std::clamp(std::nearbyint(value), std::ceil(parameter.minimum), std::floor(parameter.maximum));
  return std::clamp(value, parameter.minimum, parameter.maximum);
}

Design sampled_design(const DesignSpec& spec, Matrix unit) {
  Design design;
  for (const auto& parameter : spec.parameters) design.keys.push_back(parameter.key);
  design.points.reserve(unit.size());
  for (const auto& unit_point : unit) {
    std::vector<double> point(unit_point.size());
    for (std::size_t j = 0; j < point.size(); ++j) point[j] = scaled(spec.parameters[j], unit_point[j]);
    design.points.push_back(std::move(point));
  }
  design.unit = std::move(unit);
  return design;
}

// Fisher-Yates with orgsim's below(): the same permutation on every platform.
template <typename T>
void shuffle(std::vector<T>& items, RandomStream& stream) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t other = stream.below(static_cast<std::uint32_t>(i));
    std::swap(items[i - 1], items[other]);
  }
}

std::vector<std::uint32_t> identity_permutation(std::size_t size) {
  std::vector<std::uint32_t> items(size);
  std::iota(items.begin(), items.end(), 0U);
  return items;
}

Design grid_design(const DesignSpec& spec, std::uint64_t count) {
  Design design;
  const std::size_t parameter_count = spec.parameters.size();
  for (const auto& parameter : spec.parameters) design.keys.push_back(parameter.key);
  design.points.reserve(count);
  std::vector<std::size_t> index(parameter_count, 0);  // an odometer whose last wheel turns fastest
  for (std::uint64_t n = 0; n < count; ++n) {
    std::vector<double> point(parameter_count);
    for (std::size_t j = 0; j < parameter_count; ++j) point[j] = spec.parameters[j].values[index[j]];
    design.points.push_back(std::move(point));
    for (std::size_t j = parameter_count; j-- > 0;) {
      if (++index[j] < spec.parameters[j].values.size()) break;
      index[j] = 0;
    }
  }
  return design;
}

Design zip_design(const DesignSpec& spec, std::uint64_t count) {
  Design design;
  for (const auto& parameter : spec.parameters) design.keys.push_back(parameter.key);
  for (std::uint64_t n = 0; n < count; ++n) {
    std::vector<double> point;
    for (const auto& parameter : spec.parameters) point.push_back(parameter.values[n]);
    design.points.push_back(std::move(point));
  }
  return design;
}

// Per parameter, in order: a shuffle of the strata 0..n-1 (point i takes the
// i-th), then n uniforms, the i-th placing point i inside its stratum.
Matrix latin_hypercube_unit(const DesignSpec& spec) {
  const std::size_t n = spec.samples;
  Matrix unit(n, std::vector<double>(spec.parameters.size()));
  RandomStream stream(mix64(spec.seed), StreamId::design);
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    auto strata = identity_permutation(n);
    shuffle(strata, stream);
    for (std::size_t i = 0; i < n; ++i)
      unit[i][j] = (static_cast<double>(strata[i]) + stream.uniform()) / static_cast<double>(n);
  }
  return unit;
}

// Boost's engine starts at the sequence's point 1 (its seed() state is the
// origin already advanced once), so its first vector is SALib's row 1 and
// base row j is point j: only the origin is skipped. SALib's saltelli.sample
// (1.4 to 1.4.5) skips max(2^ceil(log2 N), 16) points counting the origin, and
// its sobol.sample (1.4.6 on) scrambles by default and skips none; orgsim's
// rows are theirs with skip_values = 1 (and scramble = False for sobol.sample).
Matrix sobol_unit(const DesignSpec& spec) {
  const std::size_t k = spec.parameters.size();
  boost::random::sobol sequence(2 * k);
  Matrix unit;
  unit.reserve(spec.samples * (k + 2));
  std::vector<double> a(k), b(k);
  for (std::uint64_t row = 0; row < spec.samples; ++row) {
    // 64-bit integers to [0, 1): exact, as below point 2^53 only the top 53 bits can be set.
    for (auto& coordinate : a) coordinate = static_cast<double>(sequence()) * 0x1.0p-64;
    for (auto& coordinate : b) coordinate = static_cast<double>(sequence()) * 0x1.0p-64;
    unit.push_back(a);
    for (std::size_t i = 0; i < k; ++i) {
      auto mixed = a;
      mixed[i] = b[i];
      unit.push_back(std::move(mixed));
    }
    unit.push_back(b);
  }
  return unit;
}

// Morris (1991) trajectories as SALib builds B* = J x* + (delta/2)((2 B P* - J) D* + J):
// with levels p the grid is {0, 1/(p-1), ..., 1} and delta = p / (2 (p - 1)),
// i.e. p/2 grid steps. Per trajectory, in order: the factors' order (P*, a
// shuffle), each factor's direction (D*, up or down), each factor's base
// level x* among the p/2 lowest (so x* + delta <= 1). A factor going up
// starts at x* and ends at x* + delta; one going down starts at x* + delta.
// Levels are kept as integers so every coordinate is exactly level / (p-1).
Matrix morris_unit(const DesignSpec& spec) {
  const std::size_t k = spec.parameters.size();
  const std::uint32_t step = spec.levels / 2;
  const auto last_level = static_cast<double>(spec.levels - 1);
  RandomStream stream(mix64(spec.seed), StreamId::design);
  Matrix unit;
  unit.reserve(spec.samples * (k + 1));
  std::vector<std::uint32_t> level(k);
  std::vector<bool> up(k);
  auto emit = [&] {
    std::vector<double> point(k);
    for (std::size_t j = 0; j < k; ++j) point[j] = static_cast<double>(level[j]) / last_level;
    unit.push_back(std::move(point));
  };
  for (std::uint64_t trajectory = 0; trajectory < spec.samples; ++trajectory) {
    auto order = identity_permutation(k);
    shuffle(order, stream);
    for (std::size_t j = 0; j < k; ++j) up[j] = stream.below(2) == 1;
    for (std::size_t j = 0; j < k; ++j) level[j] = stream.below(step) + (up[j] ? 0 : step);
    emit();
    for (const std::uint32_t factor : order) {
      level[factor] = up[factor] ? level[factor] + step : level[factor] - step;
      emit();
    }
  }
  return unit;
}

std::string json_string(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      quoted += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      quoted += c;
    }
  }
  return quoted + '"';
}

}  // namespace

Design make_design(const DesignSpec& spec) {
  const std::uint64_t count = point_count(spec);
  switch (spec.kind) {
    case DesignKind::grid:
      return grid_design(spec, count);
    case DesignKind::zip:
      return zip_design(spec, count);
    case DesignKind::latin_hypercube:
      return sampled_design(spec, latin_hypercube_unit(spec));
    case DesignKind::sobol:
      return sampled_design(spec, sobol_unit(spec));
    case DesignKind::morris:
      return sampled_design(spec, morris_unit(spec));
  }
  reject("unknown design kind");
}

std::string salib_problem_json(const DesignSpec& spec) {
  point_count(spec);
  std::string names, bounds;
  for (const auto& parameter : spec.parameters) {
    double low = parameter.minimum, high = parameter.maximum;
    if (!is_sampled(spec.kind)) {
      const auto [smallest, largest] = std::minmax_element(parameter.values.begin(), parameter.values.end());
      low = *smallest;
      high = *largest;
    }
    if (!names.empty()) {
      names += ", ";
      bounds += ", ";
    }
    names += json_string(parameter.key);
    // fmt's "{}" prints the shortest text that reads back as the same double.
    bounds += fmt::format("[{}, {}]", low, high);
  }
  return fmt::format("{{\"num_vars\": {}, \"names\": [{}], \"bounds\": [{}]}}", spec.parameters.size(), names,
                     bounds);
}

}  // namespace orgsim::sweep
