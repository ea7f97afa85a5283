#pragma once
// The one table of scenario parameters. The validator, `--set`, `orgsim check`,
// docs/scenarios.md and the defaults section of docs/model.md all read it, so
// the documentation cannot drift from what the code accepts.
#include <cstdint>
#include <span>
#include <string_view>

namespace orgsim::scenario {

enum class ValueType { integer, real, boolean, text, text_list };

struct ParameterSpec {
  std::string_view key;  // dotted: "section.name"; department fields are "departments.name"
  ValueType type;
  double default_number;          // integer, real and boolean (0/1) defaults
  std::string_view default_text;  // text defaults
  double minimum;
  double maximum;
  std::string_view unit;
  std::string_view symbol;  // the model's symbol and its source, empty if none
  std::string_view description;
  std::string_view reason;        // why the default is what it is (its source, or the judgment behind it)
  std::string_view choices = {};  // text parameters with a fixed vocabulary: "a|b|c"
  bool required = false;          // no default: the scenario must give it
  std::string_view kinds = {};    // interventions only: the kinds this key applies to ("a|b"), empty for all
};

std::span<const ParameterSpec> parameter_table();

// The spec for a dotted key, or nullptr.
const ParameterSpec* find_parameter(std::string_view key);

// Sections that may appear at the top level of a scenario file, in print order.
std::span<const std::string_view> section_names();

// The markdown reference printed by `orgsim parameters` into docs/scenarios.md.
std::string parameters_markdown();

// Each parameter's default and the reason for it, by section: printed by
// `orgsim parameters --defaults` into docs/model.md between its markers.
std::string parameter_defaults_markdown();

}  // namespace orgsim::scenario
