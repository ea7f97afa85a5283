// Random streams: golden values pin the generator and the derivation of
// streams, so a change to either is seen at once; the transforms are checked
// for range and uniformity.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "core/random.hpp"

namespace orgsim {

TEST_CASE("Golden values of the run seed and the streams", "[random][golden]") {
  CHECK(run_seed({1, 0, 0}) == 0xB18A02F46D8D86C3ULL);
  RandomStream stream(run_seed({1, 0, 0}), StreamId::knowledge);
  CHECK(stream() == 0xCBAD0364CAC45D05ULL);
  CHECK(stream() == 0x9A94B0D264A31B98ULL);
}

TEST_CASE("Streams differ by seed, point, replicate and stream id", "[random]") {
  std::set<std::uint64_t> seeds;
  for (std::uint64_t point = 0; point < 20; ++point) {
    for (std::uint64_t replicate = 0; replicate < 50; ++replicate)
      seeds.insert(run_seed({7, point, replicate}));
  }
  CHECK(seeds.size() == 1000);
  RandomStream a(42, StreamId::knowledge), b(42, StreamId::language);
  CHECK(a() != b());
}

TEST_CASE("below() is in range and uniform", "[random]") {
  RandomStream stream(3, StreamId::knowledge);
  constexpr std::uint32_t kBins = 7;
  constexpr int kDraws = 70000;
  std::array<int, kBins> counts{};
  for (int i = 0; i < kDraws; ++i) {
    const auto value = stream.below(kBins);
    REQUIRE(value < kBins);
    ++counts[value];
  }
  double chi_square = 0;
  const double expected = static_cast<double>(kDraws) / kBins;
  for (const int count : counts) chi_square += (count - expected) * (count - expected) / expected;
  // 6 degrees of freedom: P(chi2 > 22.46) = 0.001 for a fair generator.
  CHECK(chi_square < 22.46);
}

TEST_CASE("uniform() is in the unit interval with mean 1/2", "[random]") {
  RandomStream stream(5, StreamId::purpose);
  double sum = 0;
  constexpr int kDraws = 100000;
  for (int i = 0; i < kDraws; ++i) {
    const double u = stream.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  // SE of the mean is sqrt(1/12 / n) ~ 0.0009; 4 SE.
  CHECK(sum / kDraws == Approx(0.5).margin(0.0037));
}

TEST_CASE("BernoulliThreshold hits its probability, 0 and 1 are exact", "[random]") {
  RandomStream stream(9, StreamId::turnover);
  const BernoulliThreshold three_tenths(0.3);
  int hits = 0;
  constexpr int kDraws = 100000;
  for (int i = 0; i < kDraws; ++i) hits += three_tenths(stream) ? 1 : 0;
  // SE = sqrt(0.3 * 0.7 / n) ~ 0.00145; 4 SE.
  CHECK(static_cast<double>(hits) / kDraws == Approx(0.3).margin(0.0058));
  const BernoulliThreshold never(0.0), always(1.0);
  CHECK(never.never());
  for (int i = 0; i < 1000; ++i) {
    CHECK_FALSE(never(stream));
    CHECK(always(stream));
  }
}

}  // namespace orgsim
