// Checks of a design spec and its number of points, without drawing them.
#include "scenario/design_spec.hpp"

#include <fmt/core.h>

#include "core/errors.hpp"

#include <boost/random/sobol.hpp>
#include <cmath>
#include <set>
#include <stdexcept>

namespace orgsim::sweep {
namespace {

// A point is at least one run.
constexpr std::uint64_t kMaxPoints = kMaxRuns;

// Boost's Sobol' tables cover 3667 dimensions and Saltelli's scheme takes two
// per parameter (matrices A and B).
constexpr std::size_t kMaxSobolParameters = BOOST_RANDOM_SOBOL_MAX_DIMENSION / 2;

[[noreturn]] void reject(const std::string& reason) {
  throw std::invalid_argument(reason);
}

void check_given_values(const SweptParameter& parameter, DesignKind kind) {
  if (parameter.values.empty())
    reject(fmt::format("parameter '{}' has no values for the {} design", printable(parameter.key),
                       design_name(kind)));
  for (const double value : parameter.values) {
    if (!std::isfinite(value))
      reject(fmt::format("parameter '{}' has a value that is not finite", printable(parameter.key)));
  }
}

void check_range(const SweptParameter& parameter) {
  if (!std::isfinite(parameter.minimum) || !std::isfinite(parameter.maximum))
    reject(fmt::format("parameter '{}' has a range bound that is not finite", printable(parameter.key)));
  if (parameter.minimum > parameter.maximum)
    reject(fmt::format("parameter '{}' has minimum {} > maximum {}", printable(parameter.key),
                       parameter.minimum, parameter.maximum));
  if (parameter.integer && std::ceil(parameter.minimum) > std::floor(parameter.maximum))
    reject(fmt::format("integer parameter '{}' has no integer in [{}, {}]", printable(parameter.key),
                       parameter.minimum, parameter.maximum));
}

// `count` times `factor`, refused when the design would exceed kMaxPoints.
std::uint64_t times(std::uint64_t count, std::uint64_t factor, DesignKind kind) {
  if (factor != 0 && count > kMaxPoints / factor)
    reject(fmt::format("the {} design would have more than {} points", design_name(kind), kMaxPoints));
  return count * factor;
}

// Validates the spec and returns its number of points.
std::uint64_t checked_point_count(const DesignSpec& spec) {
  const DesignKind kind = spec.kind;
  if (spec.parameters.empty()) reject(fmt::format("the {} design has no parameters", design_name(kind)));
  std::set<std::string> keys;
  for (const auto& parameter : spec.parameters) {
    if (!keys.insert(parameter.key).second)
      reject(fmt::format("parameter '{}' is swept twice", printable(parameter.key)));
    if (is_sampled(kind)) {
      check_range(parameter);
    } else {
      check_given_values(parameter, kind);
    }
  }
  if (is_sampled(kind) && spec.samples == 0)
    reject(fmt::format("the {} design needs samples > 0", design_name(kind)));
  const auto parameter_count = static_cast<std::uint64_t>(spec.parameters.size());
  switch (kind) {
    case DesignKind::grid: {
      std::uint64_t count = 1;
      for (const auto& parameter : spec.parameters) count = times(count, parameter.values.size(), kind);
      return count;
    }
    case DesignKind::zip: {
      const auto& first = spec.parameters.front();
      for (const auto& parameter : spec.parameters) {
        if (parameter.values.size() != first.values.size())
          reject(fmt::format("zip lists differ in length: '{}' has {} values, '{}' has {}",
                             printable(first.key), first.values.size(), printable(parameter.key),
                             parameter.values.size()));
      }
      return times(first.values.size(), 1, kind);
    }
    case DesignKind::latin_hypercube:
      return times(spec.samples, 1, kind);
    case DesignKind::sobol:
      if (spec.parameters.size() > kMaxSobolParameters)
        reject(fmt::format("the sobol design takes at most {} parameters (2 Sobol' dimensions each)",
                           kMaxSobolParameters));
      return times(spec.samples, parameter_count + 2, kind);
    case DesignKind::morris:
      if (spec.levels < 2 || spec.levels % 2 != 0)
        reject(
            fmt::format("the morris design needs an even number of levels >= 2, not {}: only then does the "
                        "step p / (2 (p - 1)) land on the grid",
                        spec.levels));
      return times(spec.samples, parameter_count + 1, kind);
  }
  reject("unknown design kind");
}

}  // namespace

bool is_sampled(DesignKind kind) noexcept {
  return kind == DesignKind::latin_hypercube || kind == DesignKind::sobol || kind == DesignKind::morris;
}

std::uint64_t point_count(const DesignSpec& spec) {
  return checked_point_count(spec);
}

const char* design_name(DesignKind kind) noexcept {
  switch (kind) {
    case DesignKind::grid:
      return "grid";
    case DesignKind::zip:
      return "zip";
    case DesignKind::latin_hypercube:
      return "latin_hypercube";
    case DesignKind::sobol:
      return "sobol";
    case DesignKind::morris:
      return "morris";
  }
  return "unknown";
}

}  // namespace orgsim::sweep
