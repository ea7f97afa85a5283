#include "core/blocks.hpp"

namespace orgsim {

BlockPool::BlockPool(std::uint32_t threads) {
  for (std::uint32_t i = 1; i < threads; ++i) workers_.emplace_back([this] { serve(); });
}

BlockPool& BlockPool::serial() {
  static BlockPool one(1);
  return one;
}

BlockPool::~BlockPool() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

// Every worker serves every generation, even one whose blocks the others
// took: the caller waits for all of them, so no worker is still reading a
// finished generation's work when the next one is set up.
void BlockPool::run(std::uint32_t count, Call call, void* context) {
  {
    const std::lock_guard lock(mutex_);
    call_ = call;
    context_ = context;
    count_ = count;
    next_.store(0, std::memory_order_relaxed);
    failure_ = nullptr;
    finished_ = 0;
    ++generation_;
  }
  wake_.notify_all();
  drain();
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return finished_ == workers_.size(); });
  if (failure_) std::rethrow_exception(failure_);
}

void BlockPool::serve() {
  std::uint64_t served = 0;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || generation_ != served; });
    if (stopping_) return;
    served = generation_;
    lock.unlock();
    drain();
    lock.lock();
    if (++finished_ == workers_.size()) done_.notify_one();
  }
}

void BlockPool::drain() {
  for (std::uint32_t block = next_.fetch_add(1, std::memory_order_relaxed); block < count_;
       block = next_.fetch_add(1, std::memory_order_relaxed)) {
    try {
      call_(context_, block);
    } catch (...) {
      const std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
      next_.store(count_, std::memory_order_relaxed);
    }
  }
}

}  // namespace orgsim
