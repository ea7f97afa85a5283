#pragma once
// The one table of scenario parameters. The validator, `--set`, `orgsim check`,
// docs/scenarios.md and the defaults section of docs/model.md all read it, so
// the documentation cannot drift from what the code accepts.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

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

// The built-in rows, then the rows of mechanisms registered from outside sim/.
std::span<const ParameterSpec> parameter_table();

// The spec for a dotted key, or nullptr.
const ParameterSpec* find_parameter(std::string_view key);

// Sections that may appear at the top level of a scenario file, in print order;
// a registered mechanism's new section goes before "interventions".
std::span<const std::string_view> section_names();

// One way an intervention kind acts through a mechanism: the declaring
// mechanism and `also_needs` (when set) must both be on. `rank` orders a
// kind's routes in the refusal of an intervention that cannot act, the most
// direct route first.
struct InterventionRoute {
  std::string_view kind;
  std::uint8_t rank = 0;
  std::string_view also_needs = {};
};

// What the scenario layer knows of a mechanism: its section (whose `enabled`
// switches it), its symbol, the intervention kinds acting through it and,
// for a mechanism added outside the built-in table, its parameter rows.
struct MechanismDeclaration {
  std::string_view section;
  std::string_view symbol;
  std::span<const InterventionRoute> routes = {};
  std::span<const ParameterSpec> parameters = {};
};

// The built-in mechanisms in schedule order. Defined by the engine's
// schedule (engine/schedule.cpp), which this layer cannot include: the
// linker resolves it, so every program that validates a scenario knows them.
std::span<const MechanismDeclaration> builtin_mechanism_declarations();

// Built-ins first, then those registered, in the order they were.
std::span<const MechanismDeclaration> mechanism_declarations();

// Throws std::invalid_argument unless `declaration` may join the table: a
// section of one word that the scenario does not have yet, and rows that
// are all in it and not already declared.
void check_new_mechanism(const MechanismDeclaration& declaration);
// Adds a mechanism, checked as above; its rows and new section go before the
// interventions'. The declaration's section and rows are kept by view, so it
// must live as long as the process. Call it before any scenario is read: the
// spans returned above are invalidated.
void register_mechanism(const MechanismDeclaration& declaration);

// The markdown reference printed by `orgsim parameters` into docs/scenarios.md.
std::string parameters_markdown();

// Each parameter's default and the reason for it, by section: printed by
// `orgsim parameters --defaults` into docs/model.md between its markers.
std::string parameter_defaults_markdown();

}  // namespace orgsim::scenario
