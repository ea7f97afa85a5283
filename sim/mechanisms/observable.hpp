#pragma once
// What an observable is: one value per step (or per step and department) a
// run records, declared with its name, unit and description and computed by
// its topic from the state at the end of a week. Mechanisms may declare a
// topic in their descriptor; the engine's registry
// (engine/observable_registry.hpp) orders and computes them all.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/organization.hpp"
#include "model/state.hpp"

namespace orgsim {

// An organization observable is one value per step (dimensions run, step);
// a department observable one value per step and department.
enum class ObservableLevel : std::uint8_t { organization, department };

struct ObservableSpec {
  std::string name;  // the results file's variable
  std::string unit;  // UDUNITS style: "1" for a dimensionless number
  std::string description;
  ObservableLevel level = ObservableLevel::organization;
  // A key outcome is shown by `orgsim run`'s summary and by the analysis
  // toolkit's summaries and report, in registry order.
  bool key_outcome = false;
  // Row of `orgsim compare`'s table, 1 first; 0 leaves the observable out.
  // Its own order, not the registry's: the table leads with what people know.
  std::uint8_t compare_row = 0;
  // Compared as the total over steps 1..T (a count per step: the total is the
  // turnover), named `<name>_total`, rather than at the last step.
  bool compare_total = false;
};

// What a topic reads at the end of a step.
struct Observation {
  const EngineConfig& config;
  const Organization& organization;
  const AgentState& agents;
  const SharedState& shared;
  const StepTally& tally;
  // Members of each department, the executive's last: the divisor of a department's mean.
  std::span<const double> members;
};

// Where a topic writes one step's values: its organization observables and,
// for each department, its department observables, each level in the order
// the topic declares them.
class ObservableSlots {
 public:
  ObservableSlots(std::span<double> organization, std::span<double> departments,
                  std::size_t department_stride, std::size_t first_department_slot)
      : organization_(organization),
        departments_(departments),
        department_stride_(department_stride),
        first_department_slot_(first_department_slot) {}
  double& organization(std::size_t which) { return organization_[which]; }
  double& department(std::size_t department, std::size_t which) {
    return departments_[department * department_stride_ + first_department_slot_ + which];
  }

 private:
  std::span<double> organization_;  // the topic's own values only
  std::span<double> departments_;   // the step's values of every topic: [department][observable]
  std::size_t department_stride_;
  std::size_t first_department_slot_;
};

struct ObservableTopic {
  std::string name;
  std::vector<ObservableSpec> observables;
  std::function<void(const Observation&, ObservableSlots&)> compute;
};

}  // namespace orgsim
