// One run from a configuration and a key: the key's own seed unless a file
// recorded another, so that a stored run repeats bit for bit.
#include <catch2/catch.hpp>
#include <cstring>

#include "experiments/run_one.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

const std::string kSmallFirm =
    "[scenario]\nsteps = 8\nseed = 5\n[[departments]]\nname = \"Sales\"\nheadcount = 20\n";

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("A run without a seed runs on its key's seed; a given seed replaces it", "[execution]") {
  const auto config = testing::config_from(kSmallFirm);
  const RunKey key{5, 0, 3};
  const auto by_key = run_one(config, key);
  CHECK(by_key.seed == run_seed(key));
  CHECK(by_key.key.replicate == 3);
  const auto by_stored_seed = run_one(config, key, run_seed(key));
  CHECK(same_bits(by_key.organization, by_stored_seed.organization));
  CHECK(same_bits(by_key.departments, by_stored_seed.departments));
  const auto other_seed = run_one(config, key, run_seed(key) + 1);
  CHECK(other_seed.seed == run_seed(key) + 1);
  CHECK_FALSE(same_bits(by_key.organization, other_seed.organization));
}

TEST_CASE("Big runs fewer than the threads share the spare ones out", "[execution][threads]") {
  const std::uint32_t big = kThreadedRunAgents;
  CHECK(threads_per_run(big, 1, 2) == 2);
  CHECK(threads_per_run(big, 1, 8) == 8);
  CHECK(threads_per_run(big, 3, 8) == 2);  // two each; the other two threads run nothing
  CHECK(threads_per_run(big, 2, 2) == 1);  // as many runs as threads: one each
  CHECK(threads_per_run(big, 100, 2) == 1);
  CHECK(threads_per_run(big - 1, 1, 2) == 1);  // a small run would not repay the waiting
  CHECK(threads_per_run(big, 1, 1) == 1);
  CHECK(threads_per_run(big, 0, 4) == 1);
}

TEST_CASE("A run on threads of its own gives its one-thread bits", "[execution][threads]") {
  const auto config = testing::config_from(kSmallFirm);
  const RunKey key{5, 0, 3};
  const auto alone = run_one(config, key);
  const auto threaded = run_one(config, key, std::nullopt, nullptr, 2);
  CHECK(same_bits(alone.organization, threaded.organization));
  CHECK(same_bits(alone.departments, threaded.departments));
}

}  // namespace orgsim
