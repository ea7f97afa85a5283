#include "engine/week.hpp"

#include <algorithm>
#include <stdexcept>
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
  if (order_ == Order::week) {
    for (std::uint32_t index = 0; index < calls_.size(); ++index) call(index, now);
    return;
  }
  // Another order the waits allow: any ready hook, picked by a generator
  // that only this check uses.
  const auto count = static_cast<std::uint32_t>(calls_.size());
  done_.assign(count, 0);
  std::vector<std::uint32_t> ready;
  for (std::uint32_t ran = 0; ran < count; ++ran) {
    ready.clear();
    for (std::uint32_t index = 0; index < count; ++index) {
      const auto& waits = waits_[index];
      if (done_[index] == 0 &&
          std::all_of(waits.begin(), waits.end(), [&](std::uint32_t earlier) { return done_[earlier] != 0; }))
        ready.push_back(index);
    }
    const std::uint32_t index = ready[order_stream_.below(static_cast<std::uint32_t>(ready.size()))];
    call(index, now);
    done_[index] = 1;
  }
}

void Week::run(const std::function<World(BlockPool&)>& world, BlockPool& blocks) {
  if (blocks.threads() == 1) {
    run_in_order(world, blocks);
    return;
  }
  const auto count = static_cast<std::uint32_t>(calls_.size());
  std::vector<std::uint8_t> started(count, 0);
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
  std::unique_lock lock(mutex_);
  done_.assign(count, 0);
  side_failure_ = nullptr;
  try {
    while (true) {
      // A hook that failed on the side stops the week before anything else starts.
      if (side_failure_) std::rethrow_exception(side_failure_);
      if (std::all_of(started.begin(), started.end(), [](std::uint8_t s) { return s != 0; })) break;
      const auto candidates = ready();
      if (candidates.empty()) {
        // Only the side's hook can make another ready (or fail).
        changed_.wait(lock, [&] { return !side_busy_; });
        if (!side_failure_ && ready().empty()) throw std::logic_error("the week's waits form a cycle");
        continue;
      }
      if (!side_busy_ && candidates.size() >= 2) {
        // The later hook goes to the side: the earlier ones are the chain
        // the main thread keeps following.
        started[candidates.back()] = 1;
        start_side(candidates.back(), &world, lock);
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
    changed_.wait(lock, [&] { return !side_busy_; });
    if (side_failure_) std::rethrow_exception(side_failure_);
  } catch (...) {
    // Nothing may touch the run's state once the week has failed.
    if (!lock.owns_lock()) lock.lock();
    changed_.wait(lock, [&] { return !side_busy_; });
    side_failure_ = nullptr;
    throw;
  }
}

// Called with `lock` held, which it keeps.
void Week::start_side(std::uint32_t index, const std::function<World(BlockPool&)>* world,
                      std::unique_lock<std::mutex>& lock) {
  if (!side_.joinable()) {
    // Started before it is given work, so a thread that cannot start leaves nothing waiting.
    lock.unlock();
    side_ = std::thread([this] { serve_side(); });
    lock.lock();
  }
  side_call_ = index;
  side_world_ = world;
  side_busy_ = true;
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
    if (failure) {
      side_failure_ = failure;
    } else {
      done_[index] = 1;
    }
    side_busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace orgsim
