#pragma once
// Every observable is declared once, in a topic (mechanisms/observable.hpp):
// its name, unit, description, level and how the reports show it, with the
// topic's one compute function that fills the topic's own values each step.
// The built-in topics are listed in engine/observables/topics.hpp; a
// mechanism may name its own in its descriptor. A topic groups the observables
// that share a pass over the agents. The results file, `orgsim run`'s
// summary, `orgsim compare`, the analysis toolkit (through the file's
// attributes) and docs/output.md (through `orgsim observables`) all read the
// registry, so an observable added here appears in each of them.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "mechanisms/observable.hpp"

namespace orgsim {

// A registered topic and where its values sit in a step's values.
struct RegisteredTopic {
  ObservableTopic topic;
  std::size_t first_organization = 0, organization_count = 0;
  std::size_t first_department = 0, department_count = 0;
};

// The registry holds the built-in topics, then the topics the built-in
// mechanisms' descriptors name, then those registered here, in order.
// Appends `topic` after the topics and any registered before it:
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
// The names the results file gives its own variables (coordinates, per-run
// columns, the design): no observable may take one. A test in
// tests/results/ checks the writer uses no other name.
std::span<const std::string_view> reserved_variable_names();
// Each level's observables in registry order: RunResult's and the results file's order.
std::span<const ObservableSpec> organization_observables();
std::span<const ObservableSpec> department_observables();
// Place of organization observable `index` among the key outcomes, 1 first,
// or 0: the order of the summaries and the results file's `key_outcome`.
std::size_t key_outcome_place(std::size_t index);

// The markdown table of one level's observables, as docs/output.md shows it.
std::string observables_markdown(ObservableLevel level);

}  // namespace orgsim
