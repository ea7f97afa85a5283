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

}  // namespace orgsim
