#pragma once
// The organization a run simulates: departments, the reporting hierarchy and
// the informal network. Built once per run from the scenario and the run's
// network stream, then read-only.
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/random.hpp"

namespace orgsim {

class Scenario;

enum class Level : std::uint8_t { ceo = 0, head = 1, manager = 2, frontline = 3 };
enum class NetworkKind : std::uint8_t { small_world, random, complete };

// What the builder needs, copied out of the scenario.
struct OrganizationDesign {
  std::vector<std::string> department_names;
  std::vector<std::uint32_t> headcounts;
  std::uint32_t span_of_control = 8;
  double within_degree = 8;  // k_in
  double cross_degree = 1;   // k_out
  double rewiring = 0.1;     // Watts-Strogatz beta
  bool reporting_ties = true;
  NetworkKind network = NetworkKind::small_world;

  static OrganizationDesign from(const Scenario& scenario);
  std::uint32_t agent_count() const;  // departments plus the CEO
  // Upper estimate of undirected informal ties, for the memory check.
  std::uint64_t expected_edges() const;
};

// Undirected, simple graph stored as a compressed sparse row graph with each
// tie in both directions; or, in complete (mean-field) mode, no edges at all.
class InformalNetwork {
 public:
  using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                   boost::no_property, std::uint32_t, std::uint32_t>;
  InformalNetwork() = default;
  static InformalNetwork complete(std::uint32_t agent_count);
  // `ties` lists each undirected tie once or more, in any order; self-ties are dropped.
  static InformalNetwork from_ties(std::uint32_t agent_count,
                                   std::vector<std::pair<std::uint32_t, std::uint32_t>> ties);

  bool is_complete() const noexcept { return complete_; }
  std::uint32_t agent_count() const noexcept { return agent_count_; }
  std::uint64_t tie_count() const noexcept { return complete_ ? 0 : graph_.m_forward.m_column.size() / 2; }
  std::span<const std::uint32_t> neighbours(std::uint32_t agent) const noexcept {
    const auto& rows = graph_.m_forward.m_rowstart;
    return {graph_.m_forward.m_column.data() + rows[agent],
            graph_.m_forward.m_column.data() + rows[agent + 1]};
  }
  const Graph& graph() const noexcept { return graph_; }
  // Ask the cache for an agent's row start, and once that is there for its
  // ties (see LanguageMechanism::step); nothing on the complete network.
  void prefetch_row_start(std::uint32_t agent) const noexcept {
    if (!complete_) __builtin_prefetch(&graph_.m_forward.m_rowstart[agent]);
  }
  void prefetch_row(std::uint32_t agent) const noexcept {
    if (!complete_) __builtin_prefetch(graph_.m_forward.m_column.data() + graph_.m_forward.m_rowstart[agent]);
  }

 private:
  bool complete_ = false;
  std::uint32_t agent_count_ = 0;
  Graph graph_;  // rows read directly (m_forward) so the hot loops see plain arrays
};

struct DepartmentLayout {
  std::string name;
  std::uint32_t first_agent = 0;  // the head; managers, then frontline follow
  std::uint32_t headcount = 0;
};

struct Organization {
  std::vector<DepartmentLayout> departments;
  // Per agent (agent 0 is the CEO, who belongs to the executive, index departments.size()).
  std::vector<std::uint16_t> department;
  std::vector<Level> level;
  std::vector<std::uint32_t> manager;  // the CEO is their own manager
  // Direct reports of each agent, compressed: reports[report_start[k] .. report_start[k + 1]).
  std::vector<std::uint32_t> report_start;
  std::vector<std::uint32_t> reports;
  InformalNetwork network;

  std::span<const std::uint32_t> direct_reports(std::uint32_t agent) const noexcept {
    return {reports.data() + report_start[agent], reports.data() + report_start[agent + 1]};
  }

  std::uint32_t agent_count() const noexcept { return static_cast<std::uint32_t>(level.size()); }
  std::uint16_t executive() const noexcept { return static_cast<std::uint16_t>(departments.size()); }

  static Organization build(const OrganizationDesign& design, RandomStream& stream);
};

}  // namespace orgsim
