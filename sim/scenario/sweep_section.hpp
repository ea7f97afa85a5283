#pragma once
// The [sweep] section: which parameters a sweep varies, by which design, and
// how many replicates each point gets. It is parsed with the scenario and
// checked against it, so every value a design can give is one the validator
// accepts before any run starts.
#include <cstdint>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "scenario/design_spec.hpp"

namespace toml {
inline namespace v3 {
class table;
class node;
}  // namespace v3
}  // namespace toml

namespace orgsim {

class Scenario;

struct SweepSection {
  sweep::DesignSpec design;                     // seed 0: derived from the scenario seed (see design_seed)
  std::uint64_t replicates = 0;                 // 0: the scenario's replicates
  std::vector<SourcePosition> parameter_where;  // where each swept parameter is given
  SourcePosition where;
};

SweepSection parse_sweep_section(const toml::table& table, const std::string& file);

// Applies `--set sweep.FIELD=VALUE` (design, replicates, samples, levels, seed).
void set_sweep_field(SweepSection& sweep, const std::string& field, const toml::node& value,
                     const SourcePosition& where);

// Checks the design and every value it can take against the scenario.
void validate_sweep(const Scenario& scenario);

// The section as TOML that parses back to the same section.
std::string sweep_toml(const SweepSection& sweep);

// The key=value override that sets one swept parameter to `value`.
std::string sweep_assignment(const sweep::SweptParameter& parameter, double value);

}  // namespace orgsim
