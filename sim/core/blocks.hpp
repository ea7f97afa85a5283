#pragma once
// Blocks of agents, for the weeks' loops whose agents do not read one
// another's updates (purpose, knowledge's acting and socialization,
// engagement, perception's reports): a run's agents fall into fixed blocks
// of kAgentBlock, and a block that draws takes a stream of its own
// (RandomStream::for_block). The blocks are the same whatever the number of
// threads, so a run's results are too; a pool only decides which thread
// takes which block.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace orgsim {

// Small enough that a few thousand agents make several blocks, large enough
// that a block's own stream and its share of the pool's bookkeeping cost
// nothing beside its agents' work.
constexpr std::uint32_t kAgentBlock = 1024;

constexpr std::uint32_t block_count(std::uint32_t agents) noexcept {
  return (agents + kAgentBlock - 1) / kAgentBlock;
}

// The agents [first, end) of block `block` among `agents`.
struct AgentRange {
  std::uint32_t first = 0;
  std::uint32_t end = 0;
};
constexpr AgentRange block_range(std::uint32_t block, std::uint32_t agents) noexcept {
  const std::uint32_t first = block * kAgentBlock;
  return {first, agents - first < kAgentBlock ? agents : first + kAgentBlock};
}

class BlockPool {
 public:
  // `threads` counts the calling thread: a pool of one runs every block on
  // the caller and starts no thread.
  explicit BlockPool(std::uint32_t threads = 1);
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;
  ~BlockPool();

  std::uint32_t threads() const noexcept { return static_cast<std::uint32_t>(workers_.size()) + 1; }

  // A pool of one, shared: it starts no thread and keeps no state while it
  // runs, so any thread may use it at once.
  static BlockPool& serial();

  // Calls work(block) once for every block in [0, count), spread over the
  // pool's threads and the caller's, and returns when all have returned.
  // The first exception a block throws is rethrown here, after the others
  // have finished; blocks not yet started then are skipped.
  template <class Work>
  void for_each(std::uint32_t count, Work&& work) {
    if (workers_.empty() || count <= 1) {
      for (std::uint32_t block = 0; block < count; ++block) work(block);
      return;
    }
    using Callable = std::remove_reference_t<Work>;
    run(
        count, [](void* context, std::uint32_t block) { (*static_cast<Callable*>(context))(block); },
        const_cast<void*>(static_cast<const void*>(&work)));
  }

 private:
  using Call = void (*)(void*, std::uint32_t);
  void run(std::uint32_t count, Call call, void* context);
  void serve();
  void drain();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::uint64_t generation_ = 0;  // one per for_each: a worker serves each once
  std::uint32_t finished_ = 0;    // workers done with this generation
  bool stopping_ = false;
  Call call_ = nullptr;
  void* context_ = nullptr;
  std::uint32_t count_ = 0;
  std::atomic<std::uint32_t> next_{0};
  std::exception_ptr failure_;
};

}  // namespace orgsim
