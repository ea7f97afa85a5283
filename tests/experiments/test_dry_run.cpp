// A sweep's estimate before it runs: a short timed run, workers no more than
// runs, and a size bound that grows with the runs and the departments.
#include <catch2/catch.hpp>

#include "experiments/dry_run.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

std::string firm(int steps, int departments) {
  std::string text = "[scenario]\nsteps = " + std::to_string(steps) + "\nseed = 3\n";
  for (int i = 0; i < departments; ++i)
    text += "[[departments]]\nname = \"D" + std::to_string(i) + "\"\nheadcount = 10\n";
  return text +
         "[sweep]\nreplicates = 2\n[sweep.parameters]\n\"knowledge.socialization_rate\" = [0.1, 0.4]\n";
}

}  // namespace

TEST_CASE("A dry run times at most 20 steps and counts no more workers than runs", "[sweep]") {
  const sweep::SweepPlan plan(testing::scenario_from(firm(30, 1)));
  const auto estimate = sweep::estimate_sweep(plan, *plan.config_at(0), 8, 3);
  CHECK(estimate.steps == 30);
  CHECK(estimate.calibration_steps == 20);
  CHECK(estimate.workers == 3);
  CHECK(estimate.seconds_per_run >= 0);
  CHECK(estimate.wall_seconds >= 0);
  const sweep::SweepPlan short_plan(testing::scenario_from(firm(5, 1)));
  CHECK(sweep::estimate_sweep(short_plan, *short_plan.config_at(0), 1, 4).calibration_steps == 5);
}

TEST_CASE("A large organization is timed on fewer steps, never fewer than 3 nor more than the horizon",
          "[sweep]") {
  CHECK(sweep::calibration_steps_for(1'200, 260) == 20);
  CHECK(sweep::calibration_steps_for(200'000, 260) == 10);
  CHECK(sweep::calibration_steps_for(1'000'000, 520) == 3);
  CHECK(sweep::calibration_steps_for(1'000'000, 2) == 2);
}

TEST_CASE("A dry run's memory estimate holds at least the run it timed", "[sweep]") {
  const sweep::SweepPlan plan(testing::scenario_from(firm(10, 1)));
  const auto one = sweep::estimate_sweep(plan, *plan.config_at(0), 1, 4);
  CHECK(one.peak_bytes > 0);
  CHECK(sweep::estimate_sweep(plan, *plan.config_at(0), 2, 4).peak_bytes >= one.peak_bytes);
}

TEST_CASE("A dry run's size bound grows with the runs and the departments", "[sweep]") {
  const sweep::SweepPlan one(testing::scenario_from(firm(10, 1)));
  const sweep::SweepPlan three(testing::scenario_from(firm(10, 3)));
  const auto size = [](const sweep::SweepPlan& plan, std::uint64_t runs) {
    return sweep::estimate_sweep(plan, *plan.config_at(0), 1, runs).megabytes;
  };
  CHECK(size(one, 4) == Approx(2 * size(one, 2)));
  CHECK(size(three, 2) > size(one, 2));
}

}  // namespace orgsim
