// X (cross-silo encounters): failed games across departments become blame,
// successful ones pass knowledge; nothing passes without a shared word.
#include <catch2/catch.hpp>

#include "engine/simulation.hpp"
#include "mechanisms/encounters.hpp"
#include "support/results.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

using testing::org_value;

// Two silos paid on opposite KPIs; the jargon decides whether they can talk.
std::string silos(const std::string& jargon_a, const std::string& jargon_b) {
  return "[scenario]\nsteps = 60\n[organization]\ncross_degree = 3\n[purpose]\nenabled = false\n"
         "[engagement]\nenabled = true\ndisengagement_turnover = 0\n"
         "[[departments]]\nname = \"A\"\nheadcount = 80\nincentive_weight = 0.8\nkpi_alignment = 1\n"
         "purpose_baseline = 0\npurpose_spread = 0\njargon = \"" +
         jargon_a +
         "\"\n"
         "[[departments]]\nname = \"B\"\nheadcount = 80\nincentive_weight = 0.8\nkpi_alignment = 0\n"
         "purpose_baseline = 0\npurpose_spread = 0\njargon = \"" +
         jargon_b + "\"\n";
}

}  // namespace

TEST_CASE("Blame costs both sides engagement; a transfer copies one differing belief", "[encounters]") {
  const auto config =
      testing::config_from(silos("a", "b"), {"encounters.enabled=true", "encounters.blame_penalty=0.1"});
  Simulation simulation(config, RunKey{1, 0, 0});
  auto& agents = simulation.agents();
  const EncounterMechanism encounters(*config);
  agents.engagement[3] = 0.5F;
  agents.engagement[90] = 0.05F;
  encounters.blame(agents, 3, 90);
  CHECK(agents.engagement[3] == Approx(0.4F));
  CHECK(agents.engagement[90] == 0.0F);  // never below zero

  const auto before = agents.beliefs.row(90);
  int differing = 0;
  for (std::size_t j = 0; j < before.size(); ++j)
    differing += before[j] != agents.beliefs.get(3, static_cast<std::uint32_t>(j)) ? 1 : 0;
  REQUIRE(differing > 0);
  RandomStream stream(2, StreamId::encounters);
  CHECK(EncounterMechanism::transfer(agents, 3, 90, stream));
  int changed = 0;
  for (std::size_t j = 0; j < before.size(); ++j) {
    if (agents.beliefs.get(90, static_cast<std::uint32_t>(j)) != before[j]) {
      ++changed;
      CHECK(agents.beliefs.get(90, static_cast<std::uint32_t>(j)) ==
            agents.beliefs.get(3, static_cast<std::uint32_t>(j)));
    }
  }
  CHECK(changed == 1);
}

TEST_CASE("With p_blame = 1 every failed game across departments is blame", "[encounters]") {
  const auto result = Simulation(testing::config_from(silos("a", "b"), {"encounters.enabled=true",
                                                                        "encounters.blame_probability=1"}),
                                 RunKey{2, 0, 0})
                          .run();
  for (std::uint32_t t = 1; t <= 60; ++t) {
    CHECK(org_value(result, t, OrgObservable::blame_rate) ==
          Approx(1.0 - org_value(result, t, OrgObservable::success_across)));
  }
  const auto off = Simulation(testing::config_from(silos("a", "b")), RunKey{2, 0, 0}).run();
  // Off, the mechanism records nothing: its observables hold the fill value.
  CHECK(std::isnan(org_value(off, 60, OrgObservable::blame_rate)));
  CHECK(std::isnan(org_value(off, 60, OrgObservable::knowledge_transfers)));
}

TEST_CASE("Collaboration across silos narrows their divergence only when they share a word", "[encounters]") {
  // Same seeds with and without encounters; 3 replicates each. Silo KPIs
  // drive divergence toward 2 (opposite targets); transfers pull it back.
  const auto divergence = [](const std::string& text, bool encounters) {
    double sum = 0;
    for (std::uint64_t replicate = 0; replicate < 3; ++replicate) {
      const auto config =
          testing::config_from(text, {std::string("encounters.enabled=") + (encounters ? "true" : "false"),
                                      "encounters.transfer_probability=1"});
      sum += org_value(Simulation(config, RunKey{3, 0, replicate}).run(), 60, OrgObservable::silo_divergence);
    }
    return sum / 3;
  };
  const double shared_off = divergence(silos("service", "service"), false);
  const double shared_on = divergence(silos("service", "service"), true);
  CAPTURE(shared_off, shared_on);
  CHECK(shared_on < shared_off - 0.05);
  // Encounters happen in naming games: with no naming game the mechanism is
  // off whatever its switch says, so nothing passes and nothing is recorded.
  const auto no_words =
      testing::config_from(silos("a", "b"), {"encounters.enabled=true", "language.enabled=false"});
  const auto result = Simulation(no_words, RunKey{3, 0, 0}).run();
  for (std::uint32_t t = 0; t <= 60; ++t)
    CHECK(std::isnan(org_value(result, t, OrgObservable::knowledge_transfers)));
}

}  // namespace orgsim
