#pragma once
// The week's hooks of one run, and on a run with threads of its own, which
// of them may run side by side. A hook must wait for every earlier hook of
// the week that writes what it reads or writes, or reads what it writes
// (Mechanism::prepare_uses and step_uses), and for the earlier hooks of its
// own mechanism; any order that keeps those waits gives the week's results
// bit for bit, so the results never depend on the threads.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "core/blocks.hpp"
#include "core/random.hpp"
#include "engine/schedule.hpp"
#include "mechanisms/mechanism.hpp"

namespace orgsim {

class Week {
 public:
  // One of the week's hooks, resolved once: a mechanism that is on and its stream.
  struct Call {
    std::string_view section;  // the mechanism's, for messages and tests
    Mechanism* mechanism = nullptr;
    Hook hook = Hook::step;
    RandomStream* stream = nullptr;
  };

  Week() = default;
  Week(const Week&) = delete;
  Week& operator=(const Week&) = delete;
  ~Week();

  void add(const Call& call);

  // Runs every hook once. `world(pool)` gives the World a hook sees, with
  // the pool its loops over blocks of agents use. On one thread (a pool of
  // one) the hooks run in order. Otherwise a hook that is ready while
  // another is also ready runs on a second thread, and whichever hook runs
  // alone takes the whole pool.
  void run(const std::function<World(BlockPool&)>& world, BlockPool& blocks);

  const std::vector<Call>& calls() const noexcept { return calls_; }
  // On one thread, the order the hooks run in: the week's, or for checking
  // the declarations, each week another order they allow, drawn from
  // `seed`. A hook whose declaration leaves out a part it uses then meets
  // the state in another order than the week's, and the run's results
  // change (tests/engine/test_week.cpp).
  enum class Order : std::uint8_t { week, any_allowed };
  void set_order(Order order, std::uint64_t seed = 0) noexcept {
    order_ = order;
    order_stream_ = RandomStream(seed, StreamId::design);
  }

  // For each hook, the earlier hooks it waits for.
  const std::vector<std::vector<std::uint32_t>>& waits() const noexcept { return waits_; }

 private:
  void run_in_order(const std::function<World(BlockPool&)>& world, BlockPool& blocks);
  void call(std::uint32_t index, World& world);
  void start_side(std::uint32_t index, const std::function<World(BlockPool&)>* world,
                  std::unique_lock<std::mutex>& lock);
  void serve_side();

  std::vector<Call> calls_;
  std::vector<StateUse> uses_;
  std::vector<std::vector<std::uint32_t>> waits_;
  std::vector<std::uint8_t> done_;
  Order order_ = Order::week;
  RandomStream order_stream_{0, StreamId::design};  // for Order::any_allowed only

  // The second thread: one hook at a time.
  std::thread side_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool side_busy_ = false;
  bool stopping_ = false;
  std::uint32_t side_call_ = 0;
  const std::function<World(BlockPool&)>* side_world_ = nullptr;
  std::exception_ptr side_failure_;
};

}  // namespace orgsim
