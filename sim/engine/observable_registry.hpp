#pragma once
// Every observable is declared once, here: its name, unit, description,
// level and how the reports show it, in a topic whose one compute function
// fills the topic's own values each step. A topic groups the observables
// that share a pass over the agents. The results file, `orgsim run`'s
// summary, `orgsim compare`, the analysis toolkit (through the file's
// attributes) and docs/output.md (through `orgsim observables`) all read the
// registry, so an observable added here appears in each of them.
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

// A registered topic and where its values sit in a step's values.
struct RegisteredTopic {
  ObservableTopic topic;
  std::size_t first_organization = 0, organization_count = 0;
  std::size_t first_department = 0, department_count = 0;
};

// Appends `topic` after the built-in topics and any registered before it:
// its observables become variables of every results file written after, and
// values of every RunResult. For a test or a mechanism outside sim/; call it
// before any run starts, since runs, writers and reports size themselves
// from the registry. Throws std::invalid_argument for a topic without a
// compute function or observables, or a name (of the topic or an
// observable) already taken.
void register_observable_topic(ObservableTopic topic);
// Takes a registered topic out again, so that a test leaves the registry as
// it found it (tests/support/observables.hpp); the topics after it move up.
// Like registering, only while no run is under way. Throws
// std::invalid_argument when no topic has that name.
void unregister_observable_topic(const std::string& name);

std::span<const RegisteredTopic> observable_topics();
// Each level's observables in registry order: RunResult's and the results file's order.
std::span<const ObservableSpec> organization_observables();
std::span<const ObservableSpec> department_observables();
// Place of organization observable `index` among the key outcomes, 1 first,
// or 0: the order of the summaries and the results file's `key_outcome`.
std::size_t key_outcome_place(std::size_t index);

// The markdown table of one level's observables, as docs/output.md shows it.
std::string observables_markdown(ObservableLevel level);

}  // namespace orgsim
