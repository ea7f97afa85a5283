// Parsing and checking [[interventions]]: each key through the parameter
// table, each kind with only its own keys, and the cross-checks that need the
// whole scenario (departments, horizon, mechanisms switched on, competing
// programmes).
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>
#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_set>

#include "scenario/parameters.hpp"
#include "scenario/scenario.hpp"
#include "scenario/values.hpp"

namespace orgsim {
namespace {

using namespace scenario::detail;
using Kind = ScenarioError::Kind;
constexpr std::string_view kPrefix = "interventions.";

bool applies_to(const scenario::ParameterSpec& spec, const std::string& kind) {
  if (spec.kinds.empty()) return true;
  const auto kinds = split_choices(spec.kinds);
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// A kind's routes as the mechanisms declare them, ordered by rank: each
// route is its mechanisms' sections ("engagement", "knowledge").
std::vector<std::vector<std::string>> routes_of(std::string_view kind) {
  std::vector<std::pair<std::uint8_t, std::vector<std::string>>> ranked;
  for (const auto& mechanism : scenario::mechanism_declarations()) {
    for (const auto& route : mechanism.routes) {
      if (route.kind != kind) continue;
      std::vector<std::string> sections{std::string(mechanism.section)};
      if (!route.also_needs.empty()) sections.emplace_back(route.also_needs);
      ranked.emplace_back(route.rank, std::move(sections));
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::vector<std::string>> routes;
  routes.reserve(ranked.size());
  for (auto& [rank, sections] : ranked) routes.push_back(std::move(sections));
  return routes;
}

// "a", "a or b", "a, b or c".
std::string spoken_list(const std::vector<std::string>& items, std::string_view conjunction) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += i + 1 == items.size() ? fmt::format(" {} ", conjunction) : ", ";
    text += items[i];
  }
  return text;
}

// Refuses an enabled intervention whose mechanisms are all off, naming the
// mechanisms that would let it act. A kind acting through no running
// mechanism would only change state nothing reads: a silent no-op.
void check_mechanisms(const Scenario& scenario, const InterventionSpec& intervention) {
  if (!intervention.boolean("enabled")) return;
  const auto routes = routes_of(intervention.kind());
  if (routes.empty()) {
    throw std::logic_error(
        fmt::format("no mechanism routes for intervention kind '{}'", intervention.kind()));
  }
  std::vector<std::string> off;    // every mechanism that is off on some route
  std::vector<std::string> fixes;  // per route, what to switch on
  for (const auto& route : routes) {
    std::vector<std::string> missing;
    for (const auto& mechanism : route) {
      if (scenario.boolean(mechanism + ".enabled")) continue;
      missing.push_back(mechanism + ".enabled = true");
      if (std::find(off.begin(), off.end(), mechanism) == off.end()) off.push_back(mechanism);
    }
    if (missing.empty()) return;  // this route acts
    fixes.push_back(spoken_list(missing, "and"));
  }
  const auto& name = intervention.text("name");
  const auto label = name.empty() ? fmt::format("{} intervention", intervention.kind())
                                  : fmt::format("{} intervention \"{}\"", intervention.kind(), name);
  throw ScenarioError(
      Kind::invalid, intervention.where,
      fmt::format("{} would have no effect with {} off", label, spoken_list(off, "and")),
      fmt::format("set {}; or give the intervention enabled = false", spoken_list(fixes, "or")));
}

std::int64_t end_of(const InterventionSpec& intervention, std::int64_t horizon) {
  const auto duration = intervention.integer("duration");
  return duration == 0 ? horizon + 1 : intervention.integer("start") + duration;
}

}  // namespace

InterventionSpec parse_intervention(const toml::table& table, const std::string& file) {
  InterventionSpec intervention;
  intervention.where = position_of(table, file);
  for (const auto& [key, node] : table) {
    const std::string full_key = std::string(kPrefix) + std::string(key.str());
    const auto& spec = spec_or_throw(full_key, position_of(key, file), kPrefix);
    const auto where = position_of(node, file);
    intervention.settings[std::string(key.str())] =
        Setting{convert(spec, full_key, node, where), where, false};
  }
  if (intervention.has("name") && !intervention.text("name").empty())
    check_name(intervention.text("name"), "intervention", intervention.setting("name").where);
  if (!intervention.has("kind")) {
    throw ScenarioError(
        Kind::invalid, intervention.where, "intervention has no kind",
        fmt::format("add kind = one of {}",
                    fmt::join(split_choices(scenario::find_parameter("interventions.kind")->choices), ", ")));
  }
  const std::string kind = intervention.kind();
  for (const auto& [field, setting] : intervention.settings) {
    const auto& spec = *scenario::find_parameter(std::string(kPrefix) + field);
    if (!applies_to(spec, kind)) {
      throw ScenarioError(Kind::unknown_key, setting.where,
                          fmt::format("'{}' does not apply to a {} intervention", field, kind),
                          fmt::format("it applies to: {}", fmt::join(split_choices(spec.kinds), ", ")));
    }
  }
  for (const auto& spec : scenario::parameter_table()) {
    if (!spec.key.starts_with(kPrefix) || !applies_to(spec, kind)) continue;
    const std::string field{spec.key.substr(kPrefix.size())};
    if (intervention.has(field)) continue;
    if (spec.required) {
      throw ScenarioError(Kind::invalid, intervention.where, fmt::format("intervention has no '{}'", field),
                          std::string(spec.description));
    }
    if (field == "word") {
      throw ScenarioError(Kind::invalid, intervention.where,
                          fmt::format("a {} intervention needs a word", kind), "add word = \"...\"");
    }
    intervention.settings.emplace(field, Setting{default_value(spec), intervention.where, true});
  }
  return intervention;
}

void validate_interventions(const Scenario& scenario) {
  const auto horizon = scenario.integer("scenario.steps");
  const auto& interventions = scenario.interventions();
  const auto& departments = scenario.departments();
  // Every check here is linear or n log n in the number of interventions and departments: a
  // scenario of thousands of each, and a sweep checking it per value, must not take minutes.
  std::unordered_set<std::string_view> department_names;
  if (!interventions.empty()) {
    department_names.reserve(departments.size());
    for (const auto& d : departments) department_names.insert(d.name);
  }
  for (const auto& intervention : interventions) {
    const auto& start = intervention.setting("start");
    if (intervention.integer("start") >= horizon) {
      throw ScenarioError(
          Kind::out_of_range, start.where,
          fmt::format(
              "{} starts at step {}, at or beyond the end of the {}-step horizon (it would never act)",
              intervention.kind(), intervention.integer("start"), horizon),
          "lower start or raise scenario.steps");
    }
    const auto& targets = intervention.setting("departments");
    for (const auto& name : intervention.list("departments")) {
      if (!department_names.contains(name)) {
        std::vector<std::string> known;
        known.reserve(departments.size());
        for (const auto& d : departments) known.push_back(d.name);
        throw ScenarioError(
            Kind::unknown_department, targets.where,
            fmt::format("{} targets unknown department '{}'", intervention.kind(), printable(name)),
            fmt::format("departments are: {}", fmt::join(known, ", ")));
      }
    }
    if (intervention.kind() == "listening_sessions" && intervention.list("departments").size() == 1) {
      throw ScenarioError(
          Kind::invalid, targets.where, "listening sessions need at least two departments",
          "list the departments that should listen to each other, or leave the list empty for all");
    }
    check_mechanisms(scenario, intervention);
  }
  // Names are unique: the second of two with one name is refused.
  std::unordered_set<std::string_view> names;
  for (const auto& intervention : interventions) {
    const auto& name = intervention.text("name");
    if (!name.empty() && !names.insert(name).second) {
      throw ScenarioError(Kind::invalid, intervention.setting("name").where,
                          fmt::format("two interventions are named \"{}\"", name), "names must be unique");
    }
  }
  // Two programmes spreading the same word at the same time are one programme twice. By word, in
  // order of start: a programme overlaps an earlier one exactly when it starts before the latest end
  // so far. Of an overlapping pair, the one later in the file is named.
  std::map<std::string_view, std::vector<std::size_t>> programmes;
  for (std::size_t i = 0; i < interventions.size(); ++i) {
    const auto& intervention = interventions[i];
    if (intervention.kind() != "language_program" || !intervention.boolean("enabled")) continue;
    programmes[intervention.text("word")].push_back(i);
  }
  for (auto& [word, indices] : programmes) {
    std::stable_sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) {
      return interventions[a].integer("start") < interventions[b].integer("start");
    });
    std::size_t latest = indices.front();  // the programme that ends last so far
    for (std::size_t k = 1; k < indices.size(); ++k) {
      const auto& current = interventions[indices[k]];
      if (current.integer("start") < end_of(interventions[latest], horizon)) {
        const auto& second = interventions[std::max(latest, indices[k])];
        throw ScenarioError(Kind::invalid, second.where,
                            fmt::format("two language programmes spread \"{}\" at the same time",
                                        printable(second.text("word"))),
                            "merge them into one programme or give them different words");
      }
      if (end_of(current, horizon) > end_of(interventions[latest], horizon)) latest = indices[k];
    }
  }
}

}  // namespace orgsim
