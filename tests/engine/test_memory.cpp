// The memory check: a scenario is refused when its runs need more than the
// memory available now (MemAvailable, or a cgroup's limit), not the total
// RAM, which a busy machine cannot hand out; and the messages say what was
// asked for, what is available and where that figure comes from.
#include "engine/memory.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "core/errors.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("Available memory is at most the RAM and says where it comes from", "[memory]") {
  const auto memory = available_memory();
  CHECK(memory.bytes > 0);
  CHECK(memory.bytes <= memory.total);
  if (std::filesystem::exists("/proc/meminfo")) {
    CHECK((contains(memory.source, "MemAvailable") || contains(memory.source, "cgroup")));
  }
}

TEST_CASE("Runs that fit in the RAM but not in the memory available are refused", "[memory]") {
  const auto scenario = testing::scenario_from("[[departments]]\nname = \"Ops\"\nheadcount = 2000\n");
  const auto config = EngineConfig::from(scenario);
  const auto memory = available_memory();
  const auto run = estimated_run_bytes(config);
  // As many concurrent runs as fill the gap between available and total
  // memory: accepted when the check compared with the total RAM.
  if (memory.total - memory.bytes < 2 * run) {
    WARN("less than two runs' worth between available and total memory: nothing to tell apart");
    return;
  }
  const auto runs = static_cast<std::uint32_t>(memory.bytes / run + 1);
  REQUIRE(std::uint64_t{runs} * run <= memory.total);
  try {
    check_fits_in_memory(scenario, config, runs);
    FAIL("no error");
  } catch (const ScenarioError& error) {
    CHECK(error.kind() == ScenarioError::Kind::too_large);
    CHECK(contains(error.what(), "GiB available ("));
    CHECK(contains(error.what(), memory.source));
  }
  CHECK_NOTHROW(check_fits_in_memory(scenario, config, 1));
}

TEST_CASE("Out of memory is one line with what was asked for and what is available", "[memory]") {
  const auto message = out_of_memory_message(7, 3ULL << 30U, 4);
  CHECK(contains(message, "out of memory in run 7"));
  CHECK(contains(message, "3.00 GiB"));
  CHECK(contains(message, "12.00 GiB in all"));
  CHECK(contains(message, available_memory().source));
  CHECK_FALSE(contains(message, "\n"));
}

}  // namespace orgsim
