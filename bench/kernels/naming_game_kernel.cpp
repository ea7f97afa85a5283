// The minimal naming game (Baronchelli et al. 2006) as a researcher would
// write it in an afternoon: the reference for the whole-process time of
// orgsim's naming-game scenarios in bench/scenarios/ (bench/run-kernel-comparison
// times both on the same number of games).
//
// Inventories start empty. Each step plays N games, each with a uniformly
// drawn speaker (orgsim's schedule = "random_speakers") and a partner drawn
// uniformly among the speaker's ties: any other agent on the complete graph
// (mean field), or a neighbour on a sparse Erdos-Renyi graph G(N, M) with
// M = N k / 2 drawn ties (self-loops and repeats dropped), stored as CSR. A
// speaker without ties plays no game.
//
// Usage: orgsim_naming_game_kernel complete|random N steps runs [seed=2006] [mean_degree=10]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

namespace {

// Undirected graph as compressed sparse rows: agent i's neighbours are
// neighbours[offsets[i]] .. neighbours[offsets[i + 1] - 1].
struct SparseGraph {
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint32_t> neighbours;
};

SparseGraph random_graph(std::uint32_t n, double mean_degree, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::uint32_t> agent(0, n - 1);
  const auto ties = static_cast<std::uint64_t>(n * mean_degree / 2.0 + 0.5);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> directed;
  directed.reserve(2 * ties);
  for (std::uint64_t t = 0; t < ties; ++t) {
    const std::uint32_t a = agent(rng);
    const std::uint32_t b = agent(rng);
    if (a == b) continue;
    directed.emplace_back(a, b);
    directed.emplace_back(b, a);
  }
  std::sort(directed.begin(), directed.end());
  directed.erase(std::unique(directed.begin(), directed.end()), directed.end());
  SparseGraph graph;
  graph.offsets.assign(n + 1, 0);
  for (const auto& [a, b] : directed) ++graph.offsets[a + 1];
  for (std::uint32_t i = 0; i < n; ++i) graph.offsets[i + 1] += graph.offsets[i];
  graph.neighbours.reserve(directed.size());
  for (const auto& tie : directed) graph.neighbours.push_back(tie.second);
  return graph;
}

struct RunOutcome {
  std::uint64_t games;
  std::uint64_t distinct_words;
};

RunOutcome run_once(bool complete, std::uint32_t n, std::uint32_t steps, double mean_degree,
                    std::mt19937_64& rng) {
  SparseGraph graph;
  if (!complete) graph = random_graph(n, mean_degree, rng);
  std::vector<std::vector<std::uint32_t>> inventories(n);
  std::uint32_t next_word = 0;
  std::uniform_int_distribution<std::uint32_t> any_agent(0, n - 1);
  std::uniform_int_distribution<std::uint32_t> other_agent(0, n - 2);
  std::uint64_t games = 0;

  for (std::uint32_t step = 0; step < steps; ++step) {
    for (std::uint32_t g = 0; g < n; ++g) {
      const std::uint32_t speaker = any_agent(rng);
      std::uint32_t hearer = 0;
      if (complete) {
        hearer = other_agent(rng);
        if (hearer >= speaker) ++hearer;
      } else {
        const std::uint32_t first = graph.offsets[speaker];
        const std::uint32_t degree = graph.offsets[speaker + 1] - first;
        if (degree == 0) continue;
        hearer = graph.neighbours[first + std::uniform_int_distribution<std::uint32_t>(0, degree - 1)(rng)];
      }
      ++games;
      auto& said = inventories[speaker];
      if (said.empty()) said.push_back(next_word++);  // invent a word
      const std::uint32_t word =
          said.size() == 1 ? said[0]
                           : said[std::uniform_int_distribution<std::size_t>(0, said.size() - 1)(rng)];
      auto& heard = inventories[hearer];
      if (std::find(heard.begin(), heard.end(), word) != heard.end()) {
        // Success: both keep only the word.
        said.assign(1, word);
        heard.assign(1, word);
      } else {
        heard.push_back(word);
      }
    }
  }

  std::vector<std::uint32_t> in_use;
  for (const auto& inventory : inventories) in_use.insert(in_use.end(), inventory.begin(), inventory.end());
  std::sort(in_use.begin(), in_use.end());
  return {games, static_cast<std::uint64_t>(std::unique(in_use.begin(), in_use.end()) - in_use.begin())};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || (std::strcmp(argv[1], "complete") != 0 && std::strcmp(argv[1], "random") != 0)) {
    std::fprintf(stderr, "usage: %s complete|random N steps runs [seed] [mean_degree]\n", argv[0]);
    return 2;
  }
  const bool complete = std::strcmp(argv[1], "complete") == 0;
  const auto n = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
  const auto steps = static_cast<std::uint32_t>(std::strtoul(argv[3], nullptr, 10));
  const long runs = std::atol(argv[4]);
  const unsigned long long seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 2006;
  const double mean_degree = argc > 6 ? std::atof(argv[6]) : 10.0;
  if (n < 2 || runs < 1) {
    std::fprintf(stderr, "need N >= 2 and runs >= 1\n");
    return 2;
  }

  std::mt19937_64 rng(seed);
  std::uint64_t games = 0;
  std::uint64_t words_sum = 0;
  std::uint64_t converged = 0;
  for (long run = 0; run < runs; ++run) {
    const RunOutcome outcome = run_once(complete, n, steps, mean_degree, rng);
    games += outcome.games;
    words_sum += outcome.distinct_words;
    converged += outcome.distinct_words == 1 ? 1 : 0;
  }
  std::printf(
      "naming_game_kernel graph=%s N=%u steps=%u runs=%ld games=%llu mean_final_distinct_words=%.2f "
      "runs_at_one_word=%llu\n",
      complete ? "complete" : "random", n, steps, runs, static_cast<unsigned long long>(games),
      static_cast<double>(words_sum) / static_cast<double>(runs), static_cast<unsigned long long>(converged));
  return 0;
}
