// The sweep driver: every run of the plan written and committed into the
// file, a stop leaves the rest pending for a resume, and a resume does only
// what is left.
#include <unistd.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/errors.hpp"
#include "experiments/sweep_driver.hpp"
#include "support/scenarios.hpp"
#include "support/temp_dir.hpp"

namespace orgsim {
namespace {

struct TempDir : testing::TempDir {
  TempDir() : testing::TempDir("orgsim-driver-test") {}
};

namespace fs = std::filesystem;

const std::string kSweep =
    "[scenario]\nsteps = 5\nseed = 11\n[[departments]]\nname = \"Sales\"\nheadcount = 12\n"
    "[sweep]\nreplicates = 2\n[sweep.parameters]\n\"knowledge.socialization_rate\" = [0.1, 0.4]\n";

sweep::SweepSetup setup_in(const TempDir& directory, std::uint32_t threads = 2) {
  return sweep::sweep_setup(sweep::SweepPlan(testing::scenario_from(kSweep)), threads,
                            (directory.path / "sweep.h5").string(), std::nullopt);
}

}  // namespace

TEST_CASE("A sweep writes and commits every run and removes its lock", "[sweep]") {
  const TempDir directory;
  const auto setup = setup_in(directory);
  sweep::SweepOutput output(setup, "orgsim test", sweep::SweepOutput::Opening::create);
  std::uint64_t reported = 0;
  const std::atomic<bool> stop{false};
  const auto tally =
      sweep::drive(setup, output, run_queue, &stop,
                   [&](std::uint64_t done, std::uint64_t failed) { reported = done + failed; });
  CHECK(tally.done == 4);
  CHECK(tally.failed == 0);
  CHECK(tally.pending == 0);
  CHECK(reported == 4);
  CHECK(read_ledger(setup.output).done == 4);
  CHECK_FALSE(fs::exists(setup.output + ".lock"));
}

TEST_CASE("A stopped sweep leaves its runs pending, and a resume does only those", "[sweep]") {
  const TempDir directory;
  const auto setup = setup_in(directory, 1);
  const auto ignore = [](std::uint64_t, std::uint64_t) {};
  {
    sweep::SweepOutput output(setup, "orgsim test", sweep::SweepOutput::Opening::create);
    const std::atomic<bool> stop{true};
    const auto tally = sweep::drive(setup, output, run_queue, &stop, ignore);
    CHECK(tally.done == 0);
    CHECK(tally.pending == 4);
  }
  CHECK(read_ledger(setup.output).pending == 4);
  sweep::SweepOutput resumed(setup, "orgsim test", sweep::SweepOutput::Opening::resume);
  CHECK(resumed.runs().size() == 4);
  const std::atomic<bool> go_on{false};
  CHECK(sweep::drive(setup, resumed, run_queue, &go_on, ignore).done == 4);
  CHECK(read_ledger(setup.output).done == 4);
}

TEST_CASE("A second sweep on the same file is refused while the first holds it", "[sweep]") {
  const TempDir directory;
  const auto setup = setup_in(directory);
  const sweep::SweepOutput first(setup, "orgsim test", sweep::SweepOutput::Opening::create);
  CHECK_THROWS_AS(sweep::SweepOutput(setup, "orgsim test", sweep::SweepOutput::Opening::overwrite),
                  OutputError);
}

}  // namespace orgsim
