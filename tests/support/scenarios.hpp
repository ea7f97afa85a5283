#pragma once
// Small helpers the tests share: scenarios written inline, configs from them.
#include <memory>
#include <string>

#include "model/config.hpp"
#include "scenario/scenario.hpp"

namespace orgsim::testing {

inline Scenario scenario_from(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return Scenario::from_text(text, "test.toml", overrides);
}

inline std::shared_ptr<const EngineConfig> config_from(const std::string& text,
                                                       const std::vector<std::string>& overrides = {}) {
  return std::make_shared<const EngineConfig>(EngineConfig::from(scenario_from(text, overrides)));
}

inline std::string source_path(const std::string& relative) {
  return std::string(ORGSIM_SOURCE_DIR) + "/" + relative;
}

}  // namespace orgsim::testing
