// Memory one run holds, per agent and per informal tie, on the default
// organization scaled to each size given (default 10,000 and 100,000 agents).
//
// Each size is measured in its own child process so that one size's freed
// memory and peak do not blur the next. Three views:
//   heap      bytes malloc hands out (mallinfo2: arena in use plus mmapped
//             chunks), the exact cost of the data structures;
//   resident  growth of the resident set (/proc/self/statm), what the
//             machine actually gives up, pages and allocator slack included;
//   peak      VmHWM growth while the run is built, when the tie list and the
//             graph coexist.
// Each is read after building the run and again after a whole horizon of
// steps, since word inventories move and grow as the naming game is played.
// The budget is 200 bytes per agent plus 16 bytes per tie; the per-agent
// figure printed is what is left after charging 16 bytes to every tie.
#include <fmt/core.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "engine/memory.hpp"
#include "engine/simulation.hpp"
#include "scaled_scenario.hpp"

namespace orgsim::bench {
namespace {

constexpr double kBudgetPerAgent = 200;
constexpr double kBudgetPerTie = 16;

std::uint64_t heap_bytes() {
  const auto info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

template <class T>
std::uint64_t bytes_of(const std::vector<T>& column) {
  return column.capacity() * sizeof(T);
}

struct Usage {
  std::uint64_t heap = 0, resident = 0;
};

// The peak is shown for sizing machines, not judged: the budget is for what a
// run holds while it steps.
bool print_row(const char* what, std::uint32_t agents, std::uint64_t ties, std::uint64_t bytes,
               bool judged = true) {
  const double per_agent_raw = static_cast<double>(bytes) / agents;
  const double per_agent = (static_cast<double>(bytes) - kBudgetPerTie * static_cast<double>(ties)) / agents;
  fmt::print("  {:<30} {:>9.1f} MiB  {:>7.1f} B/agent  {:>7.1f} B/agent + 16 B/tie  {}\n", what,
             static_cast<double>(bytes) / (1 << 20), per_agent_raw, per_agent,
             !judged                        ? "(transient)"
             : per_agent <= kBudgetPerAgent ? "PASS"
                                            : "FAIL");
  return !judged || per_agent <= kBudgetPerAgent;
}

// Where the bytes of a run go, from the capacities of the columns the
// engine exposes. Inventory bookkeeping (offset, size, capacity) is private
// and counted from its layout: three 4-byte columns.
void print_breakdown(const Simulation& simulation) {
  const auto& agents = simulation.agents();
  const auto& organization = simulation.organization();
  const double n = agents.agent_count;
  const auto& forward = organization.network.graph().m_forward;
  const std::uint64_t words = 4ULL * agents.words.pool_capacity() + 12ULL * agents.agent_count +
                              4ULL * agents.words.words_ever_used();
  const std::uint64_t knowledge = agents.beliefs.bytes() + bytes_of(agents.scores);
  const std::uint64_t purpose = bytes_of(agents.purpose) + bytes_of(agents.purpose_anchor);
  const std::uint64_t trust = bytes_of(agents.trust) + bytes_of(agents.authority) + bytes_of(agents.tenure);
  const std::uint64_t hierarchy =
      bytes_of(organization.department) + bytes_of(organization.level) + bytes_of(organization.manager);
  const std::uint64_t rows = bytes_of(forward.m_rowstart);
  const std::uint64_t columns = bytes_of(forward.m_column);
  fmt::print("  after the horizon, by column (capacity x element size):\n");
  const auto line = [&](const char* what, std::uint64_t bytes) {
    fmt::print("    {:<44} {:>7.1f} B/agent\n", what, static_cast<double>(bytes) / n);
  };
  line("beliefs (two bit-planes), scores", knowledge);
  line("purpose, anchor (double)", purpose);
  line("trust, authority (float), tenure", trust);
  line("word inventories (pool, bookkeeping, holders)", words);
  line("department, level, manager", hierarchy);
  line("network row starts", rows);
  fmt::print("    {:<44} {:>7.1f} B/tie ({:.1f} B/agent)\n", "network columns (both directions)",
             static_cast<double>(columns) / static_cast<double>(organization.network.tie_count()),
             static_cast<double>(columns) / n);
  fmt::print("    {:<44} {:>7.1f} B/agent\n", "sum of the above",
             static_cast<double>(knowledge + purpose + trust + words + hierarchy + rows + columns) / n);
  fmt::print(
      "    (not exposed, hence not listed: the purpose step's next buffer 8 B, the step's shuffle 4 B,\n"
      "     perception's views 8 B and bottom-up order 4 B, the code sample's marks 1 B per agent)\n");
}

// Whether every judged figure is within the budget.
bool measure(std::uint32_t agent_count) {
  const auto config = scaled_config(agent_count);
  const Usage before{heap_bytes(), resident_bytes()};
  const std::uint64_t peak_before = process_status_bytes("VmHWM:");
  auto simulation = std::make_unique<Simulation>(config, kBenchKey);
  const Usage built{heap_bytes(), resident_bytes()};
  const std::uint64_t peak_built = process_status_bytes("VmHWM:");
  for (std::uint32_t t = 0; t < config->steps; ++t) simulation->step();
  const Usage stepped{heap_bytes(), resident_bytes()};

  const auto ties = simulation->organization().network.tie_count();
  fmt::print("{} agents, {} ties ({:.2f} per agent), m = {}; after {} steps {} words held, pool of {}\n",
             agent_count, ties, static_cast<double>(ties) / agent_count,
             config->integer("knowledge.dimensions"), config->steps, simulation->agents().words.total_words(),
             simulation->agents().words.pool_capacity());
  bool within = print_row("heap, built", agent_count, ties, built.heap - before.heap);
  within &= print_row("heap, after the horizon", agent_count, ties, stepped.heap - before.heap);
  within &= print_row("resident, built", agent_count, ties, built.resident - before.resident);
  within &= print_row("resident, after the horizon", agent_count, ties, stepped.resident - before.resident);
  print_row("peak resident while building", agent_count, ties, peak_built - peak_before, false);
  print_breakdown(*simulation);
  std::fflush(stdout);
  return within;
}

}  // namespace
}  // namespace orgsim::bench

int main(int argc, char** argv) {
  std::vector<std::uint32_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(static_cast<std::uint32_t>(std::stoul(argv[i])));
  if (sizes.empty()) sizes = {10'000, 100'000};
  fmt::print("budget: {:.0f} B/agent + {:.0f} B/tie\n\n", orgsim::bench::kBudgetPerAgent,
             orgsim::bench::kBudgetPerTie);
  std::fflush(stdout);
  int failures = 0;
  for (const auto size : sizes) {
    const pid_t child = fork();
    if (child == 0) {
      std::_Exit(orgsim::bench::measure(size) ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    failures += WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
    fmt::print("\n");
  }
  return failures == 0 ? 0 : 1;
}
