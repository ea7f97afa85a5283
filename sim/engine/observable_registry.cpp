#include "engine/observable_registry.hpp"

#include <fmt/core.h>
#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>

#include "engine/observables/topics.hpp"
#include "engine/schedule.hpp"

namespace orgsim {
namespace {

constexpr auto kReserved = std::to_array<std::string_view>(
    {"run", "step", "department", "seed", "replicate", "point", "equilibrium_step", "status", "error",
     "error_character", "design_point", "parameter", "design", "name_character", "scenario_name"});

struct Registry {
  std::vector<RegisteredTopic> topics;
  std::vector<ObservableSpec> organization, department;

  bool taken(const std::string& name) const {
    if (std::find(kReserved.begin(), kReserved.end(), name) != kReserved.end()) return true;
    for (const auto& entry : topics) {
      if (entry.topic.name == name) return true;
      for (const auto& spec : entry.topic.observables)
        if (spec.name == name) return true;
    }
    return false;
  }

  void add(ObservableTopic topic) {
    if (!topic.compute)
      throw std::invalid_argument(fmt::format("observable topic '{}' computes nothing", topic.name));
    if (topic.observables.empty())
      throw std::invalid_argument(fmt::format("observable topic '{}' declares no observable", topic.name));
    if (taken(topic.name))
      throw std::invalid_argument(fmt::format("observable topic '{}' exists", topic.name));
    for (std::size_t i = 0; i < topic.observables.size(); ++i) {
      const auto& spec = topic.observables[i];
      bool repeated = false;
      for (std::size_t j = 0; j < i; ++j) repeated = repeated || topic.observables[j].name == spec.name;
      // A name is a variable of the file: lower-case letters, digits and
      // underscores, so it never meets a swept parameter's dotted key.
      const bool identifier =
          !spec.name.empty() && std::all_of(spec.name.begin(), spec.name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
          });
      if (!identifier || repeated || taken(spec.name))
        throw std::invalid_argument(
            fmt::format("observable '{}' of topic '{}': a name of a-z, 0-9 and _ that no other variable has",
                        spec.name, topic.name));
      // The summary and the comparison read organization observables only.
      if (spec.level == ObservableLevel::department && (spec.key_outcome || spec.compare_row > 0))
        throw std::invalid_argument(fmt::format(
            "observable '{}': a key outcome or compared outcome is an organization observable", spec.name));
    }
    RegisteredTopic entry{std::move(topic), organization.size(), 0, department.size(), 0};
    for (const auto& spec : entry.topic.observables) {
      const bool organization_level = spec.level == ObservableLevel::organization;
      (organization_level ? organization : department).push_back(spec);
      ++(organization_level ? entry.organization_count : entry.department_count);
    }
    topics.push_back(std::move(entry));
  }
};

Registry& registry() {
  static Registry instance = [] {
    Registry built;
    for (auto& topic : builtin_observable_topics()) built.add(std::move(topic));
    for (const auto* mechanism : builtin_mechanisms()) {
      if (mechanism->observables != nullptr) built.add(mechanism->observables());
    }
    return built;
  }();
  return instance;
}

}  // namespace

void register_observable_topic(ObservableTopic topic) {
  registry().add(std::move(topic));
}

void unregister_observable_topic(const std::string& name) {
  auto& current = registry();
  if (std::none_of(current.topics.begin(), current.topics.end(),
                   [&](const RegisteredTopic& entry) { return entry.topic.name == name; }))
    throw std::invalid_argument(fmt::format("no observable topic '{}' to unregister", name));
  Registry rebuilt;
  for (auto& entry : current.topics) {
    if (entry.topic.name != name) rebuilt.add(std::move(entry.topic));
  }
  current = std::move(rebuilt);
}

std::span<const std::string_view> reserved_variable_names() {
  return kReserved;
}

std::span<const RegisteredTopic> observable_topics() {
  return registry().topics;
}

std::span<const ObservableSpec> organization_observables() {
  return registry().organization;
}

std::span<const ObservableSpec> department_observables() {
  return registry().department;
}

std::size_t key_outcome_place(std::size_t index) {
  const auto specs = organization_observables();
  if (!specs[index].key_outcome) return 0;
  std::size_t place = 0;
  for (std::size_t i = 0; i <= index; ++i) place += specs[i].key_outcome ? 1 : 0;
  return place;
}

// Rows in registry order, each with its topic: a topic named after a
// mechanism is recorded only in runs where the mechanism is on.
std::string observables_markdown(ObservableLevel level) {
  const bool organization_level = level == ObservableLevel::organization;
  std::string out = organization_level
                        ? "| name | topic | unit | key outcome | description |\n|---|---|---|---|---|\n"
                        : "| name | topic | unit | description |\n|---|---|---|---|\n";
  std::size_t index = 0;
  for (const auto& entry : observable_topics()) {
    for (const auto& spec : entry.topic.observables) {
      if (spec.level != level) continue;
      if (organization_level) {
        const std::size_t place = key_outcome_place(index++);
        out += fmt::format("| `{}` | {} | {} | {} | {} |\n", spec.name, entry.topic.name, spec.unit,
                           place > 0 ? std::to_string(place) : "", spec.description);
      } else {
        out += fmt::format("| `{}` | {} | {} | {} |\n", spec.name, entry.topic.name, spec.unit,
                           spec.description);
      }
    }
  }
  return out;
}

}  // namespace orgsim
