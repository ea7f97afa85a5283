#pragma once
// A topic registered for one test: the registry is the process's, and the
// tests of one executable share a process when run together.
#include <string>
#include <utility>

#include "engine/observable_registry.hpp"

namespace orgsim::testing {

class ScopedObservableTopic {
 public:
  explicit ScopedObservableTopic(ObservableTopic topic) : name_(topic.name) {
    register_observable_topic(std::move(topic));
  }
  ~ScopedObservableTopic() { unregister_observable_topic(name_); }
  ScopedObservableTopic(const ScopedObservableTopic&) = delete;
  ScopedObservableTopic& operator=(const ScopedObservableTopic&) = delete;

 private:
  std::string name_;
};

}  // namespace orgsim::testing
