#include "experiments/outcome_codec.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace orgsim {
namespace {

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

RunOutcome finished_run() {
  RunOutcome outcome;
  outcome.result.run = 41;
  outcome.result.key = RunKey{20240611, 13, 2};
  outcome.result.seed = run_seed(outcome.result.key);
  outcome.result.equilibrium_step = 77;
  // Values whose bits a careless encoding would change: NaN, -0.0, denormals, extremes.
  outcome.result.organization = {0.25, std::numeric_limits<double>::quiet_NaN(), -0.0,
                                 std::numeric_limits<double>::denorm_min(),
                                 std::numeric_limits<double>::max()};
  outcome.result.departments = {1.0 / 3.0, -1e300, 5e-324};
  return outcome;
}

}  // namespace

TEST_CASE("A run without packed chunks travels with its observables, bit for bit", "[execution]") {
  const auto sent = finished_run();
  const auto received = decode_outcome(encode_outcome(sent));
  CHECK(received.result.run == sent.result.run);
  CHECK(received.result.key.scenario_seed == sent.result.key.scenario_seed);
  CHECK(received.result.key.point == sent.result.key.point);
  CHECK(received.result.key.replicate == sent.result.key.replicate);
  CHECK(received.result.seed == sent.result.seed);
  CHECK(received.result.equilibrium_step == sent.result.equilibrium_step);
  CHECK_FALSE(received.failed);
  CHECK(received.packed.empty());
  CHECK(same_bits(received.result.organization, sent.result.organization));
  CHECK(same_bits(received.result.departments, sent.result.departments));
}

TEST_CASE("A packed run travels as its chunks only", "[execution]") {
  auto sent = finished_run();
  sent.packed = {{1, 2, 3}, {}, {0, 255, 0, 255}};
  const auto bytes = encode_outcome(sent);
  const auto received = decode_outcome(bytes);
  CHECK(received.packed == sent.packed);
  // The writer stores the chunks; the raw values would double the message.
  CHECK(received.result.organization.empty());
  CHECK(received.result.departments.empty());
  // 8 doubles (64 bytes) left out, 7 chunk bytes and 3 lengths (31 bytes) added.
  CHECK(bytes.size() + 64 - 31 == encode_outcome(finished_run()).size());
}

TEST_CASE("A failed run travels with its message", "[execution]") {
  RunOutcome sent;
  sent.result.run = 9;
  sent.failed = true;
  sent.error = "the model threw: caf\xc3\xa9";
  const auto received = decode_outcome(encode_outcome(sent));
  CHECK(received.failed);
  CHECK(received.error == sent.error);
  CHECK(received.result.run == 9);
}

TEST_CASE("A truncated or padded message is refused", "[execution]") {
  auto bytes = encode_outcome(finished_run());
  for (const std::size_t keep : {std::size_t{0}, std::size_t{7}, bytes.size() / 2, bytes.size() - 1}) {
    CAPTURE(keep);
    CHECK_THROWS_AS(decode_outcome(std::span(bytes.data(), keep)), std::runtime_error);
  }
  bytes.push_back(0);
  CHECK_THROWS_AS(decode_outcome(bytes), std::runtime_error);
}

}  // namespace orgsim
