#include "scenario/values.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <limits>
#include <sstream>

namespace orgsim::scenario::detail {

using Kind = ScenarioError::Kind;

SourcePosition position_of(const toml::node& node, const std::string& file) {
  const auto& source = node.source();
  return {file, source.begin.line, source.begin.column};
}

SourcePosition position_of(const toml::key& key, const std::string& file) {
  const auto& source = key.source();
  return {file, source.begin.line, source.begin.column};
}

namespace {

std::string_view type_name(ValueType type) {
  switch (type) {
    case ValueType::integer:
      return "an integer";
    case ValueType::real:
      return "a number";
    case ValueType::boolean:
      return "true or false";
    case ValueType::text:
      return "a string";
    case ValueType::text_list:
      return "a list of strings";
  }
  return "a value";
}

std::string_view toml_type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date or time";
  }
}

}  // namespace

std::vector<std::string> split_choices(std::string_view choices) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < choices.size()) {
    const auto end = std::min(choices.find('|', start), choices.size());
    items.emplace_back(choices.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

std::string nearest_key(std::string_view key, std::string_view prefix) {
  // No key is longer than a few dozen characters: past kQuotedLimit the rest of a long key cannot bring
  // it nearer, and comparing all of it would take time in its length times every key's.
  key = key.substr(0, std::min(key.size(), kQuotedLimit));
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  auto consider = [&](std::string_view candidate) {
    // The lengths' difference is a lower bound of the distance: a candidate that cannot beat the
    // best so far is skipped, and the rest are compared only up to the best distance.
    const auto gap =
        key.size() > candidate.size() ? key.size() - candidate.size() : candidate.size() - key.size();
    if (!best.empty() && gap >= best_distance) return;
    const auto bound = best.empty() ? std::max(key.size(), candidate.size()) : best_distance - 1;
    const auto distance = edit_distance_within(key, candidate, bound);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  };
  for (const auto& spec : scenario::parameter_table()) {
    if (prefix.empty() || spec.key.starts_with(prefix)) consider(spec.key);
  }
  if (prefix.empty()) {
    for (auto section : scenario::section_names()) consider(section);
  }
  return best;
}

std::string format_value(const ParameterValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          std::vector<std::string> items;
          for (const auto& item : v) {
            std::ostringstream out;
            out << toml::value<std::string>(item);
            items.push_back(out.str());
          }
          return fmt::format("[{}]", fmt::join(items, ", "));
        } else if constexpr (std::is_same_v<T, std::string>) {
          std::ostringstream out;
          out << toml::value<std::string>(v);
          return out.str();
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          // Shortest text that reads back to the same double, always a TOML float.
          std::string text = fmt::format("{}", v);
          if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
          return text;
        } else {
          return fmt::format("{}", v);
        }
      },
      value);
}

ParameterValue default_value(const ParameterSpec& spec) {
  switch (spec.type) {
    case ValueType::integer:
      return static_cast<std::int64_t>(spec.default_number);
    case ValueType::real:
      return spec.default_number;
    case ValueType::boolean:
      return spec.default_number != 0;
    case ValueType::text:
      return std::string(spec.default_text);
    case ValueType::text_list:
      return split_choices(spec.default_text);
  }
  return {};
}

// Converts and checks one TOML value against its spec.
ParameterValue convert(const ParameterSpec& spec, std::string_view shown_key, const toml::node& node,
                       const SourcePosition& where) {
  auto wrong_type = [&] {
    return ScenarioError(Kind::wrong_type, where,
                         fmt::format("'{}' must be {}, got {}", printable(shown_key), type_name(spec.type),
                                     toml_type_name(node)),
                         fmt::format("for example {} = {}", spec.key.substr(spec.key.rfind('.') + 1),
                                     format_value(default_value(spec))));
  };
  auto check_range = [&](double number, const std::string& shown) {
    if (!(number >= spec.minimum && number <= spec.maximum)) {
      throw ScenarioError(Kind::out_of_range, where,
                          fmt::format("'{}' = {} is out of range [{}, {}]", printable(shown_key), shown,
                                      spec.minimum, spec.maximum),
                          spec.unit.empty() ? std::string{} : fmt::format("unit: {}", spec.unit));
    }
  };
  switch (spec.type) {
    case ValueType::integer: {
      const auto* value = node.as_integer();
      if (value == nullptr) throw wrong_type();
      check_range(static_cast<double>(value->get()), fmt::format("{}", value->get()));
      return value->get();
    }
    case ValueType::real: {
      double number = 0;
      if (const auto* f = node.as_floating_point()) {
        number = f->get();
      } else if (const auto* i = node.as_integer()) {
        number = static_cast<double>(i->get());
      } else {
        throw wrong_type();
      }
      check_range(number, fmt::format("{}", number));
      return number;
    }
    case ValueType::boolean: {
      const auto* value = node.as_boolean();
      if (value == nullptr) throw wrong_type();
      return value->get();
    }
    case ValueType::text: {
      const auto* value = node.as_string();
      if (value == nullptr) throw wrong_type();
      if (!spec.choices.empty()) {
        std::string_view choices = spec.choices;
        bool found = false;
        std::size_t start = 0;
        while (start <= choices.size()) {
          const auto end = std::min(choices.find('|', start), choices.size());
          if (choices.substr(start, end - start) == value->get()) found = true;
          start = end + 1;
        }
        if (!found) {
          std::string allowed{spec.choices};
          std::replace(allowed.begin(), allowed.end(), '|', ',');
          throw ScenarioError(Kind::out_of_range, where,
                              fmt::format("'{}' = \"{}\" is not one of {}", printable(shown_key),
                                          printable(value->get()), allowed));
        }
      }
      return value->get();
    }
    case ValueType::text_list: {
      const auto* array = node.as_array();
      if (array == nullptr) throw wrong_type();
      std::vector<std::string> items;
      for (const auto& element : *array) {
        const auto* item = element.as_string();
        if (item == nullptr) throw wrong_type();
        const auto allowed = split_choices(spec.choices);
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), item->get()) == allowed.end()) {
          throw ScenarioError(Kind::out_of_range, where,
                              fmt::format("'{}' has \"{}\", not one of {}", printable(shown_key),
                                          printable(item->get()), fmt::join(allowed, ",")));
        }
        items.push_back(item->get());
      }
      return items;
    }
  }
  throw wrong_type();
}

const ParameterSpec& spec_or_throw(const std::string& key, const SourcePosition& where,
                                   std::string_view prefix) {
  if (const auto* spec = scenario::find_parameter(key)) return *spec;
  throw ScenarioError(Kind::unknown_key, where, fmt::format("unknown key '{}'", printable(key)),
                      fmt::format("did you mean '{}'?", nearest_key(key, prefix)));
}

void fill_defaults(Settings& settings, std::string_view section_prefix, const SourcePosition& where) {
  for (const auto& spec : scenario::parameter_table()) {
    if (!spec.key.starts_with(section_prefix)) continue;
    const auto field = std::string(spec.key.substr(section_prefix.size()));
    if (settings.contains(field)) continue;
    if (spec.required) {
      throw ScenarioError(Kind::invalid, where, fmt::format("missing required key '{}'", spec.key),
                          spec.description.data());
    }
    settings.emplace(field, Setting{default_value(spec), where, true});
  }
}

}  // namespace orgsim::scenario::detail

namespace orgsim {

void check_name(const std::string& name, std::string_view what, const SourcePosition& where,
                bool beyond_ascii) {
  const auto alphanumeric = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  // Characters beyond ASCII, where taken, must be well-formed UTF-8 and not C1 controls: what
  // printable() shows unchanged.
  const bool utf8 = beyond_ascii && printable(name, name.size()) == name;
  const auto allowed = [&](char c) {
    return alphanumeric(c) || c == ' ' || c == '_' || c == '-' || c == '&' ||
           (utf8 && static_cast<unsigned char>(c) >= 0x80);
  };
  // Quoted with control characters escaped, so that the error stays on one line.
  std::string shown = "\"";
  for (const char c : printable(name)) {
    if (c == '"') shown += '\\';
    shown += c;
  }
  shown += '"';
  auto refuse = [&](const std::string& why) {
    throw ScenarioError(ScenarioError::Kind::invalid, where, fmt::format("{} name {} {}", what, shown, why),
                        fmt::format("names take {}", scenario::detail::kNameCharacters));
  };
  if (name.empty()) refuse("is empty");
  const auto bad = std::find_if_not(name.begin(), name.end(), allowed);
  if (bad != name.end()) {
    const auto byte = static_cast<unsigned char>(*bad);
    std::string character;
    if (byte < 0x20 || byte == 0x7f) {
      character = fmt::format("U+{:04X}", byte);
    } else if (byte >= 0x80) {
      character = "a character outside ASCII";
    } else {
      character = fmt::format("'{}'", *bad);
    }
    refuse(fmt::format("contains {}", character));
  }
  if (!alphanumeric(name.front()) && !(utf8 && static_cast<unsigned char>(name.front()) >= 0x80)) {
    refuse("does not begin with a letter or digit");
  }
  if (name.back() == ' ') refuse("ends with a space");
}

}  // namespace orgsim
