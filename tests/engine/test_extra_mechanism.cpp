// A mechanism defined only here, plugged in through the same interface as
// the built-ins: it runs in a Simulation, its parameter rows validate and
// take --set, and an intervention kind can act through it. It lives in its
// own executable because registering it adds a section to every scenario's
// resolved TOML and to the parameter docs. Its descriptor names its
// observable too, which every results file then records.
#include <unistd.h>
#include <array>
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/schedule.hpp"
#include "engine/simulation.hpp"
#include "mechanisms/mechanism.hpp"
#include "scenario/parameters.hpp"
#include "support/results.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

using enum scenario::ValueType;

// F: fatigue. Each week every engagement e_i loses a share f of itself.
constexpr std::array kFatigueParameters{
    scenario::ParameterSpec{"fatigue.enabled", boolean, 0, "", 0, 1, "", "F",
                            "Weekly fatigue (a test mechanism).", "Off, like every extension."},
    scenario::ParameterSpec{"fatigue.rate", real, 0.1, "", 0, 1, "1/step", "f",
                            "Share of engagement lost each week.", "A test value."},
};

// Client pressure may act through fatigue too, after engagement.
constexpr std::array kFatigueRoutes{scenario::InterventionRoute{"client_pressure", 1}};

// Engagement lost to fatigue so far, 1 - mean e_i: one organization observable.
ObservableTopic fatigue_observables() {
  return {"fatigue",
          {{"fatigue_engagement_lost", "1", "Engagement lost to fatigue: 1 - mean e_i (a test observable)."}},
          [](const Observation& now, ObservableSlots& slots) {
            double total = 0;
            for (const float engagement : now.agents.engagement) total += engagement;
            slots.organization(0) = 1.0 - total / static_cast<double>(now.agents.engagement.size());
          }};
}

class FatigueMechanism final : public Mechanism {
 public:
  FatigueMechanism(const EngineConfig& config, const Organization& /*organization*/)
      : rate_(config.real("fatigue.rate")) {}

  void step(World& world, RandomStream& /*stream*/) override {
    for (auto& engagement : world.agents.engagement) engagement *= static_cast<float>(1.0 - rate_);
  }

 private:
  double rate_;
};

const MechanismDescriptor kFatigue{{"fatigue", "F", kFatigueRoutes, kFatigueParameters},
                                   static_cast<StreamId>(100),
                                   make_mechanism<FatigueMechanism>,
                                   nullptr,
                                   fatigue_observables};

// Registration must precede every scenario this executable reads.
void register_fatigue() {
  static const bool registered = [] {
    register_mechanism(kFatigue);
    return true;
  }();
  (void)registered;
}

constexpr const char* kSmall =
    "[scenario]\nsteps = 3\n[[departments]]\nname = \"A\"\nheadcount = 20\n"
    "[[departments]]\nname = \"B\"\nheadcount = 20\n";

}  // namespace

TEST_CASE("An extra mechanism's step hook runs in a Simulation when its section is on", "[extra_mechanism]") {
  register_fatigue();
  Simulation off(testing::config_from(kSmall), RunKey{1, 0, 0});
  for (int t = 0; t < 3; ++t) off.step();
  CHECK(off.agents().engagement[5] == 1.0F);

  Simulation on(testing::config_from(kSmall, {"fatigue.enabled=true", "fatigue.rate=0.5"}), RunKey{1, 0, 0});
  for (int t = 0; t < 3; ++t) on.step();
  CHECK(on.agents().engagement[5] == Approx(0.125));
}

TEST_CASE("An extra mechanism's observable is computed every step and written to the results file",
          "[extra_mechanism]") {
  register_fatigue();
  const std::size_t index = organization_observables().size() - 1;
  REQUIRE(organization_observables()[index].name == "fatigue_engagement_lost");

  const auto config = testing::config_from(kSmall, {"fatigue.enabled=true", "fatigue.rate=0.5"});
  const RunResult result = Simulation(config, RunKey{1, 0, 0}).run();
  REQUIRE(result.recorded_steps() == 4);  // step 0 and three weeks
  const std::array expected{0.0, 0.5, 0.75, 0.875};
  for (std::size_t t = 0; t < expected.size(); ++t)
    CHECK(result.organization_at(t, index) == Approx(expected[t]));

  const auto file =
      std::filesystem::temp_directory_path() / ("orgsim-extra-mechanism-" + std::to_string(::getpid()));
  testing::write_one_run(file, result, kSmall, {"A", "B"}, 3);
  const auto stored = read_stored_run(file, 0);
  std::filesystem::remove(file);
  REQUIRE(stored.organization.size() == result.organization.size());
  for (std::size_t t = 0; t < expected.size(); ++t)
    CHECK(stored.organization[t * organization_observables().size() + index] == Approx(expected[t]));
}

TEST_CASE("An extra mechanism's parameters validate, take --set and appear in the docs",
          "[extra_mechanism]") {
  register_fatigue();
  try {
    (void)testing::scenario_from(std::string(kSmall) + "[fatigue]\nrate = 1.5\n");
    FAIL("an out-of-range fatigue.rate was accepted");
  } catch (const ScenarioError& error) {
    CHECK(error.kind() == ScenarioError::Kind::out_of_range);
    CHECK(error.where().file == "test.toml");
    CHECK(error.where().line == 10);  // rate = 1.5, after the eight lines of kSmall and [fatigue]
  }
  CHECK_THROWS_AS(testing::scenario_from(kSmall, {"fatigue.rate=2"}), ScenarioError);

  const auto scenario = testing::scenario_from(kSmall, {"fatigue.rate=0.3"});
  CHECK(scenario.real("fatigue.rate") == 0.3);
  CHECK(scenario.resolved_toml().find("[fatigue]\nenabled = false\nrate = 0.3\n") != std::string::npos);
  CHECK(testing::scenario_from(scenario.resolved_toml()).hash() == scenario.hash());
  CHECK(scenario::parameters_markdown().find("## `[fatigue]`") != std::string::npos);
}

TEST_CASE("An intervention kind may act through an extra mechanism", "[extra_mechanism]") {
  register_fatigue();
  const std::string pressure =
      std::string(kSmall) + "[[interventions]]\nkind = \"client_pressure\"\nstart = 0\n";
  try {
    (void)testing::scenario_from(pressure);
    FAIL("client pressure with engagement and fatigue off was accepted");
  } catch (const ScenarioError& error) {
    CHECK_THAT(error.what(), Catch::Contains("would have no effect with engagement and fatigue off"));
    CHECK_THAT(error.what(), Catch::Contains("set engagement.enabled = true or fatigue.enabled = true;"));
  }
  CHECK_NOTHROW(testing::scenario_from(pressure, {"fatigue.enabled=true"}));
}

// Descriptors that would clash with what is registered, each refused whole.
ObservableTopic taken_observables() {
  return {"rested",
          {{"purpose_mean", "1", "A name the purpose topic has."}},
          [](const Observation& /*now*/, ObservableSlots& slots) { slots.organization(0) = 0; }};
}
constexpr std::array kRestRows{scenario::ParameterSpec{"rest.enabled", scenario::ValueType::boolean, 0, "", 0,
                                                       1, "", "", "Rest.", "Off."}};
constexpr std::array kOutsideRows{scenario::ParameterSpec{"rest.enabled", scenario::ValueType::boolean, 0, "",
                                                          0, 1, "", "", "Rest.", "Off."},
                                  scenario::ParameterSpec{"knowledge.rest", scenario::ValueType::real, 0, "",
                                                          0, 1, "", "", "Rest.", "Off."}};
constexpr std::array kTwiceRows{scenario::ParameterSpec{"rest.enabled", scenario::ValueType::boolean, 0, "",
                                                        0, 1, "", "", "Rest.", "Off."},
                                scenario::ParameterSpec{"rest.enabled", scenario::ValueType::boolean, 0, "",
                                                        0, 1, "", "", "Rest.", "Off."}};
constexpr std::array kNoEnabledRow{
    scenario::ParameterSpec{"rest.rate", scenario::ValueType::real, 0, "", 0, 1, "", "", "Rest.", "Off."}};
constexpr auto kFree = static_cast<StreamId>(101);

const MechanismDescriptor kSameSection{
    {"fatigue", "F2", {}, kRestRows}, kFree, make_mechanism<FatigueMechanism>};
const MechanismDescriptor kScenarioSection{{"sweep", "S", {}, {}}, kFree, make_mechanism<FatigueMechanism>};
const MechanismDescriptor kSameStream{
    {"rest", "R", {}, kRestRows}, static_cast<StreamId>(100), make_mechanism<FatigueMechanism>};
const MechanismDescriptor kEngineStream{
    {"rest", "R", {}, kRestRows}, StreamId::turnover, make_mechanism<FatigueMechanism>};
const MechanismDescriptor kRowOutside{
    {"rest", "R", {}, kOutsideRows}, kFree, make_mechanism<FatigueMechanism>};
const MechanismDescriptor kRowTwice{{"rest", "R", {}, kTwiceRows}, kFree, make_mechanism<FatigueMechanism>};
const MechanismDescriptor kNoSwitch{
    {"rest", "R", {}, kNoEnabledRow}, kFree, make_mechanism<FatigueMechanism>};
const MechanismDescriptor kSameObservable{
    {"rest", "R", {}, kRestRows}, kFree, make_mechanism<FatigueMechanism>, nullptr, taken_observables};

TEST_CASE("A mechanism that clashes with what is registered is refused whole", "[extra_mechanism]") {
  register_fatigue();
  const std::size_t mechanisms = schedule().mechanisms.size();
  const std::size_t week = schedule().week.size();
  const std::size_t observables = organization_observables().size();
  const std::size_t rows = scenario::parameter_table().size();
  const auto refused = [](const MechanismDescriptor& descriptor, const char* why) {
    INFO(why);
    CHECK_THROWS_AS(register_mechanism(descriptor), std::invalid_argument);
  };
  refused(kSameSection, "a section another mechanism has");
  refused(kScenarioSection, "a section of the scenario's own");
  refused(kSameStream, "another mechanism's stream: its draws would replay");
  refused(kEngineStream, "the engine's turnover stream");
  refused(kRowOutside, "a row in another section");
  refused(kRowTwice, "a row declared twice");
  refused(kNoSwitch, "no enabled row and no rule of its own");
  refused(kSameObservable, "an observable name taken");
  CHECK(schedule().mechanisms.size() == mechanisms);
  CHECK(schedule().week.size() == week);
  CHECK(organization_observables().size() == observables);
  CHECK(scenario::parameter_table().size() == rows);
  CHECK_THROWS_AS(testing::scenario_from(std::string(kSmall) + "[rest]\nenabled = true\n"), ScenarioError);
}

}  // namespace orgsim
