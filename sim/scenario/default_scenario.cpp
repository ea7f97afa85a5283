#include <string_view>

#include "scenario/scenario.hpp"

namespace orgsim {

extern const std::string_view kDefaultScenarioText;  // generated from scenarios/default.toml

std::string_view Scenario::embedded_default_text() {
  return kDefaultScenarioText;
}

Scenario Scenario::embedded_default(const std::vector<std::string>& overrides) {
  return from_text(std::string(kDefaultScenarioText), "<default scenario>", overrides);
}

}  // namespace orgsim
