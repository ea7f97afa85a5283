// The run summary's statistics.
#include <catch2/catch.hpp>
#include <cmath>

#include "reporting/summary.hpp"

namespace orgsim {

TEST_CASE("Mean and Student-t 95% interval", "[summary]") {
  // Values 1..5: mean 3, sd sqrt(2.5), SE sqrt(0.5); t(4, 0.975) = 2.776445.
  const auto interval = mean_interval({1, 2, 3, 4, 5});
  CHECK(interval.mean == Approx(3.0));
  CHECK(interval.low == Approx(3.0 - 2.776445 * std::sqrt(0.5)).epsilon(1e-6));
  CHECK(interval.high == Approx(3.0 + 2.776445 * std::sqrt(0.5)).epsilon(1e-6));
  CHECK(interval.count == 5);
}

TEST_CASE("NaN values are skipped, one value has no width", "[summary]") {
  const auto interval = mean_interval({std::nan(""), 2.0});
  CHECK(interval.count == 1);
  CHECK(interval.mean == 2.0);
  CHECK(interval.low == interval.high);
  CHECK(mean_interval({std::nan("")}).count == 0);
}

}  // namespace orgsim
