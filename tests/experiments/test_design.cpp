// Experimental designs: the point order each analysis relies on, the
// structure each sampling scheme promises, reproducibility from the design
// seed, and one rejection per kind of impossible spec.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <stdexcept>

#include "experiments/design.hpp"

namespace orgsim::sweep {
namespace {

SweptParameter given(std::string key, std::vector<double> values) {
  SweptParameter parameter;
  parameter.key = std::move(key);
  parameter.values = std::move(values);
  return parameter;
}

SweptParameter ranged(std::string key, double minimum, double maximum, bool integer = false) {
  SweptParameter parameter;
  parameter.key = std::move(key);
  parameter.minimum = minimum;
  parameter.maximum = maximum;
  parameter.integer = integer;
  return parameter;
}

DesignSpec sampled(DesignKind kind, std::uint64_t samples, std::uint64_t seed = 1) {
  DesignSpec spec;
  spec.kind = kind;
  spec.samples = samples;
  spec.seed = seed;
  spec.parameters = {ranged("a", 0.0, 1.0), ranged("b", -2.0, 6.0), ranged("c", 10.0, 10.5)};
  return spec;
}

void check_within_ranges(const DesignSpec& spec, const Design& design) {
  for (const auto& point : design.points) {
    REQUIRE(point.size() == spec.parameters.size());
    for (std::size_t j = 0; j < point.size(); ++j) {
      CHECK(point[j] >= spec.parameters[j].minimum);
      CHECK(point[j] <= spec.parameters[j].maximum);
    }
  }
  for (const auto& point : design.unit) {
    for (const double u : point) {
      CHECK(u >= 0.0);
      CHECK(u <= 1.0);
    }
  }
}

}  // namespace

TEST_CASE("A grid is the full factorial with the last parameter fastest", "[sweep][design]") {
  DesignSpec spec;
  spec.kind = DesignKind::grid;
  spec.parameters = {given("x", {1, 2}), given("y", {10, 20, 30})};
  const Design design = make_design(spec);
  CHECK(design.keys == std::vector<std::string>{"x", "y"});
  const std::vector<std::vector<double>> expected = {{1, 10}, {1, 20}, {1, 30}, {2, 10}, {2, 20}, {2, 30}};
  CHECK(design.points == expected);
  CHECK(design.unit.empty());
}

TEST_CASE("A zip takes the i-th value of every parameter together", "[sweep][design]") {
  DesignSpec spec;
  spec.kind = DesignKind::zip;
  spec.parameters = {given("x", {1, 2, 3}), given("y", {0.5, 0.25, 0.125})};
  const std::vector<std::vector<double>> expected = {{1, 0.5}, {2, 0.25}, {3, 0.125}};
  CHECK(make_design(spec).points == expected);
}

TEST_CASE("A zip of lists of different lengths is rejected", "[sweep][design][errors]") {
  DesignSpec spec;
  spec.kind = DesignKind::zip;
  spec.parameters = {given("x", {1, 2, 3}), given("y", {0.5, 0.25})};
  CHECK_THROWS_WITH(make_design(spec),
                    Catch::Contains("zip lists differ in length") && Catch::Contains("'y'"));
}

TEST_CASE("A Latin hypercube uses each stratum of each parameter once", "[sweep][design]") {
  const DesignSpec spec = sampled(DesignKind::latin_hypercube, 50, 7);
  const Design design = make_design(spec);
  REQUIRE(design.points.size() == 50);
  REQUIRE(design.unit.size() == 50);
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    std::set<long> strata;
    for (const auto& point : design.unit)
      strata.insert(std::min(49L, static_cast<long>(std::floor(point[j] * 50))));
    CHECK(strata.size() == 50);
  }
  check_within_ranges(spec, design);
  // Values are the unit coordinates scaled into each range.
  CHECK(design.points[3][1] == Approx(-2.0 + design.unit[3][1] * 8.0));
}

TEST_CASE("A Latin hypercube is fixed by its seed", "[sweep][design][golden]") {
  const Design first = make_design(sampled(DesignKind::latin_hypercube, 20, 3));
  CHECK(make_design(sampled(DesignKind::latin_hypercube, 20, 3)).points == first.points);
  CHECK(make_design(sampled(DesignKind::latin_hypercube, 20, 4)).points != first.points);
  // Golden values pin the draw order, so a change to it is seen at once.
  CHECK(first.unit[0][0] == 0x1.739dbb8d33a62p-3);   // 0.18145319485343508
  CHECK(first.unit[19][2] == 0x1.8a30f40b54fe8p-2);  // 0.384952367011691
}

TEST_CASE("Sampled integer parameters are rounded into their range", "[sweep][design]") {
  DesignSpec spec = sampled(DesignKind::latin_hypercube, 40, 11);
  spec.parameters = {ranged("n", 0.0, 3.0, true), ranged("m", 0.5, 2.5, true)};
  const Design design = make_design(spec);
  std::set<double> seen_n, seen_m;
  for (const auto& point : design.points) {
    CHECK(point[0] == std::round(point[0]));
    CHECK(point[1] == std::round(point[1]));
    seen_n.insert(point[0]);
    seen_m.insert(point[1]);
  }
  CHECK(seen_n == std::set<double>{0, 1, 2, 3});
  CHECK(seen_m == std::set<double>{1, 2});  // 0.5 and 2.5 are bounds, not integers
}

TEST_CASE("A Sobol design has Saltelli's rows A, AB(1..k), B per base row", "[sweep][design]") {
  const DesignSpec spec = sampled(DesignKind::sobol, 16);
  const std::size_t k = spec.parameters.size();
  const Design design = make_design(spec);
  REQUIRE(design.points.size() == 16 * (k + 2));
  REQUIRE(design.unit.size() == design.points.size());
  for (std::size_t row = 0; row < 16; ++row) {
    const auto& a = design.unit[row * (k + 2)];
    const auto& b = design.unit[row * (k + 2) + k + 1];
    for (std::size_t i = 0; i < k; ++i) {
      const auto& mixed = design.unit[row * (k + 2) + 1 + i];
      for (std::size_t j = 0; j < k; ++j) CHECK(mixed[j] == (j == i ? b[j] : a[j]));
    }
  }
  check_within_ranges(spec, design);
  const auto& first = design.unit.front();
  CHECK(std::any_of(first.begin(), first.end(), [](double u) { return u != 0.0; }));
}

TEST_CASE("Sobol base rows are the Joe-Kuo points 1, 2, ... as SALib computes them",
          "[sweep][design][golden]") {
  DesignSpec spec;
  spec.kind = DesignKind::sobol;
  spec.samples = 4;
  spec.parameters = {ranged("a", 0.0, 1.0), ranged("b", 0.0, 1.0)};
  const Design design = make_design(spec);
  // Points 1..4 of the 4-dimensional sequence, from SALib's sobol_sequence
  // recurrence; A is the first two coordinates, B the last two.
  const std::vector<std::vector<double>> expected = {
      {0.5, 0.5},     {0.5, 0.5},     {0.5, 0.5},     {0.5, 0.5},       // point 1
      {0.75, 0.25},   {0.25, 0.25},   {0.75, 0.25},   {0.25, 0.25},     // point 2
      {0.25, 0.75},   {0.75, 0.75},   {0.25, 0.75},   {0.75, 0.75},     // point 3
      {0.375, 0.375}, {0.625, 0.375}, {0.375, 0.875}, {0.625, 0.875}};  // point 4
  CHECK(design.unit == expected);
}

TEST_CASE("Morris trajectories move one factor by delta at a time on the grid", "[sweep][design]") {
  DesignSpec spec = sampled(DesignKind::morris, 30, 5);
  spec.levels = 6;
  const std::size_t k = spec.parameters.size();
  const double delta = 6.0 / (2.0 * 5.0);
  const Design design = make_design(spec);
  REQUIRE(design.points.size() == 30 * (k + 1));
  REQUIRE(design.unit.size() == design.points.size());
  for (const auto& point : design.unit) {
    for (const double u : point) CHECK(std::abs(u * 5.0 - std::round(u * 5.0)) < 1e-12);
  }
  check_within_ranges(spec, design);
  for (std::size_t trajectory = 0; trajectory < 30; ++trajectory) {
    std::vector<int> moves(k, 0);
    for (std::size_t step = 0; step < k; ++step) {
      const auto& before = design.unit[trajectory * (k + 1) + step];
      const auto& after = design.unit[trajectory * (k + 1) + step + 1];
      int changed = 0;
      for (std::size_t j = 0; j < k; ++j) {
        if (after[j] == before[j]) continue;
        ++changed;
        ++moves[j];
        CHECK(std::abs(std::abs(after[j] - before[j]) - delta) < 1e-12);
      }
      CHECK(changed == 1);
    }
    CHECK(moves == std::vector<int>(k, 1));
  }
}

TEST_CASE("Morris trajectories are fixed by the seed", "[sweep][design][golden]") {
  DesignSpec spec = sampled(DesignKind::morris, 10, 9);
  const Design first = make_design(spec);
  CHECK(make_design(spec).unit == first.unit);
  spec.seed = 10;
  CHECK(make_design(spec).unit != first.unit);
  // The first trajectory, in grid levels of 1/3 (delta = 2/3): c, a, b move up.
  const double third = 1.0 / 3.0;
  const std::vector<std::vector<double>> expected = {
      {third, third, third}, {third, third, 1.0}, {1.0, third, 1.0}, {1.0, 1.0, 1.0}};
  CHECK(std::vector<std::vector<double>>(first.unit.begin(), first.unit.begin() + 4) == expected);
}

TEST_CASE("The SALib problem lists names in order and bounds that read back exactly", "[sweep][design]") {
  DesignSpec spec = sampled(DesignKind::sobol, 8);
  spec.parameters = {ranged("departments.Sales.incentive_weight", 0.1, 0.7), ranged("turnover.rate", 0, 1e-3),
                     ranged("odd\"key", -2.5, 3)};
  CHECK(salib_problem_json(spec) ==
        "{\"num_vars\": 3, \"names\": [\"departments.Sales.incentive_weight\", \"turnover.rate\", "
        "\"odd\\\"key\"], \"bounds\": [[0.1, 0.7], [0, 0.001], [-2.5, 3]]}");
  spec.kind = DesignKind::grid;
  spec.parameters = {given("x", {3, 1, 2}), given("y", {0.1 + 0.2})};
  CHECK(salib_problem_json(spec) ==
        "{\"num_vars\": 2, \"names\": [\"x\", \"y\"], \"bounds\": [[1, 3], [0.30000000000000004, "
        "0.30000000000000004]]}");
}

TEST_CASE("Design names", "[sweep][design]") {
  CHECK(std::string(design_name(DesignKind::grid)) == "grid");
  CHECK(std::string(design_name(DesignKind::zip)) == "zip");
  CHECK(std::string(design_name(DesignKind::latin_hypercube)) == "latin_hypercube");
  CHECK(std::string(design_name(DesignKind::sobol)) == "sobol");
  CHECK(std::string(design_name(DesignKind::morris)) == "morris");
}

TEST_CASE("Impossible design specs are rejected with a reason", "[sweep][design][errors]") {
  DesignSpec spec = sampled(DesignKind::latin_hypercube, 10);
  SECTION("no parameters") {
    spec.parameters.clear();
    CHECK_THROWS_WITH(make_design(spec), Catch::Contains("no parameters"));
  }
  SECTION("no samples") {
    spec.samples = 0;
    CHECK_THROWS_WITH(make_design(spec), Catch::Contains("samples > 0"));
  }
  SECTION("minimum above maximum") {
    spec.parameters[1] = ranged("b", 2.0, 1.0);
    CHECK_THROWS_WITH(make_design(spec), Catch::Contains("'b'") && Catch::Contains("minimum 2 > maximum 1"));
  }
  SECTION("a bound that is not finite") {
    spec.parameters[0].maximum = INFINITY;
    CHECK_THROWS_WITH(make_design(spec), Catch::Contains("not finite"));
  }
  SECTION("an integer parameter with no integer in its range") {
    spec.parameters[0] = ranged("n", 0.2, 0.8, true);
    CHECK_THROWS_WITH(make_design(spec), Catch::Contains("no integer"));
  }
  SECTION("a parameter swept twice") {
    spec.parameters[2] = ranged("a", 0.0, 1.0);
    CHECK_THROWS_WITH(make_design(spec), Catch::Contains("'a' is swept twice"));
  }
  SECTION("too few or odd Morris levels") {
    spec.kind = DesignKind::morris;
    spec.levels = 1;
    CHECK_THROWS_WITH(make_design(spec), Catch::Contains("even number of levels"));
    spec.levels = 5;
    CHECK_THROWS_WITH(make_design(spec), Catch::Contains("even number of levels"));
  }
  SECTION("a grid parameter without values") {
    spec.kind = DesignKind::grid;
    spec.parameters = {given("x", {1, 2}), given("y", {})};
    CHECK_THROWS_WITH(make_design(spec), Catch::Contains("'y' has no values"));
  }
  SECTION("a design too large to run") {
    spec.kind = DesignKind::sobol;
    spec.samples = 50'000'000;
    CHECK_THROWS_WITH(make_design(spec), Catch::Contains("more than"));
  }
  SECTION("the SALib problem of an impossible spec") {
    spec.parameters[1] = ranged("b", 2.0, 1.0);
    CHECK_THROWS_AS(salib_problem_json(spec), std::invalid_argument);
  }
}

}  // namespace orgsim::sweep
