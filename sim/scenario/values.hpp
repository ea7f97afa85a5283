#pragma once
// Reading and writing single scenario values against their table entry:
// source positions, conversion with type and range checks, defaults, and the
// TOML text of a value. Shared by the scenario sections, departments and
// interventions.
#include <toml++/toml.h>
#include <string>
#include <string_view>

#include "scenario/parameters.hpp"
#include "scenario/scenario.hpp"

namespace orgsim::scenario::detail {

SourcePosition position_of(const toml::node& node, const std::string& file);
SourcePosition position_of(const toml::key& key, const std::string& file);

// The table key closest to `key` (restricted to keys starting with `prefix`).
std::string nearest_key(std::string_view key, std::string_view prefix = {});

std::string format_value(const ParameterValue& value);
std::vector<std::string> split_choices(std::string_view choices);  // "a|b" -> {a, b}
ParameterValue default_value(const ParameterSpec& spec);

// Converts one TOML value, checking its type and range; `shown_key` is the key as the user wrote it.
ParameterValue convert(const ParameterSpec& spec, std::string_view shown_key, const toml::node& node,
                       const SourcePosition& where);

const ParameterSpec& spec_or_throw(const std::string& key, const SourcePosition& where,
                                   std::string_view prefix = {});

// The characters a department or intervention name may hold, as the parameter docs state them.
inline constexpr std::string_view kNameCharacters =
    "letters, digits, spaces, '_', '-' and '&', beginning with a letter or digit and not ending with a space";

using orgsim::check_name;  // declared in scenario.hpp

// Adds the default of every key under `section_prefix` not given; a missing required key is an error.
void fill_defaults(Settings& settings, std::string_view section_prefix, const SourcePosition& where);

}  // namespace orgsim::scenario::detail
