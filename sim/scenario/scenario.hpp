#pragma once
// A parsed, validated scenario: an immutable value. The engine copies what it
// needs from it and never reaches back.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/errors.hpp"
#include "scenario/sweep_section.hpp"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace orgsim {

using ParameterValue = std::variant<std::int64_t, double, bool, std::string, std::vector<std::string>>;

struct Setting {
  ParameterValue value;
  SourcePosition where;
  bool is_default = false;
};

using Settings = std::map<std::string, Setting, std::less<>>;

// The setting `field` of one [[section]] table, read at `where`. Defaults are
// filled in, so a field that is not there is a programming error: throws
// std::logic_error naming section.field and the table's position.
const Setting& section_setting(const Settings& settings, std::string_view section, std::string_view field,
                               const SourcePosition& where);

struct DepartmentSpec {
  std::string name;
  Settings settings;  // keyed by field name ("headcount"), defaults filled in
  SourcePosition where;

  // Each accessor throws std::logic_error for a field the table lacks (section_setting).
  const Setting& setting(std::string_view field) const {
    return section_setting(settings, "departments", field, where);
  }
  double real(std::string_view field) const;
  std::int64_t integer(std::string_view field) const;
  const std::string& text(std::string_view field) const;
};

// One timed intervention: its kind, start, duration, targets and the keys
// of its kind (given or defaulted).
struct InterventionSpec {
  Settings settings;  // keyed by field name ("start"), the kind's defaults filled in
  SourcePosition where;

  // Each accessor throws std::logic_error for a field the table lacks (section_setting);
  // has() tells whether the intervention's kind takes the field.
  const Setting& setting(std::string_view field) const {
    return section_setting(settings, "interventions", field, where);
  }
  const std::string& kind() const { return std::get<std::string>(setting("kind").value); }
  bool has(std::string_view field) const { return settings.find(field) != settings.end(); }
  double real(std::string_view field) const { return std::get<double>(setting(field).value); }
  std::int64_t integer(std::string_view field) const { return std::get<std::int64_t>(setting(field).value); }
  const std::string& text(std::string_view field) const {
    return std::get<std::string>(setting(field).value);
  }
  bool boolean(std::string_view field) const { return std::get<bool>(setting(field).value); }
  const std::vector<std::string>& list(std::string_view field) const {
    return std::get<std::vector<std::string>>(setting(field).value);
  }
};

// What a scenario's text may be, checked before the TOML reader sees it.
// Scenarios are short files (the largest shipped one is a few KB); the limit
// keeps a wrong path (/dev/zero, a results file) from filling memory.
inline constexpr std::size_t kMaxScenarioBytes = std::size_t{16} << 20;
// No scenario key has more than three parts (departments.NAME.FIELD); toml++
// 3.3 recurses once per part of a dotted key or table header, so tens of
// thousands of parts overflow the stack. More than this many is refused.
inline constexpr std::size_t kMaxKeyParts = 64;
// Department indices are 16-bit, with one value kept for the executive.
inline constexpr std::size_t kMaxDepartments = 65534;

class Scenario {
 public:
  // `overrides` are "key=value" strings as given to --set.
  static Scenario from_file(const std::string& path, const std::vector<std::string>& overrides = {});
  static Scenario from_text(std::string text, const std::string& source_name,
                            const std::vector<std::string>& overrides = {});
  // The scenario compiled into the binary (scenarios/default.toml).
  static Scenario embedded_default(const std::vector<std::string>& overrides = {});
  static std::string_view embedded_default_text();

  double real(std::string_view key) const;
  std::int64_t integer(std::string_view key) const;
  bool boolean(std::string_view key) const;
  const std::string& text(std::string_view key) const;
  const Setting& setting(std::string_view key) const;
  // Every parameter outside the departments, interventions and [sweep], by dotted key, defaults
  // included: the rows of parameter_table() in those sections, each once.
  const Settings& settings() const { return settings_; }

  const std::vector<DepartmentSpec>& departments() const { return departments_; }
  const std::vector<InterventionSpec>& interventions() const { return interventions_; }
  std::int64_t total_headcount() const;
  // The [sweep] section, or nullptr when the scenario has none.
  const SweepSection* sweep() const { return sweep_.get(); }

  const std::string& source_text() const { return *source_text_; }
  const std::string& source_name() const { return source_name_; }
  // Every parameter, defaults included, as TOML that loads back to the same scenario.
  std::string resolved_toml() const;
  // FNV-1a 64 of the resolved TOML, as 16 hex digits: identifies what actually ran.
  std::string hash() const;

  // Applies one "key=value" override with the same validation as the file.
  void apply_override(const std::string& assignment);
  // A copy with overrides applied and the cross-checks of the whole scenario redone.
  Scenario with(const std::vector<std::string>& assignments) const;

 private:
  Settings settings_;
  std::vector<DepartmentSpec> departments_;
  std::vector<InterventionSpec> interventions_;
  // Shared between copies, which a sweep makes per value and per point: copying a sweep's
  // million values or a 16 MiB text for each would make checking a sweep quadratic.
  std::shared_ptr<const SweepSection> sweep_;
  std::shared_ptr<const std::string> source_text_ = std::make_shared<const std::string>();
  std::string source_name_;
};

// Parses one [[interventions]] table (keys, types, ranges, which keys its kind takes).
InterventionSpec parse_intervention(const toml::table& table, const std::string& file);

// Checks interventions against the rest of the scenario: known departments,
// a start within the horizon, a word where the kind needs one, no enabled
// intervention whose mechanisms are all off, and no two language programmes
// spreading the same word at the same time.
void validate_interventions(const Scenario& scenario);

// Refuses (ScenarioError at `where`) a scenario, department or intervention
// name with characters other than letters, digits, spaces, '_', '-' and '&',
// beginning with a letter or digit and not ending with a space: names become
// parts of dotted keys (departments.NAME.FIELD), of variable names in the
// results file, where '/' separates groups, of the TOML the file stores and,
// for a scenario, of the default output file name, so '.', '/', quotes,
// backslashes and control characters would break one of them. `what` is
// "scenario", "department", "intervention" or "arm". With `beyond_ascii`
// (scenario and arm names, which name files and table rows but no variable),
// characters beyond ASCII are taken too, as well-formed UTF-8.
void check_name(const std::string& name, std::string_view what, const SourcePosition& where,
                bool beyond_ascii = false);

// FNV-1a 64 of `text`, as 16 hex digits.
std::string fnv1a_hash(std::string_view text);

// Levenshtein distance, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Levenshtein distance when it is at most `bound`, else a value above
// `bound`; O(bound x length) rather than O(length x length).
std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t bound);

}  // namespace orgsim
