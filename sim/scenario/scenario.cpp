#include "scenario/scenario.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>
#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <set>
#include <sstream>

#include "scenario/parameters.hpp"
#include "scenario/values.hpp"

namespace orgsim {
namespace {

using namespace scenario::detail;
using Kind = ScenarioError::Kind;

DepartmentSpec parse_department(const toml::table& table, const std::string& file, std::size_t index) {
  DepartmentSpec department;
  department.where = position_of(table, file);
  for (const auto& [key, node] : table) {
    const std::string full_key = "departments." + std::string(key.str());
    const auto where = position_of(node, file);
    const auto& spec = spec_or_throw(full_key, position_of(key, file), "departments.");
    department.settings[std::string(key.str())] = Setting{convert(spec, full_key, node, where), where, false};
  }
  if (!department.settings.contains("name")) {
    throw ScenarioError(Kind::invalid, department.where, fmt::format("department #{} has no name", index + 1),
                        "add name = \"...\"");
  }
  fill_defaults(department.settings, "departments.", department.where);
  department.name = department.text("name");
  check_name(department.name, "department", department.setting("name").where);
  return department;
}

// Refuses a dotted key or table header of more than kMaxKeyParts parts
// before the TOML reader, which would recurse once per part, sees it. Reads
// the text as TOML's lexer does as far as this needs: dots inside strings
// and comments do not count; '=', ',', brackets, braces and line ends end a
// key. A value's dots (1.5, dates) are counted too, but no value has more
// than one.
void check_key_parts(std::string_view text, const std::string& source_name) {
  enum class State { code, basic, literal, multiline_basic, multiline_literal, comment };
  State state = State::code;
  std::size_t dots = 0;
  std::uint32_t line = 1;
  std::uint32_t column = 0;
  SourcePosition start{source_name, 1, 1};
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    ++column;
    const auto next_is = [&](std::string_view what) { return text.substr(i, what.size()) == what; };
    switch (state) {
      case State::code:
        if (c == '#') {
          state = State::comment;
        } else if (c == '"') {
          state = next_is("\"\"\"") ? State::multiline_basic : State::basic;
          if (state == State::multiline_basic) i += 2, column += 2;
        } else if (c == '\'') {
          state = next_is("\'\'\'") ? State::multiline_literal : State::literal;
          if (state == State::multiline_literal) i += 2, column += 2;
        } else if (c == '=' || c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == '\n') {
          dots = 0;
          start = {source_name, line, column + 1};
        } else if (c == '.' && ++dots >= kMaxKeyParts) {
          throw ScenarioError(Kind::too_large, start,
                              fmt::format("a key or table header of more than {} dotted parts", kMaxKeyParts),
                              "scenario keys have at most three parts, as in departments.NAME.FIELD");
        }
        break;
      case State::basic:
      case State::multiline_basic:
        if (c == '\\') {
          ++i, ++column;  // the escaped character, whatever it is (a line end is counted below)
        } else if (c == '"' && (state == State::basic || next_is("\"\"\""))) {
          if (state == State::multiline_basic) i += 2, column += 2;
          state = State::code;
        } else if (c == '\n' && state == State::basic) {
          state = State::code;  // an unterminated string: the reader refuses it
        }
        break;
      case State::literal:
      case State::multiline_literal:
        if (c == '\'' && (state == State::literal || next_is("\'\'\'"))) {
          if (state == State::multiline_literal) i += 2, column += 2;
          state = State::code;
        } else if (c == '\n' && state == State::literal) {
          state = State::code;
        }
        break;
      case State::comment:
        if (c == '\n') state = State::code;
        break;
    }
    if (i < text.size() && text[i] == '\n') {
      if (state == State::code) {
        dots = 0;
        start = {source_name, line + 1, 1};
      }
      ++line;
      column = 0;
    }
  }
}

// The TOML reader behind the scenario file and --set values, with the limits
// it lacks checked first; its errors as malformed-scenario errors.
toml::table parse_toml(std::string_view text, const std::string& source_name) {
  if (text.size() > kMaxScenarioBytes) {
    throw ScenarioError(Kind::too_large, {source_name, 0, 0},
                        fmt::format("the scenario is larger than {} MiB ({} bytes)", kMaxScenarioBytes >> 20,
                                    kMaxScenarioBytes),
                        "a scenario is a short TOML file; is this the right file?");
  }
  check_key_parts(text, source_name);
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    throw ScenarioError(Kind::malformed, {source_name, begin.line, begin.column},
                        fmt::format("malformed TOML: {}", printable(error.description())));
  }
}

}  // namespace

std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t bound) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > bound) return bound + 1;
  // Only cells within `bound` of the diagonal can hold a distance up to `bound`; the others count as
  // bound + 1. Row i holds the distances of a's first i characters to b's prefixes.
  const std::size_t beyond = bound + 1;
  std::vector<std::size_t> row(b.size() + 1, beyond);
  for (std::size_t j = 0; j <= std::min(b.size(), bound); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    const std::size_t first = i > bound ? i - bound : 1;
    const std::size_t last = std::min(b.size(), i + bound);
    std::size_t diagonal = row[first - 1];
    row[first - 1] = first == 1 && i <= bound ? i : beyond;
    std::size_t smallest = row[first - 1];
    for (std::size_t j = first; j <= last; ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U), beyond});
      diagonal = above;
      smallest = std::min(smallest, row[j]);
    }
    if (last < b.size()) row[last + 1] = beyond;
    if (smallest > bound) return beyond;
  }
  return std::min(row[b.size()], beyond);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

const Setting& section_setting(const Settings& settings, std::string_view section, std::string_view field,
                               const SourcePosition& where) {
  const auto found = settings.find(field);
  if (found == settings.end()) {
    throw std::logic_error(fmt::format(
        "{}: programming error: the [[{}]] table here has no setting '{}.{}' (defaults are filled in, "
        "so the code asked for a key this table does not take)",
        to_string(where), section, section, field));
  }
  return found->second;
}

double DepartmentSpec::real(std::string_view field) const {
  return std::get<double>(setting(field).value);
}
std::int64_t DepartmentSpec::integer(std::string_view field) const {
  return std::get<std::int64_t>(setting(field).value);
}
const std::string& DepartmentSpec::text(std::string_view field) const {
  return std::get<std::string>(setting(field).value);
}

Scenario Scenario::from_file(const std::string& path, const std::vector<std::string>& overrides) {
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error)) {
    throw ScenarioError(Kind::invalid, {path, 0, 0}, "cannot read scenario file: it is a directory",
                        "give the path of a .toml file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ScenarioError(Kind::invalid, {path, 0, 0}, "cannot open scenario file", "check the path");
  }
  // Read in pieces up to one past the limit, whatever the file is (/dev/zero, a pipe, a results file):
  // from_text refuses more than the limit, and nothing past it is read.
  std::string text;
  std::array<char, 1 << 16> piece{};
  while (in && text.size() <= kMaxScenarioBytes) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    text.append(piece.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    throw ScenarioError(Kind::invalid, {path, 0, 0}, "cannot read scenario file", "check the path");
  }
  return from_text(std::move(text), path, overrides);
}

Scenario Scenario::from_text(std::string text, const std::string& source_name,
                             const std::vector<std::string>& overrides) {
  const toml::table root = parse_toml(text, source_name);
  Scenario scenario;
  scenario.source_text_ = std::make_shared<const std::string>(std::move(text));
  scenario.source_name_ = source_name;
  const SourcePosition file_start{source_name, 1, 1};

  for (const auto& [section_key, section_node] : root) {
    const std::string section{section_key.str()};
    const auto where = position_of(section_key, source_name);
    const auto& sections = scenario::section_names();
    if (std::find(sections.begin(), sections.end(), section) == sections.end()) {
      throw ScenarioError(Kind::unknown_key, where, fmt::format("unknown section '{}'", printable(section)),
                          fmt::format("did you mean '{}'?", nearest_key(section)));
    }
    if (section == "departments") {
      const auto* array = section_node.as_array();
      if (array == nullptr) {
        throw ScenarioError(Kind::wrong_type, where, "'departments' must be an array of tables",
                            "write each department as [[departments]]");
      }
      // Refused before any department is read: reading them is work in their number.
      if (array->size() > kMaxDepartments) {
        throw ScenarioError(
            Kind::too_large, position_of((*array)[kMaxDepartments], source_name),
            fmt::format("{} departments, more than the {} supported", array->size(), kMaxDepartments),
            "merge small departments");
      }
      std::set<std::string, std::less<>> names;
      for (std::size_t i = 0; i < array->size(); ++i) {
        const auto* table = (*array)[i].as_table();
        if (table == nullptr) {
          throw ScenarioError(Kind::wrong_type, position_of((*array)[i], source_name),
                              "each department must be a table", "write each department as [[departments]]");
        }
        auto department = parse_department(*table, source_name, i);
        if (!names.insert(department.name).second) {
          throw ScenarioError(Kind::invalid, department.setting("name").where,
                              fmt::format("department \"{}\" is defined twice", department.name));
        }
        scenario.departments_.push_back(std::move(department));
      }
      continue;
    }
    if (section == "interventions") {
      const auto* array = section_node.as_array();
      if (array == nullptr) {
        throw ScenarioError(Kind::wrong_type, where, "'interventions' must be an array of tables",
                            "write each intervention as [[interventions]]");
      }
      for (const auto& element : *array) {
        const auto* table = element.as_table();
        if (table == nullptr) {
          throw ScenarioError(Kind::wrong_type, position_of(element, source_name),
                              "each intervention must be a table",
                              "write each intervention as [[interventions]]");
        }
        scenario.interventions_.push_back(parse_intervention(*table, source_name));
      }
      continue;
    }
    const auto* table = section_node.as_table();
    if (table == nullptr) {
      throw ScenarioError(Kind::wrong_type, where, fmt::format("'{}' must be a table", section),
                          fmt::format("write it as [{}]", section));
    }
    if (section == "sweep") {
      scenario.sweep_ = std::make_shared<const SweepSection>(parse_sweep_section(*table, source_name));
      continue;
    }
    for (const auto& [key, node] : *table) {
      const std::string full_key = section + "." + std::string(key.str());
      const auto key_where = position_of(node, source_name);
      const auto& spec = spec_or_throw(full_key, position_of(key, source_name));
      if (spec.key.starts_with("departments.") || spec.key.starts_with("interventions.")) continue;
      scenario.settings_[full_key] = Setting{convert(spec, full_key, node, key_where), key_where, false};
    }
  }
  for (const auto& spec : scenario::parameter_table()) {
    if (spec.key.starts_with("departments.") || spec.key.starts_with("interventions.") ||
        spec.key.starts_with("sweep."))
      continue;
    if (!scenario.settings_.contains(spec.key)) {
      scenario.settings_.emplace(std::string(spec.key), Setting{default_value(spec), file_start, true});
    }
  }
  for (const auto& assignment : overrides) scenario.apply_override(assignment);
  // The name becomes the default output file's name: no path, nothing hidden, nothing unprintable.
  check_name(scenario.text("scenario.name"), "scenario", scenario.setting("scenario.name").where, true);
  if (scenario.departments_.empty() || scenario.total_headcount() == 0) {
    throw ScenarioError(Kind::empty_organization, file_start, "the organization is empty",
                        "add at least one [[departments]] entry with name and headcount");
  }
  validate_interventions(scenario);
  if (scenario.sweep_) validate_sweep(scenario);
  return scenario;
}

void Scenario::apply_override(const std::string& assignment) {
  const auto equals = assignment.find('=');
  const SourcePosition where{"--set " + assignment, 0, 0};
  if (equals == std::string::npos || equals == 0) {
    throw ScenarioError(Kind::malformed, where, "expected key=value", "for example --set scenario.steps=52");
  }
  const std::string key = assignment.substr(0, equals);
  const std::string raw_value = assignment.substr(equals + 1);
  // The value is read by the TOML parser itself; a bare word is taken as a string.
  toml::table parsed;
  check_key_parts(raw_value, where.file);  // an inline table's keys, as the file's
  try {
    parsed = toml::parse("value = " + raw_value);
  } catch (const toml::parse_error&) {
    parsed = toml::table{{"value", raw_value}};
  }
  const toml::node& node = *parsed.get("value");

  if (key.starts_with("interventions.")) {
    const auto name_end = key.find('.', 14);
    const std::string name = name_end == std::string::npos ? std::string{} : key.substr(14, name_end - 14);
    auto intervention = std::find_if(
        interventions_.begin(), interventions_.end(),
        [&](const InterventionSpec& i) { return !name.empty() && i.has("name") && i.text("name") == name; });
    if (intervention == interventions_.end()) {
      std::vector<std::string> known;
      for (const auto& i : interventions_) {
        if (i.has("name") && !i.text("name").empty()) known.push_back(i.text("name"));
      }
      throw ScenarioError(Kind::unknown_key, where,
                          fmt::format("no intervention named '{}'", printable(name)),
                          known.empty() ? "give the intervention a name = \"...\" to set its keys"
                                        : fmt::format("named interventions: {}", fmt::join(known, ", ")));
    }
    const std::string field = key.substr(name_end + 1);
    const auto* spec = scenario::find_parameter("interventions." + field);
    if (spec == nullptr || field == "name" || field == "kind") {
      throw ScenarioError(
          Kind::unknown_key, where, fmt::format("cannot set '{}'", printable(key)),
          spec == nullptr ? fmt::format("did you mean 'interventions.{}.{}'?", printable(name),
                                        nearest_key("interventions." + field, "interventions.").substr(14))
                          : "an intervention's name and kind are fixed by the file");
    }
    if (!intervention->has(field)) {
      throw ScenarioError(
          Kind::unknown_key, where,
          fmt::format("'{}' does not apply to a {} intervention", printable(field), intervention->kind()));
    }
    intervention->settings[field] = Setting{convert(*spec, key, node, where), where, false};
    return;
  }
  if (key.starts_with("sweep.")) {
    const std::string field = key.substr(6);
    if (!sweep_) {
      throw ScenarioError(Kind::invalid, where, "the scenario has no [sweep] section",
                          "add one to the file; swept parameters are listed there");
    }
    if (field == "parameters" || field.find('.') != std::string::npos) {
      throw ScenarioError(Kind::invalid, where, "swept parameters cannot be set with --set",
                          "edit [sweep.parameters] in the file");
    }
    auto changed = std::make_shared<SweepSection>(*sweep_);
    set_sweep_field(*changed, field, node, where);
    sweep_ = std::move(changed);
    return;
  }
  if (key.starts_with("departments.")) {
    const auto name_end = key.find('.', 12);
    if (name_end == std::string::npos) {
      throw ScenarioError(Kind::unknown_key, where, fmt::format("unknown key '{}'", printable(key)),
                          "department fields are set as departments.NAME.FIELD");
    }
    const std::string name = key.substr(12, name_end - 12);
    const std::string field = key.substr(name_end + 1);
    auto department = std::find_if(departments_.begin(), departments_.end(),
                                   [&](const DepartmentSpec& d) { return d.name == name; });
    if (department == departments_.end()) {
      std::vector<std::string> known;
      for (const auto& d : departments_) known.push_back(d.name);
      throw ScenarioError(Kind::unknown_department, where,
                          fmt::format("unknown department '{}'", printable(name)),
                          fmt::format("departments are: {}", fmt::join(known, ", ")));
    }
    const auto* found = scenario::find_parameter("departments." + field);
    if (found == nullptr) {
      const auto nearest = nearest_key("departments." + field, "departments.");
      throw ScenarioError(
          Kind::unknown_key, where, fmt::format("unknown key '{}'", printable(key)),
          fmt::format("did you mean 'departments.{}.{}'?", printable(name), nearest.substr(12)));
    }
    const auto& spec = *found;
    if (field == "name") {
      throw ScenarioError(Kind::invalid, where, "a department cannot be renamed with --set");
    }
    department->settings[field] = Setting{convert(spec, key, node, where), where, false};
    return;
  }
  const auto& spec = spec_or_throw(key, where);
  settings_[key] = Setting{convert(spec, key, node, where), where, false};
}

Scenario Scenario::with(const std::vector<std::string>& assignments) const {
  Scenario changed = *this;
  for (const auto& assignment : assignments) changed.apply_override(assignment);
  validate_interventions(changed);
  return changed;
}

const Setting& Scenario::setting(std::string_view key) const {
  const auto found = settings_.find(key);
  if (found == settings_.end()) {
    throw std::logic_error(fmt::format(
        "{}: programming error: the code asked for parameter '{}', which is not in the parameter table",
        source_name_, key));
  }
  return found->second;
}
double Scenario::real(std::string_view key) const {
  return std::get<double>(setting(key).value);
}
std::int64_t Scenario::integer(std::string_view key) const {
  return std::get<std::int64_t>(setting(key).value);
}
bool Scenario::boolean(std::string_view key) const {
  return std::get<bool>(setting(key).value);
}
const std::string& Scenario::text(std::string_view key) const {
  return std::get<std::string>(setting(key).value);
}

std::int64_t Scenario::total_headcount() const {
  std::int64_t total = 0;
  for (const auto& d : departments_) total += d.integer("headcount");
  return total;
}

std::string Scenario::resolved_toml() const {
  std::string out;
  for (auto section : scenario::section_names()) {
    if (section == "interventions") {
      for (const auto& intervention : interventions_) {
        out += "\n[[interventions]]\n";
        for (const auto& spec : scenario::parameter_table()) {
          if (!spec.key.starts_with("interventions.")) continue;
          const auto field = spec.key.substr(14);
          if (intervention.has(field)) {
            out += fmt::format("{} = {}\n", field, format_value(intervention.setting(field).value));
          }
        }
      }
      continue;
    }
    if (section == "sweep") {
      if (sweep_) out += sweep_toml(*sweep_);
      continue;
    }
    if (section == "departments") {
      for (const auto& department : departments_) {
        out += "\n[[departments]]\n";
        for (const auto& spec : scenario::parameter_table()) {
          if (!spec.key.starts_with("departments.")) continue;
          const auto field = spec.key.substr(12);
          out += fmt::format("{} = {}\n", field, format_value(department.setting(field).value));
        }
      }
      continue;
    }
    out += fmt::format("{}[{}]\n", out.empty() ? "" : "\n", section);
    for (const auto& spec : scenario::parameter_table()) {
      if (spec.key.substr(0, spec.key.find('.')) != section) continue;
      out += fmt::format("{} = {}\n", spec.key.substr(section.size() + 1),
                         format_value(setting(spec.key).value));
    }
  }
  return out;
}

std::string Scenario::hash() const {
  return fnv1a_hash(resolved_toml());
}

std::string fnv1a_hash(std::string_view text) {
  std::uint64_t value = 0xcbf29ce484222325ULL;
  for (const unsigned char c : text) {
    value ^= c;
    value *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", value);
}

}  // namespace orgsim
