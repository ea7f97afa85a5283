#include "engine/week.hpp"

#include <algorithm>
#include <utility>

namespace orgsim {

Week::~Week() {
  if (!side_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  side_.join();
}

void Week::add(const Call& call) {
  const StateUse use =
      call.hook == Hook::prepare ? call.mechanism->prepare_uses() : call.mechanism->step_uses();
  std::vector<std::uint32_t> waits;
  for (std::uint32_t earlier = 0; earlier < calls_.size(); ++earlier) {
    if (calls_[earlier].mechanism == call.mechanism || uses_[earlier].conflicts_with(use))
      waits.push_back(earlier);
  }
  calls_.push_back(call);
  uses_.push_back(use);
  waits_.push_back(std::move(waits));
}

void Week::call(std::uint32_t index, World& world) {
  const Call& hook = calls_[index];
  if (hook.hook == Hook::prepare) {
    hook.mechanism->prepare(world);
  } else {
    hook.mechanism->step(world, *hook.stream);
  }
}

void Week::run_in_order(const std::function<World(BlockPool&)>& world, BlockPool& blocks) {
  World now = world(blocks);
  for (std::uint32_t index = 0; index < calls_.size(); ++index) call(index, now);
}

void Week::run(const std::function<World(BlockPool&)>& world, BlockPool& blocks) {
  if (blocks.threads() == 1) {
    run_in_order(world, blocks);
    return;
  }
  const auto count = static_cast<std::uint32_t>(calls_.size());
  std::vector<std::uint8_t> started(count, 0);
  done_.assign(count, 0);
  // The hooks not yet started whose waits are over, in the week's order.
  const auto ready = [&] {
    std::vector<std::uint32_t> found;
    for (std::uint32_t index = 0; index < count; ++index) {
      if (started[index] != 0) continue;
      const auto& waits = waits_[index];
      if (std::all_of(waits.begin(), waits.end(), [&](std::uint32_t earlier) { return done_[earlier] != 0; }))
        found.push_back(index);
    }
    return found;
  };
  const auto wait_for_side = [&] {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !side_busy_; });
    if (side_failure_) std::rethrow_exception(std::exchange(side_failure_, nullptr));
  };
  try {
    while (true) {
      std::unique_lock lock(mutex_);
      const auto all_started =
          std::all_of(started.begin(), started.end(), [](std::uint8_t s) { return s != 0; });
      if (all_started) break;
      const auto candidates = ready();
      if (candidates.empty()) {
        lock.unlock();
        wait_for_side();
        continue;
      }
      if (!side_busy_ && candidates.size() >= 2) {
        // The later hook goes to the side: the earlier ones are the chain
        // the main thread keeps following.
        started[candidates.back()] = 1;
        lock.unlock();
        start_side(candidates.back(), &world);
        continue;
      }
      const std::uint32_t index = candidates.front();
      started[index] = 1;
      const bool alone = !side_busy_;
      lock.unlock();
      World now = world(alone ? blocks : BlockPool::serial());
      call(index, now);
      lock.lock();
      done_[index] = 1;
    }
    wait_for_side();
  } catch (...) {
    // Nothing may touch the run's state once the week has failed.
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !side_busy_; });
    throw;
  }
}

void Week::start_side(std::uint32_t index, const std::function<World(BlockPool&)>* world) {
  {
    const std::lock_guard lock(mutex_);
    side_call_ = index;
    side_world_ = world;
    side_busy_ = true;
  }
  if (!side_.joinable()) side_ = std::thread([this] { serve_side(); });
  changed_.notify_all();
}

void Week::serve_side() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || side_busy_; });
    if (stopping_) return;
    const std::uint32_t index = side_call_;
    const auto* world = side_world_;
    lock.unlock();
    std::exception_ptr failure;
    try {
      World now = (*world)(BlockPool::serial());
      call(index, now);
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    // A failed hook is never done: nothing that waits for it starts, and
    // the main thread meets the failure when it waits for this thread.
    if (!failure) done_[index] = 1;
    side_failure_ = failure;
    side_busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace orgsim
