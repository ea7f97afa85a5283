// Blocks of agents and the pool that spreads them over threads: every block
// runs exactly once whatever the thread count, a block's failure reaches the
// caller, and each block's stream is its own.
#include <atomic>
#include <catch2/catch.hpp>
#include <set>
#include <stdexcept>
#include <vector>

#include "core/blocks.hpp"
#include "core/random.hpp"

namespace orgsim {

TEST_CASE("Blocks cover the agents once, in fixed places", "[blocks]") {
  for (const std::uint32_t agents :
       {0U, 1U, kAgentBlock - 1, kAgentBlock, kAgentBlock + 1, 10 * kAgentBlock + 7}) {
    std::uint32_t covered = 0;
    for (std::uint32_t block = 0; block < block_count(agents); ++block) {
      const auto [first, end] = block_range(block, agents);
      CHECK(first == covered);
      CHECK(end > first);
      CHECK(end - first <= kAgentBlock);
      covered = end;
    }
    CHECK(covered == agents);
  }
}

TEST_CASE("A pool runs every block exactly once on any number of threads", "[blocks]") {
  for (const std::uint32_t threads : {1U, 2U, 3U, 5U}) {
    BlockPool pool(threads);
    CHECK(pool.threads() == threads);
    // Several rounds: a pool is reused for every loop of a run.
    for (const std::uint32_t count : {0U, 1U, 2U, 7U, 300U, 1U, 64U}) {
      std::vector<std::atomic<int>> runs(count);
      pool.for_each(count, [&](std::uint32_t block) { runs[block].fetch_add(1); });
      for (std::uint32_t block = 0; block < count; ++block) CHECK(runs[block].load() == 1);
    }
  }
}

TEST_CASE("A block's failure reaches the caller and the pool goes on", "[blocks]") {
  BlockPool pool(3);
  CHECK_THROWS_WITH(pool.for_each(100,
                                  [](std::uint32_t block) {
                                    if (block == 41) throw std::runtime_error("block 41 failed");
                                  }),
                    "block 41 failed");
  std::atomic<std::uint32_t> done{0};
  pool.for_each(50, [&](std::uint32_t) { done.fetch_add(1); });
  CHECK(done.load() == 50);
}

TEST_CASE("Each block draws from a stream of its own", "[blocks][random]") {
  std::set<std::uint64_t> first_draws;
  for (std::uint64_t base : {1ULL, 2ULL, 0xFFFFFFFFFFFFFFFFULL}) {
    for (std::uint64_t block = 0; block < 1000; ++block)
      first_draws.insert(RandomStream::for_block(base, block)());
  }
  CHECK(first_draws.size() == 3000);
  // The same base and block always give the same stream.
  auto a = RandomStream::for_block(7, 3);
  auto b = RandomStream::for_block(7, 3);
  for (int i = 0; i < 10; ++i) CHECK(a() == b());
}

}  // namespace orgsim
