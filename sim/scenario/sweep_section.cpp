// Parsing and checking [sweep]: the design's own keys through the parameter
// table, the swept parameters by their --set keys, and every value a design
// can give through the same validator --set uses.
#include "scenario/sweep_section.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include "scenario/parameters.hpp"
#include "scenario/scenario.hpp"
#include "scenario/values.hpp"

namespace orgsim {
namespace {

using namespace scenario::detail;
using Kind = ScenarioError::Kind;

// The table entry behind a --set key: "departments.Sales.headcount" is "departments.headcount".
const scenario::ParameterSpec* generic_spec(const std::string& key) {
  for (const std::string_view prefix : {"departments.", "interventions."}) {
    if (!key.starts_with(prefix)) continue;
    const auto name_end = key.find('.', prefix.size());
    if (name_end == std::string::npos) return nullptr;
    return scenario::find_parameter(std::string(prefix) + key.substr(name_end + 1));
  }
  return scenario::find_parameter(key);
}

sweep::DesignKind design_kind(const std::string& name) {
  using enum sweep::DesignKind;
  for (const auto kind : {grid, zip, latin_hypercube, sobol, morris}) {
    if (name == sweep::design_name(kind)) return kind;
  }
  throw std::logic_error("design choices and design kinds disagree: " + name);
}

bool sampled(sweep::DesignKind kind) {
  return kind != sweep::DesignKind::grid && kind != sweep::DesignKind::zip;
}

double number(const toml::node& node, const std::string& what, const std::string& file) {
  if (const auto* real = node.as_floating_point()) return real->get();
  if (const auto* integer = node.as_integer()) return static_cast<double>(integer->get());
  throw ScenarioError(Kind::wrong_type, position_of(node, file), fmt::format("{} must be a number", what));
}

// `where` is the key's position: errors point at the parameter the user named.
sweep::SweptParameter parse_parameter(const std::string& key, const SourcePosition& where,
                                      const toml::node& node, const std::string& file) {
  const auto* spec = generic_spec(key);
  if (spec == nullptr) {
    const bool per_entry = key.starts_with("departments.") || key.starts_with("interventions.");
    throw ScenarioError(Kind::unknown_key, where,
                        fmt::format("unknown parameter '{}' in [sweep.parameters]", printable(key)),
                        per_entry ? "give the key as --set takes it: departments.NAME.FIELD or "
                                    "interventions.NAME.FIELD"
                                  : fmt::format("did you mean '{}'?", nearest_key(key)));
  }
  if (spec->type != scenario::ValueType::integer && spec->type != scenario::ValueType::real) {
    throw ScenarioError(Kind::invalid, where,
                        fmt::format("'{}' is not numeric and cannot be swept", printable(key)));
  }
  if (key == "scenario.steps" || key == "scenario.replicates" || key == "scenario.seed" ||
      key.starts_with("sweep.")) {
    throw ScenarioError(
        Kind::invalid, where, fmt::format("'{}' cannot be swept", printable(key)),
        "every run of a sweep shares the horizon and the scenario seed; set replicates in [sweep]");
  }
  sweep::SweptParameter parameter;
  parameter.key = key;
  parameter.integer = spec->type == scenario::ValueType::integer;
  if (const auto* list = node.as_array()) {
    if (list->empty()) {
      throw ScenarioError(Kind::invalid, where, fmt::format("'{}' has no values", printable(key)));
    }
    for (const auto& element : *list) {
      const double value = number(element, "a swept value", file);
      // What the file records is what the run used.
      parameter.values.push_back(parameter.integer ? std::nearbyint(value) : value);
    }
    return parameter;
  }
  const auto* range = node.as_table();
  if (range == nullptr) {
    throw ScenarioError(Kind::wrong_type, where,
                        fmt::format("'{}' must be a list of values or a range", printable(key)),
                        "write [a, b, c] or { min = a, max = b } (with steps = n for grid and zip)");
  }
  for (const auto& [field, value] : *range) {
    if (field != "min" && field != "max" && field != "steps") {
      throw ScenarioError(
          Kind::unknown_key, position_of(field, file),
          fmt::format("unknown key '{}' in the range of '{}'", printable(field.str()), printable(key)),
          "a range has min, max and, for grid and zip, steps");
    }
  }
  if (!range->contains("min") || !range->contains("max")) {
    throw ScenarioError(Kind::invalid, where,
                        fmt::format("the range of '{}' needs min and max", printable(key)));
  }
  parameter.minimum = number(*range->get("min"), "min", file);
  parameter.maximum = number(*range->get("max"), "max", file);
  if (parameter.minimum > parameter.maximum) {
    throw ScenarioError(Kind::invalid, where, fmt::format("the range of '{}' has min > max", printable(key)));
  }
  if (const auto* steps_node = range->get("steps")) {
    const auto* steps = steps_node->as_integer();
    if (steps == nullptr || steps->get() < 1 || steps->get() > 1000000) {
      throw ScenarioError(Kind::out_of_range, position_of(*steps_node, file),
                          fmt::format("steps of '{}' must be an integer from 1 to 1000000", printable(key)));
    }
    const auto count = steps->get();
    for (std::int64_t i = 0; i < count; ++i) {
      const double fraction = count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(count - 1);
      double value = parameter.minimum + fraction * (parameter.maximum - parameter.minimum);
      if (parameter.integer) value = std::nearbyint(value);
      parameter.values.push_back(value);
    }
  }
  return parameter;
}

// An integer parameter's value as an integer; one no 64-bit integer holds
// (1e300, infinity) as given, which the range check then refuses by its value
// rather than by the number a conversion would have made of it.
std::string format_number(double value, bool integer) {
  const double rounded = std::nearbyint(value);
  // 2^63 is exactly representable; every double below it converts to a 64-bit integer.
  constexpr double kInt64Bound = 9223372036854775808.0;
  if (integer && rounded >= -kInt64Bound && rounded < kInt64Bound) {
    return fmt::format("{}", static_cast<std::int64_t>(rounded));
  }
  return fmt::format("{}", value);
}

// Refuses a sweep of more than sweep::kMaxRuns runs before its design is
// drawn or any value checked, which would take long for such a sweep.
void check_run_count(const Scenario& scenario, std::uint64_t points) {
  const auto& sweep = *scenario.sweep();
  const std::uint64_t replicates = sweep.replicates > 0
                                       ? sweep.replicates
                                       : static_cast<std::uint64_t>(scenario.integer("scenario.replicates"));
  if (points <= sweep::kMaxRuns / replicates) return;
  throw ScenarioError(
      Kind::too_large, sweep.where,
      fmt::format("the sweep has {} point(s) x {} replicate(s) = {} runs, more than the {} one "
                  "sweep file holds",
                  points, replicates, points * replicates, sweep::kMaxRuns),
      "use fewer points or replicates, or split the design into several sweeps");
}

}  // namespace

SweepSection parse_sweep_section(const toml::table& table, const std::string& file) {
  SweepSection sweep;
  sweep.where = position_of(table, file);
  bool has_parameters = false;
  for (const auto& [key, node] : table) {
    const std::string field{key.str()};
    if (field == "parameters") {
      const auto* parameters = node.as_table();
      if (parameters == nullptr) {
        throw ScenarioError(Kind::wrong_type, position_of(node, file), "'sweep.parameters' must be a table",
                            "write it as [sweep.parameters]");
      }
      for (const auto& [parameter_key, parameter_node] : *parameters) {
        sweep.design.parameters.push_back(parse_parameter(
            std::string(parameter_key.str()), position_of(parameter_key, file), parameter_node, file));
        sweep.parameter_where.push_back(position_of(parameter_key, file));
      }
      has_parameters = true;
      continue;
    }
    set_sweep_field(sweep, field, node, position_of(node, file));
  }
  // In the order the file lists them (the TOML reader sorts keys): grid
  // order and the design's columns follow the file.
  std::vector<std::size_t> order(sweep.design.parameters.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = sweep.parameter_where[a];
    const auto& y = sweep.parameter_where[b];
    return std::tie(x.line, x.column) < std::tie(y.line, y.column);
  });
  SweepSection sorted = sweep;
  for (std::size_t i = 0; i < order.size(); ++i) {
    sorted.design.parameters[i] = sweep.design.parameters[order[i]];
    sorted.parameter_where[i] = sweep.parameter_where[order[i]];
  }
  sweep = std::move(sorted);
  if (!has_parameters || sweep.design.parameters.empty()) {
    throw ScenarioError(
        Kind::invalid, sweep.where, "[sweep] varies no parameters",
        "list them in [sweep.parameters], e.g. \"knowledge.socialization_rate\" = [0.1, 0.5]");
  }
  return sweep;
}

void set_sweep_field(SweepSection& sweep, const std::string& field, const toml::node& value,
                     const SourcePosition& where) {
  const std::string key = "sweep." + field;
  const auto& spec = spec_or_throw(key, where, "sweep.");
  const auto converted = convert(spec, key, value, where);
  if (field == "design") {
    sweep.design.kind = design_kind(std::get<std::string>(converted));
  } else {
    const auto number = static_cast<std::uint64_t>(std::get<std::int64_t>(converted));
    if (field == "replicates") sweep.replicates = number;
    if (field == "samples") sweep.design.samples = number;
    if (field == "levels") sweep.design.levels = static_cast<std::uint32_t>(number);
    if (field == "seed") sweep.design.seed = number;
  }
}

void validate_sweep(const Scenario& scenario) {
  const auto& sweep = *scenario.sweep();
  const bool sampled_design = sampled(sweep.design.kind);
  for (std::size_t i = 0; i < sweep.design.parameters.size(); ++i) {
    const auto& parameter = sweep.design.parameters[i];
    if (sampled_design != parameter.values.empty()) {
      throw ScenarioError(
          Kind::invalid, sweep.parameter_where[i],
          fmt::format("'{}' needs {} for a {} design", printable(parameter.key),
                      sampled_design ? "a range { min = a, max = b }" : "values or a range with steps",
                      sweep::design_name(sweep.design.kind)));
    }
  }
  // The number of points and runs before any value is checked: checking a value is work in the
  // number of values, and a design too large to run is refused at once whatever its values.
  std::uint64_t points = 0;
  try {
    points = sweep::point_count(sweep.design);
  } catch (const std::invalid_argument& error) {
    throw ScenarioError(Kind::invalid, sweep.where, error.what(),
                        "see the [sweep] keys in docs/scenarios.md");
  }
  check_run_count(scenario, points);
  // One copy of the scenario takes each value in turn, rather than a copy per value.
  Scenario probe = scenario;
  for (std::size_t i = 0; i < sweep.design.parameters.size(); ++i) {
    const auto& parameter = sweep.design.parameters[i];
    const auto& where = sweep.parameter_where[i];
    const auto& spec = *generic_spec(parameter.key);
    std::vector<double> candidates = parameter.values;
    if (sampled_design) candidates = {parameter.minimum, parameter.maximum};
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    // Every value within the parameter's range, checked before it is converted to an integer.
    for (const double value : {candidates.front(), candidates.back()}) {
      const double taken = parameter.integer ? std::nearbyint(value) : value;
      if (taken >= spec.minimum && taken <= spec.maximum) continue;
      const auto shown = format_number(value, parameter.integer);
      throw ScenarioError(Kind::out_of_range, where,
                          fmt::format("swept value {}={} is refused: '{}' = {} is out of range [{}, {}]",
                                      printable(parameter.key), shown, printable(parameter.key), shown,
                                      spec.minimum, spec.maximum),
                          spec.unit.empty() ? std::string{} : fmt::format("unit: {}", spec.unit));
    }
    for (const double value : candidates) {
      const auto assignment = sweep_assignment(parameter, value);
      try {
        probe.apply_override(assignment);
        validate_interventions(probe);
      } catch (const ScenarioError& error) {
        std::string reason = error.what();
        const auto cut = reason.find(": ");
        if (cut != std::string::npos) reason = reason.substr(cut + 2);
        throw ScenarioError(error.kind(), where,
                            fmt::format("swept value {} is refused: {}", printable(assignment), reason));
      }
    }
    // Back to the scenario's own value before the next parameter is checked.
    probe = scenario;
  }
}

std::string sweep_assignment(const sweep::SweptParameter& parameter, double value) {
  return parameter.key + "=" + format_number(value, parameter.integer);
}

std::string sweep_toml(const SweepSection& sweep) {
  std::string out =
      fmt::format("\n[sweep]\ndesign = \"{}\"\nreplicates = {}\nsamples = {}\nlevels = {}\nseed = {}\n",
                  sweep::design_name(sweep.design.kind), sweep.replicates, sweep.design.samples,
                  sweep.design.levels, sweep.design.seed);
  out += "\n[sweep.parameters]\n";
  for (const auto& parameter : sweep.design.parameters) {
    if (parameter.values.empty()) {
      out += fmt::format("\"{}\" = {{ min = {}, max = {} }}\n", parameter.key,
                         format_number(parameter.minimum, false), format_number(parameter.maximum, false));
      continue;
    }
    std::vector<std::string> values;
    for (const double value : parameter.values) values.push_back(format_number(value, parameter.integer));
    out += fmt::format("\"{}\" = [{}]\n", parameter.key, fmt::join(values, ", "));
  }
  return out;
}

}  // namespace orgsim
