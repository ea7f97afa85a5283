#pragma once
// The mechanisms of a run and the orders in which their hooks are called.
// engine/schedule.cpp lists them; Simulation walks the lists and names no
// mechanism except K, whose equilibrium the run reports.
#include <span>
#include <string_view>
#include <vector>

#include "mechanisms/mechanism.hpp"

namespace orgsim {

enum class Hook : std::uint8_t { prepare, step };

struct WeekEntry {
  std::string_view mechanism;  // its section
  Hook hook;
};

struct Schedule {
  std::vector<const MechanismDescriptor*> mechanisms;  // built-ins in schedule order, then extras
  std::vector<std::string_view> initialize;
  std::vector<WeekEntry> week;  // before turnover, which closes every week
  std::vector<std::string_view> hire;
};

// The schedule with every registered mechanism. Extras come after the
// built-ins in each list, in the order they were registered.
const Schedule& schedule();

// The built-in mechanisms' descriptors alone, in schedule order.
std::span<const MechanismDescriptor* const> builtin_mechanisms();

// Adds a mechanism defined outside sim/ (its parameter rows and section too,
// through the scenario layer, and its observables, through the registry).
// The schedule keeps `descriptor` by address and its section by view, so it
// must live as long as the process (a namespace-scope constant). Call before
// reading any scenario or building any run; not thread-safe. Throws
// std::invalid_argument, registering nothing, for a stream numbered up to
// kLastBuiltinStream or taken by another mechanism, a section the scenario
// already has, a parameter row outside the section or already in the table,
// no `SECTION.enabled` row when the descriptor gives no rule of its own, or
// an observable name taken.
void register_mechanism(const MechanismDescriptor& descriptor);

}  // namespace orgsim
