#include "mechanisms/knowledge.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numeric>

namespace orgsim {
namespace {

// A fair draw on {-1, 0, 1}.
std::int8_t uniform_belief(RandomStream& stream) {
  return static_cast<std::int8_t>(static_cast<int>(stream.below(3)) - 1);
}

// Moves a belief one step (-1 -> 0 -> +1 or back) toward a non-zero target.
std::int8_t step_toward(std::int8_t belief, std::int8_t target) {
  if (target == 0 || belief == target) return belief;
  return static_cast<std::int8_t>(belief + target);
}

}  // namespace

void draw_kpi_target(SharedState& shared, std::uint32_t department, double alignment, RandomStream& stream) {
  const auto m = static_cast<std::uint32_t>(shared.reality.size());
  std::vector<std::uint32_t> order(m);
  std::iota(order.begin(), order.end(), 0U);
  for (std::uint32_t j = m; j > 1; --j) std::swap(order[j - 1], order[stream.below(j)]);
  const auto agreeing = static_cast<std::uint32_t>(std::lround(alignment * m));
  for (std::uint32_t k = 0; k < m; ++k) {
    const std::uint32_t j = order[k];
    shared.kpi_targets[std::size_t{department} * m + j] =
        k < agreeing ? shared.reality[j] : static_cast<std::int8_t>(-shared.reality[j]);
  }
}

// Routes of the intervention kinds acting through K (ranks order a kind's
// routes in refusals): anchors through K's KPI pull w_d(1 - phi), KPIs and
// incentive weights read only by K's socialization, beliefs passed in
// listening sessions, and the voices the code hears.
constexpr std::array kKnowledgeRoutes{
    scenario::InterventionRoute{"service_definition", 1}, scenario::InterventionRoute{"mission_inclusion", 1},
    scenario::InterventionRoute{"kpi_realignment", 0}, scenario::InterventionRoute{"listening_sessions", 0},
    scenario::InterventionRoute{"feedback_loop", 1}};

constinit const MechanismDescriptor KnowledgeMechanism::descriptor{
    {"knowledge", "K", kKnowledgeRoutes}, StreamId::knowledge, make_mechanism<KnowledgeMechanism>};

KnowledgeParams KnowledgeParams::from(const EngineConfig& config) {
  return {config.boolean("knowledge.enabled"),
          static_cast<std::uint32_t>(config.integer("knowledge.dimensions")),
          config.real("knowledge.socialization_rate"),
          config.real("knowledge.code_learning_rate"),
          config.real("knowledge.turnover_rate"),
          config.real("knowledge.turbulence_rate"),
          static_cast<std::uint32_t>(
              std::min<std::int64_t>(config.integer("knowledge.code_sample_size"), UINT32_MAX)),
          config.real("knowledge.peer_learning_rate")};
}

// Built alone (as the tests do), K assumes no other mechanism moves beliefs;
// a run tells it through set_beliefs_moved_elsewhere.
KnowledgeMechanism::KnowledgeMechanism(const EngineConfig& config, const Organization& organization)
    : params_(KnowledgeParams::from(config)),
      organization_(organization),
      turbulence_(params_.turbulence_rate),
      votes_(params_.dimensions) {
  for (const auto& department : config.departments) {
    incentive_weight_.push_back(department.incentive_weight);
    kpi_alignment_.push_back(department.kpi_alignment);
    any_pull_ = any_pull_ || department.incentive_weight > 0;
  }
  closed_ = !moves_beliefs();
  picked_.assign(organization.agent_count(), 0);
}

bool KnowledgeMechanism::moves_beliefs() const {
  return any_pull_ || params_.turbulence_rate != 0 || params_.turnover_rate != 0 ||
         params_.peer_learning_rate != 0;
}

// Absorbing only if nothing but socialization and code learning moves beliefs.
void KnowledgeMechanism::set_beliefs_moved_elsewhere(bool moved) {
  closed_ = !moves_beliefs() && !moved;
}

void KnowledgeMechanism::initialize(World& world) {
  RandomStream initial(world.seed, StreamId::initial_state);
  initialize(world.agents, world.shared, initial);
}

void KnowledgeMechanism::step(World& world, RandomStream& stream) {
  step(world.agents, world.shared, stream);
}

void KnowledgeMechanism::on_hire(World& world, Newcomer& newcomer, RandomStream& turnover) {
  if (newcomer.beliefs_drawn) return;
  draw_beliefs(world.agents, newcomer.agent, turnover);
  newcomer.beliefs_drawn = true;
}

void KnowledgeMechanism::initialize(AgentState& agents, SharedState& shared, RandomStream& stream) const {
  const std::uint32_t m = params_.dimensions;
  shared.reality.resize(m);
  for (auto& r : shared.reality) r = (stream() >> 63U) != 0 ? std::int8_t{1} : std::int8_t{-1};
  shared.code.assign(m, 0);
  shared.code_score = 0;
  shared.levers.incentive_weight = incentive_weight_;
  shared.levers.engagement_boost.assign(incentive_weight_.size(), 0.0);
  shared.kpi_targets.resize(kpi_alignment_.size() * m);
  for (std::size_t d = 0; d < kpi_alignment_.size(); ++d) {
    draw_kpi_target(shared, static_cast<std::uint32_t>(d), kpi_alignment_[d], stream);
  }
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) draw_beliefs(agents, agent, stream);
}

void KnowledgeMechanism::draw_beliefs(AgentState& agents, std::uint32_t agent, RandomStream& stream) const {
  for (auto& belief : agents.beliefs_of(agent)) belief = uniform_belief(stream);
}

void KnowledgeMechanism::step(AgentState& agents, SharedState& shared, RandomStream& stream) {
  if (frozen_) return;
  if (!turbulence_.never()) {
    for (auto& r : shared.reality) {
      if (turbulence_(stream)) r = static_cast<std::int8_t>(-r);
    }
  }
  act(agents, shared, stream);
  if (params_.peer_learning_rate > 0) learn_from_peers(agents, stream);
  sample_listened(agents.agent_count, shared.levers.voice_scale, stream);
  socialize(agents, shared, stream);
  learn_code(agents, shared, stream);
  if (closed_ && at_equilibrium(agents, shared)) frozen_ = true;
}

// Eight coins as eight bytes of +1 or -1, indexed by eight random bits.
constexpr std::array<std::array<std::int8_t, 8>, 256> kCoinBytes = [] {
  std::array<std::array<std::int8_t, 8>, 256> table{};
  for (std::size_t bits = 0; bits < 256; ++bits) {
    for (std::size_t i = 0; i < 8; ++i)
      table[bits][i] = ((bits >> i) & 1U) != 0 ? std::int8_t{1} : std::int8_t{-1};
  }
  return table;
}();

// One 64-bit draw per agent and block of 64 dimensions supplies the coins
// for the zero beliefs, eight at a time from a table, so the inner loop has
// no data-dependent draws or shifts and the compiler can vectorize it.
void KnowledgeMechanism::act(AgentState& agents, SharedState& shared, RandomStream& stream) const {
  const std::uint32_t m = params_.dimensions;
  const std::int8_t* reality = shared.reality.data();
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    const std::int8_t* belief = agents.beliefs.data() + std::size_t{agent} * m;
    std::int8_t* action = agents.actions.data() + std::size_t{agent} * m;
    std::int32_t score = 0;
    for (std::uint32_t block = 0; block < m; block += 64) {
      std::uint64_t coins = stream();
      const std::uint32_t width = std::min(64U, m - block);
      for (std::uint32_t k = 0; k < width; k += 8, coins >>= 8U) {
        const auto& coin = kCoinBytes[coins & 0xFFU];
        const std::uint32_t lanes = std::min(8U, width - k);
        for (std::uint32_t i = 0; i < lanes; ++i) {
          const std::uint32_t j = block + k + i;
          // Branch-free select (beliefs are 0 a third of the time): the coin where b_ij = 0.
          const auto zero_mask = static_cast<std::int8_t>(-static_cast<int>(belief[j] == 0));
          const auto a = static_cast<std::int8_t>(belief[j] | (coin[i] & zero_mask));
          action[j] = a;
          score += a * reality[j];
        }
      }
    }
    agents.scores[agent] = score;
  }
  std::int32_t code_score = 0;
  for (std::uint32_t j = 0; j < m; ++j) code_score += shared.code[j] * reality[j];
  shared.code_score = code_score;
}

// The code-setters hear everyone in a small organization and a uniform sample
// without replacement (Floyd's algorithm) in a large one.
void KnowledgeMechanism::sample_listened(std::uint32_t agent_count, double voice_scale,
                                         RandomStream& stream) {
  listened_.clear();
  const auto sample_size = static_cast<std::uint32_t>(
      std::min<double>(static_cast<double>(params_.code_sample_size) * voice_scale, agent_count));
  if (agent_count <= sample_size) {
    listened_.resize(agent_count);
    std::iota(listened_.begin(), listened_.end(), 0U);
    return;
  }
  for (std::uint32_t j = agent_count - sample_size; j < agent_count; ++j) {
    std::uint32_t candidate = stream.below(j + 1);
    if (picked_[candidate] != 0) candidate = j;
    picked_[candidate] = 1;
    listened_.push_back(candidate);
  }
  for (auto agent : listened_) picked_[agent] = 0;
}

// Interpersonal learning (Fang, Lee & Schilling 2010): an agent's superior
// colleagues are its informal ties (everyone else on the complete network)
// whose action score this step beats its own; on each dimension where their
// belief majority is set and differs from the agent's belief, the belief moves
// one step toward it with probability p_peer. Everyone learns from the beliefs
// held before this round, so the order of agents does not matter.
void KnowledgeMechanism::learn_from_peers(AgentState& agents, RandomStream& stream) {
  const std::uint32_t m = params_.dimensions;
  const BernoulliThreshold learns(params_.peer_learning_rate);
  const InformalNetwork& network = organization_.network;
  snapshot_.assign(agents.beliefs.begin(), agents.beliefs.end());
  peer_votes_.resize(m);
  const auto add_if_superior = [&](std::uint32_t agent, std::uint32_t peer) {
    if (agents.scores[peer] <= agents.scores[agent]) return false;
    const std::int8_t* belief = snapshot_.data() + std::size_t{peer} * m;
    for (std::uint32_t j = 0; j < m; ++j) peer_votes_[j] += belief[j];
    return true;
  };
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    std::fill(peer_votes_.begin(), peer_votes_.end(), 0);
    bool any_superior = false;
    if (network.is_complete()) {
      for (std::uint32_t peer = 0; peer < agents.agent_count; ++peer)
        any_superior = (peer != agent && add_if_superior(agent, peer)) || any_superior;
    } else {
      for (const std::uint32_t peer : network.neighbours(agent))
        any_superior = add_if_superior(agent, peer) || any_superior;
    }
    if (!any_superior) continue;
    std::int8_t* belief = agents.beliefs.data() + std::size_t{agent} * m;
    for (std::uint32_t j = 0; j < m; ++j) {
      const std::int32_t vote = peer_votes_[j];
      const std::int8_t majority = vote > 0 ? std::int8_t{1} : vote < 0 ? std::int8_t{-1} : std::int8_t{0};
      if (majority == 0 || majority == belief[j]) continue;
      if (learns(stream)) belief[j] = step_toward(belief[j], majority);
    }
  }
}

// Which dimensions move is decided first, two Bernoulli trials per 64-bit
// draw (p1 alpha_i resolved to 2^-32), as a bit mask; only the few that move
// (p1 m on average) then draw their target.
void KnowledgeMechanism::socialize(AgentState& agents, const SharedState& shared,
                                   RandomStream& stream) const {
  const std::uint32_t m = params_.dimensions;
  const std::int8_t* code = shared.code.data();
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    const double moves = params_.socialization_rate * agents.authority[agent];  // p1 * alpha_i
    if (moves <= 0.0) continue;
    const auto threshold = static_cast<std::uint64_t>(std::min(moves, 1.0) * 0x1.0p32);
    const std::uint16_t department = organization_.department[agent];
    // pi_i = w_d (1 - phi_i): the chance that the KPI, not the code, is the target.
    const BernoulliThreshold kpi_target(shared.levers.incentive_weight[department] *
                                        (1.0 - agents.purpose[agent]));
    const bool pulled = !kpi_target.never();
    const std::int8_t* kpi = shared.kpi_targets.data() + std::size_t{department} * m;
    std::int8_t* belief = agents.beliefs.data() + std::size_t{agent} * m;
    for (std::uint32_t block = 0; block < m; block += 64) {
      const std::uint32_t width = std::min(64U, m - block);
      std::uint64_t moving = 0;
      for (std::uint32_t k = 0; k < width; k += 2) {
        const std::uint64_t draw = stream();
        moving |= static_cast<std::uint64_t>((draw & 0xFFFFFFFFU) < threshold) << k;
        moving |= static_cast<std::uint64_t>((draw >> 32U) < threshold) << (k + 1);
      }
      if (width < 64) moving &= (std::uint64_t{1} << width) - 1;
      while (moving != 0) {
        const std::uint32_t j = block + static_cast<std::uint32_t>(std::countr_zero(moving));
        moving &= moving - 1;
        const std::int8_t target = pulled && kpi_target(stream) ? kpi[j] : code[j];
        belief[j] = step_toward(belief[j], target);
      }
    }
  }
}

void KnowledgeMechanism::learn_code(const AgentState& agents, SharedState& shared, RandomStream& stream) {
  const std::uint32_t m = params_.dimensions;
  std::fill(votes_.begin(), votes_.end(), 0);
  bool any_superior = false;
  for (const std::uint32_t agent : listened_) {
    if (agents.scores[agent] <= shared.code_score) continue;  // the superior group beats the code
    any_superior = true;
    const std::int8_t* action = agents.actions.data() + std::size_t{agent} * m;
    for (std::uint32_t j = 0; j < m; ++j) votes_[j] += action[j];
  }
  if (!any_superior) return;
  // p2_eff: p2 scaled by how much leadership listens (executives' style,
  // feedback and inclusion interventions), at most 1.
  const double keep = 1.0 - std::min(1.0, params_.code_learning_rate * shared.levers.code_learning_scale *
                                              shared.executive_listening);
  for (std::uint32_t j = 0; j < m; ++j) {
    const std::int32_t vote = votes_[j];
    const std::int8_t majority = vote > 0 ? std::int8_t{1} : vote < 0 ? std::int8_t{-1} : std::int8_t{0};
    if (majority == 0 || majority == shared.code[j]) continue;
    // 1 - (1 - p2)^k with k the majority's margin.
    if (stream.uniform() < 1.0 - std::pow(keep, std::abs(vote))) shared.code[j] = majority;
  }
}

bool KnowledgeMechanism::at_equilibrium(const AgentState& agents, const SharedState& shared) const {
  const std::uint32_t m = params_.dimensions;
  std::int32_t code_score = 0;
  for (std::uint32_t j = 0; j < m; ++j) code_score += shared.code[j] * shared.reality[j];
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    const auto belief = agents.beliefs_of(agent);
    std::int32_t best_possible = 0;
    for (std::uint32_t j = 0; j < m; ++j) {
      if (shared.code[j] != 0 && belief[j] != shared.code[j]) return false;
      best_possible += belief[j] == 0 ? 1 : belief[j] * shared.reality[j];
    }
    if (best_possible > code_score) return false;
  }
  return true;
}

}  // namespace orgsim
