// Which of the week's hooks wait for which, and that a run with threads runs
// the ones that need not wait side by side without giving up the week's order.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/simulation.hpp"
#include "engine/week.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

const std::string kOneDepartment = "[scenario]\nsteps = 1\n[[departments]]\nname = \"A\"\nheadcount = 5\n";

// A hook that declares what it uses and records when it ran.
class Recorder final : public Mechanism {
 public:
  Recorder(std::string name, StateUse use, std::vector<std::string>& log, std::mutex& mutex)
      : name_(std::move(name)), use_(use), log_(log), mutex_(mutex) {}
  StateUse step_uses() const override { return use_; }
  void step(World& /*world*/, RandomStream& /*stream*/) override {
    if (wait_for != nullptr) {
      // Holds the thread until the other hook has started, or gives up.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (!wait_for->load() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
      met_other = wait_for->load();
    }
    if (started != nullptr) started->store(true);
    if (fail) throw std::runtime_error(name_ + " failed");
    const std::lock_guard lock(mutex_);
    log_.push_back(name_);
  }
  std::atomic<bool>* wait_for = nullptr;
  std::atomic<bool>* started = nullptr;
  bool met_other = false;
  bool fail = false;

 private:
  std::string name_;
  StateUse use_;
  std::vector<std::string>& log_;
  std::mutex& mutex_;
};

struct Fixture {
  std::vector<std::string> log;
  std::mutex mutex;
  std::vector<std::unique_ptr<Recorder>> hooks;
  RandomStream stream{1, StreamId::knowledge};
  Simulation simulation{testing::config_from(kOneDepartment), RunKey{1, 0, 0}};

  Recorder& add(Week& week, const std::string& name, StateUse use) {
    hooks.push_back(std::make_unique<Recorder>(name, use, log, mutex));
    week.add({"test", hooks.back().get(), Hook::step, &stream});
    return *hooks.back();
  }
  // The World is the simulation's: the recorders do not look at it.
  std::function<World(BlockPool&)> world() {
    return [this](BlockPool& blocks) {
      return World{simulation.organization(), simulation.agents(), shared, tally, 1, 0, {}, blocks};
    };
  }
  SharedState shared;
  StepTally tally;
};

}  // namespace

TEST_CASE("A hook waits for earlier hooks that write what it uses or use what it writes", "[engine][week]") {
  Fixture fixture;
  Week week;
  fixture.add(week, "reads words", {state::words, 0});
  fixture.add(week, "also reads words", {state::words, 0});
  fixture.add(week, "writes beliefs", {state::beliefs, state::beliefs});
  fixture.add(week, "writes words", {state::words, state::words});
  fixture.add(week, "reads beliefs", {state::beliefs, 0});
  fixture.add(week, "declares nothing", StateUse{});
  fixture.add(week, "reads trust", {state::trust, 0});
  const auto& waits = week.waits();
  CHECK(waits[0].empty());
  CHECK(waits[1].empty());                                       // reading beside reading
  CHECK(waits[2].empty());                                       // other parts
  CHECK(waits[3] == std::vector<std::uint32_t>{0, 1});           // writing what others read
  CHECK(waits[4] == std::vector<std::uint32_t>{2});              // reading what another writes
  CHECK(waits[5] == std::vector<std::uint32_t>{0, 1, 2, 3, 4});  // using everything
  CHECK(waits[6] == std::vector<std::uint32_t>{5});
}

TEST_CASE("Hooks of one mechanism keep their order", "[engine][week]") {
  Fixture fixture;
  Week week;
  fixture.add(week, "first", {state::words, 0});
  week.add({"test", fixture.hooks.back().get(), Hook::step, &fixture.stream});
  CHECK(week.waits()[1] == std::vector<std::uint32_t>{0});
}

TEST_CASE("On threads, hooks that need not wait run side by side, and the rest in order", "[engine][week]") {
  Fixture fixture;
  Week week;
  std::atomic<bool> first_started{false};
  std::atomic<bool> second_started{false};
  auto& first = fixture.add(week, "reads words", {state::words, 0});
  auto& second = fixture.add(week, "writes beliefs", {state::beliefs, state::beliefs});
  fixture.add(week, "writes words", {state::words, state::words});
  fixture.add(week, "reads beliefs", {state::beliefs, 0});
  // Each of the first two holds until the other has started: only running
  // side by side lets both see the other.
  first.started = &first_started;
  second.started = &second_started;
  first.wait_for = &second_started;
  BlockPool pool(2);
  week.run(fixture.world(), pool);
  CHECK(first.met_other);
  REQUIRE(fixture.log.size() == 4);
  const auto at = [&](const std::string& name) {
    return std::find(fixture.log.begin(), fixture.log.end(), name) - fixture.log.begin();
  };
  CHECK(at("writes words") > at("reads words"));
  CHECK(at("reads beliefs") > at("writes beliefs"));

  SECTION("On one thread the hooks run in the week's order") {
    fixture.log.clear();
    first.wait_for = nullptr;
    week.run(fixture.world(), BlockPool::serial());
    CHECK(fixture.log ==
          std::vector<std::string>{"reads words", "writes beliefs", "writes words", "reads beliefs"});
  }
}

TEST_CASE("A hook's failure on either thread reaches the caller", "[engine][week]") {
  for (const int failing : {0, 1}) {
    Fixture fixture;
    Week week;
    auto& first = fixture.add(week, "reads words", {state::words, 0});
    auto& second = fixture.add(week, "writes beliefs", {state::beliefs, state::beliefs});
    fixture.add(week, "reads beliefs", {state::beliefs, 0});
    (failing == 0 ? first : second).fail = true;
    BlockPool pool(2);
    CHECK_THROWS_WITH(week.run(fixture.world(), pool),
                      failing == 0 ? "reads words failed" : "writes beliefs failed");
    // What waited for the failed hook never ran.
    if (failing == 1)
      CHECK(std::find(fixture.log.begin(), fixture.log.end(), "reads beliefs") == fixture.log.end());
  }
}

TEST_CASE("A failure on the side stops the week however many hooks are left", "[engine][week]") {
  Fixture fixture;
  Week week;
  std::atomic<bool> failing_started{false};
  auto& slow = fixture.add(week, "reads words", {state::words, 0});
  auto& failing = fixture.add(week, "writes beliefs", {state::beliefs, state::beliefs});
  fixture.add(week, "writes trust", {state::trust, state::trust});
  fixture.add(week, "reads beliefs", {state::beliefs, 0});
  // The failing hook goes to the side while the first one holds the main thread.
  failing.fail = true;
  failing.started = &failing_started;
  slow.wait_for = &failing_started;
  BlockPool pool(2);
  CHECK_THROWS_WITH(week.run(fixture.world(), pool), "writes beliefs failed");
  CHECK(std::find(fixture.log.begin(), fixture.log.end(), "reads beliefs") == fixture.log.end());
  // The next week starts afresh.
  failing.fail = false;
  slow.wait_for = nullptr;
  fixture.log.clear();
  week.run(fixture.world(), pool);
  CHECK(fixture.log.size() == 4);
}

TEST_CASE("Every order the declarations allow gives the week's results", "[engine][week]") {
  // Run on one thread, in orders the declarations allow: a hook
  // that uses a part it does not declare then meets the state in another
  // order than the week's, and the bits differ. The full model with
  // interventions and newcomers, as in the golden test.
  const auto config = testing::config_from(
      kOneDepartment +
          "[knowledge]\nturnover_rate = 0.02\n[leadership]\nenabled = true\n[encounters]\nenabled = true\n"
          "[perception]\nenabled = true\n[engagement]\nenabled = true\n"
          "[[departments]]\nname = \"B\"\nheadcount = 60\nincentive_weight = 0.5\njargon = \"deal\"\n"
          "[[interventions]]\nkind = \"listening_sessions\"\nstart = 0\nduration = 10\n",
      {"scenario.steps=20"});
  const auto in_order = Simulation(config, RunKey{3, 0, 0}).run();
  // Bit for bit, NaN fill values included.
  const auto same_bits = [](const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
  };
  // Twenty weeks of orders drawn anew each week, from three seeds: every
  // pair of hooks that need not wait for each other meets in both orders.
  for (const std::uint64_t seed : {1U, 2U, 3U}) {
    Simulation reordered(config, RunKey{3, 0, 0});
    reordered.week().set_order(Week::Order::any_allowed, seed);
    const auto result = reordered.run();
    CHECK(same_bits(in_order.organization, result.organization));
    CHECK(same_bits(in_order.departments, result.departments));
  }
}

TEST_CASE("In the full model's week the naming game runs beside knowledge and purpose", "[engine][week]") {
  const auto config = testing::config_from(
      kOneDepartment +
      "[leadership]\nenabled = true\n[encounters]\nenabled = true\n[perception]\nenabled = true\n"
      "[engagement]\nenabled = true\n[[interventions]]\nkind = \"client_pressure\"\nstart = 0\n");
  const Simulation simulation(config, RunKey{1, 0, 0});
  const auto& calls = simulation.week().calls();
  const auto index = [&](std::string_view section, Hook hook) {
    for (std::uint32_t i = 0; i < calls.size(); ++i) {
      if (calls[i].section == section && calls[i].hook == hook) return i;
    }
    FAIL("no hook " << section);
    return 0U;
  };
  const auto waits_for = [&](std::uint32_t later, std::uint32_t earlier) {
    const auto& waits = simulation.week().waits()[later];
    return std::find(waits.begin(), waits.end(), earlier) != waits.end();
  };
  const auto interventions = index("interventions", Hook::step);
  const auto language = index("language", Hook::step);
  const auto knowledge = index("knowledge", Hook::step);
  const auto purpose = index("purpose", Hook::step);
  const auto encounters = index("encounters", Hook::step);
  CHECK(simulation.week().waits()[language] == std::vector<std::uint32_t>{interventions});
  CHECK_FALSE(waits_for(purpose, language));
  CHECK_FALSE(waits_for(purpose, encounters));
  CHECK(waits_for(purpose, knowledge));  // K reads purpose before P moves it
  CHECK(waits_for(encounters, language));
  CHECK(waits_for(encounters, knowledge));
}

}  // namespace orgsim
