// The scenario reader and validator under a fuzzer: any text is either a
// scenario or one ScenarioError, never a crash, a hang, another exception or
// an error of more than one line. A scenario that is read writes a resolved
// TOML that reads back to the same scenario. Built twice: with libFuzzer
// (clang, scripts/fuzz) to search, and with the replay driver
// (replay_main.cpp) so that CTest replays every input ever found.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/errors.hpp"
#include "model/config.hpp"
#include "scenario/scenario.hpp"

namespace {

// A property broken: say which on stderr and abort, which the fuzzer and
// the replay driver both report as a failure with the input that did it.
[[noreturn]] void broken(const char* property, const std::string& detail) {
  std::fprintf(stderr, "scenario fuzzer: %s\n%s\n", property, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto scenario = orgsim::Scenario::from_text(text, "fuzz.toml");
    (void)orgsim::EngineConfig::from(scenario);
    const auto resolved = scenario.resolved_toml();
    const auto again = orgsim::Scenario::from_text(resolved, "resolved.toml");
    if (again.hash() != scenario.hash()) broken("the resolved TOML reads back to another scenario", resolved);
  } catch (const orgsim::ScenarioError& error) {
    const std::string message = error.what();
    if (message.find_first_of("\n\r") != std::string::npos) broken("an error of more than one line", message);
    for (const char c : message) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
        broken("an error with a control character", message);
    }
  }
  return 0;
}
