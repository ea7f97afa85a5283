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
      positive_votes_(params_.dimensions) {
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
  step(world.agents, world.shared, stream, world.blocks);
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
  for (std::uint32_t j = 0; j < agents.dimensions; ++j) agents.beliefs.set(agent, j, uniform_belief(stream));
}

// The code-setters are chosen before anyone acts, so that the votes of those
// who beat the code are counted as they act and no action is stored.
void KnowledgeMechanism::step(AgentState& agents, SharedState& shared, RandomStream& stream,
                              BlockPool& blocks) {
  if (frozen_) return;
  if (!turbulence_.never()) {
    for (auto& r : shared.reality) {
      if (turbulence_(stream)) r = static_cast<std::int8_t>(-r);
    }
  }
  sample_listened(agents.agent_count, shared.levers.voice_scale, stream);
  act(agents, shared, stream, blocks);
  if (params_.peer_learning_rate > 0) learn_from_peers(agents, stream);
  socialize(agents, shared, stream, blocks);
  learn_code(shared, stream);
  if (closed_ && at_equilibrium(agents, shared)) frozen_ = true;
}

// Acting: a_ij is the belief, or a fair coin where b_ij = 0; one 64-bit draw
// per agent and word supplies the coins, bit j for dimension j, from the
// agent's block's stream. The score sum_j a_ij r_j is the agreements less
// the disagreements with reality. Each block counts its superior voters'
// votes apart; the counts are whole numbers, so their sum is exact.
void KnowledgeMechanism::act(AgentState& agents, SharedState& shared, RandomStream& stream,
                             BlockPool& blocks) {
  const std::uint32_t m = params_.dimensions;
  const auto& beliefs = agents.beliefs;
  const std::uint32_t words = beliefs.words();
  reality_.assign(shared.reality);
  std::int32_t code_score = 0;
  for (std::uint32_t j = 0; j < m; ++j) code_score += shared.code[j] * shared.reality[j];
  shared.code_score = code_score;
  const std::uint32_t block_total = block_count(agents.agent_count);
  block_votes_.assign(std::size_t{block_total} * m, 0);
  block_voters_.assign(block_total, 0);
  action_.resize(std::size_t{block_total} * words);
  const std::uint64_t base = stream();
  blocks.for_each(block_total, [&](std::uint32_t block) {
    RandomStream coins = RandomStream::for_block(base, block);
    std::uint64_t* action = action_.data() + std::size_t{block} * words;
    std::int32_t* votes = block_votes_.data() + std::size_t{block} * m;
    const auto [first, end] = block_range(block, agents.agent_count);
    for (std::uint32_t agent = first; agent < end; ++agent) {
      std::int32_t agreements = 0;
      for (std::uint32_t w = 0; w < words; ++w) {
        action[w] = beliefs.positive(agent, w) | (coins() & ~beliefs.held(agent, w));
        agreements += std::popcount(~(action[w] ^ reality_.positive[w]) & beliefs.valid(w));
      }
      const std::int32_t score = 2 * agreements - static_cast<std::int32_t>(m);
      agents.scores[agent] = score;
      // The code learns from the listened whose action beats it (the superior group).
      if (score <= code_score || (!everyone_listened_ && picked_[agent] == 0)) continue;
      ++block_voters_[block];
      for (std::uint32_t w = 0; w < words; ++w) {
        for (std::uint64_t bits = action[w] & beliefs.valid(w); bits != 0; bits &= bits - 1)
          ++votes[w * 64 + static_cast<std::uint32_t>(std::countr_zero(bits))];
      }
    }
  });
  std::fill(positive_votes_.begin(), positive_votes_.end(), 0);
  superior_voters_ = 0;
  for (std::uint32_t block = 0; block < block_total; ++block) {
    superior_voters_ += block_voters_[block];
    const std::int32_t* votes = block_votes_.data() + std::size_t{block} * m;
    for (std::uint32_t j = 0; j < m; ++j) positive_votes_[j] += votes[j];
  }
  if (!everyone_listened_) {
    for (const auto agent : listened_) picked_[agent] = 0;
  }
}

// The code-setters hear everyone in a small organization and a uniform sample
// without replacement (Floyd's algorithm) in a large one, marked in picked_
// until the agents have acted.
void KnowledgeMechanism::sample_listened(std::uint32_t agent_count, double voice_scale,
                                         RandomStream& stream) {
  listened_.clear();
  const auto sample_size = static_cast<std::uint32_t>(
      std::min<double>(static_cast<double>(params_.code_sample_size) * voice_scale, agent_count));
  everyone_listened_ = agent_count <= sample_size;
  if (everyone_listened_) return;
  for (std::uint32_t j = agent_count - sample_size; j < agent_count; ++j) {
    std::uint32_t candidate = stream.below(j + 1);
    if (picked_[candidate] != 0) candidate = j;
    picked_[candidate] = 1;
    listened_.push_back(candidate);
  }
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
  snapshot_ = agents.beliefs;
  peer_votes_.resize(m);
  const auto add_if_superior = [&](std::uint32_t agent, std::uint32_t peer) {
    if (agents.scores[peer] <= agents.scores[agent]) return false;
    for (std::uint32_t w = 0; w < snapshot_->words(); ++w) {
      const std::uint64_t positive = snapshot_->positive(peer, w);
      for (std::uint64_t bits = snapshot_->held(peer, w); bits != 0; bits &= bits - 1) {
        const auto bit = static_cast<std::uint32_t>(std::countr_zero(bits));
        peer_votes_[w * 64 + bit] += ((positive >> bit) & 1U) != 0 ? 1 : -1;
      }
    }
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
    for (std::uint32_t j = 0; j < m; ++j) {
      const std::int32_t vote = peer_votes_[j];
      const std::int8_t majority = vote > 0 ? std::int8_t{1} : vote < 0 ? std::int8_t{-1} : std::int8_t{0};
      if (majority == 0 || majority == agents.beliefs.get(agent, j)) continue;
      if (learns(stream)) agents.beliefs.step_toward(agent, j, majority);
    }
  }
}

// The dimensions that move with probability q (p1 alpha_i, resolved to
// 2^-32), as a mask of one word's lanes: each lane compares a uniform U with
// q bit by bit, most significant first, one 64-bit draw giving every lane
// its next bit, and is decided (U < q where U's bit is 0 and q's is 1, U > q
// where it is the other way round) at the first bit where they differ. Half
// the undecided lanes are decided at each bit, so 30 lanes take about six
// draws rather than one trial each, and once q's remaining bits are all 0
// the undecided lanes are decided at once (U >= q).
std::uint64_t KnowledgeMechanism::moving_lanes(std::uint64_t lanes, std::uint64_t threshold,
                                               RandomStream& stream) {
  if (threshold >= (std::uint64_t{1} << 32U)) return lanes;
  std::uint64_t moving = 0;
  for (int bit = 31; bit >= 0 && lanes != 0; --bit) {
    if ((threshold & ((std::uint64_t{2} << static_cast<unsigned>(bit)) - 1)) == 0) break;
    const std::uint64_t draw = stream();
    const bool q_bit = ((threshold >> static_cast<unsigned>(bit)) & 1U) != 0;
    const std::uint64_t decided = lanes & (q_bit ? ~draw : draw);
    if (q_bit) moving |= decided;
    lanes &= ~decided;
  }
  return moving;
}

// Each moving dimension then draws its target: the department's KPI with
// probability pi_i = w_d (1 - phi_i), the code otherwise. A word's moves are
// then made at once: toward the target's sign where it is set, a belief of
// the other sign drops to 0 and a 0 takes the target's sign. An agent moves
// only its own beliefs, with its block's stream.
void KnowledgeMechanism::socialize(AgentState& agents, const SharedState& shared, RandomStream& stream,
                                   BlockPool& blocks) {
  const std::uint32_t m = params_.dimensions;
  auto& beliefs = agents.beliefs;
  code_.assign(shared.code);
  const std::uint64_t base = stream();
  blocks.for_each(block_count(agents.agent_count), [&](std::uint32_t block) {
    RandomStream draws = RandomStream::for_block(base, block);
    const auto [first, end] = block_range(block, agents.agent_count);
    for (std::uint32_t agent = first; agent < end; ++agent) {
      const double moves = params_.socialization_rate * agents.authority[agent];  // p1 * alpha_i
      if (moves <= 0.0) continue;
      const auto threshold = static_cast<std::uint64_t>(std::min(moves, 1.0) * 0x1.0p32);
      const std::uint16_t department = organization_.department[agent];
      const BernoulliThreshold kpi_target(shared.levers.incentive_weight[department] *
                                          (1.0 - agents.purpose[agent]));
      const bool pulled = !kpi_target.never();
      const std::int8_t* kpi = shared.kpi_targets.data() + std::size_t{department} * m;
      for (std::uint32_t w = 0; w < beliefs.words(); ++w) {
        const std::uint64_t moving = moving_lanes(beliefs.valid(w), threshold, draws);
        if (moving == 0) continue;
        std::uint64_t target_held = code_.held[w];
        std::uint64_t target_positive = code_.positive[w];
        if (pulled) {
          for (std::uint64_t bits = moving; bits != 0; bits &= bits - 1) {
            if (!kpi_target(draws)) continue;
            const auto bit = static_cast<std::uint32_t>(std::countr_zero(bits));
            const std::uint64_t mask = std::uint64_t{1} << bit;
            target_held |= mask;  // KPI targets are never 0
            target_positive = kpi[w * 64 + bit] > 0 ? target_positive | mask : target_positive & ~mask;
          }
        }
        auto& held = beliefs.held(agent, w);
        auto& positive = beliefs.positive(agent, w);
        const std::uint64_t toward = moving & target_held;
        const std::uint64_t dropping = toward & held & (positive ^ target_positive);
        const std::uint64_t taking = toward & ~held;
        held = (held & ~dropping) | taking;
        positive = (positive & ~dropping) | (taking & target_positive);
      }
    }
  });
}

void KnowledgeMechanism::learn_code(SharedState& shared, RandomStream& stream) {
  if (superior_voters_ == 0) return;
  const std::uint32_t m = params_.dimensions;
  // p2_eff: p2 scaled by how much leadership listens (executives' style,
  // feedback and inclusion interventions), at most 1.
  const double keep = 1.0 - std::min(1.0, params_.code_learning_rate * shared.levers.code_learning_scale *
                                              shared.executive_listening);
  for (std::uint32_t j = 0; j < m; ++j) {
    const std::int32_t vote = 2 * positive_votes_[j] - superior_voters_;  // v_j
    const std::int8_t majority = vote > 0 ? std::int8_t{1} : vote < 0 ? std::int8_t{-1} : std::int8_t{0};
    if (majority == 0 || majority == shared.code[j]) continue;
    // 1 - (1 - p2)^k with k the majority's margin.
    if (stream.uniform() < 1.0 - std::pow(keep, std::abs(vote))) shared.code[j] = majority;
  }
}

// Every belief equals the code wherever the code is set, and nobody's best
// possible score (sum_j b_ij r_j, plus one for each b_ij = 0) beats the code's.
bool KnowledgeMechanism::at_equilibrium(const AgentState& agents, const SharedState& shared) const {
  const std::uint32_t m = params_.dimensions;
  std::int32_t code_score = 0;
  for (std::uint32_t j = 0; j < m; ++j) code_score += shared.code[j] * shared.reality[j];
  SignPlanes code, reality;
  code.assign(shared.code);
  reality.assign(shared.reality);
  const auto& beliefs = agents.beliefs;
  for (std::uint32_t agent = 0; agent < agents.agent_count; ++agent) {
    std::int32_t best_possible = 0;
    for (std::uint32_t w = 0; w < beliefs.words(); ++w) {
      const std::uint64_t held = beliefs.held(agent, w);
      const std::uint64_t positive = beliefs.positive(agent, w);
      if ((code.held[w] & (~held | (positive ^ code.positive[w]))) != 0) return false;
      const std::uint64_t wrong = positive ^ reality.positive[w];
      best_possible += std::popcount(~held & beliefs.valid(w)) + std::popcount(held & ~wrong) -
                       std::popcount(held & wrong);
    }
    if (best_possible > code_score) return false;
  }
  return true;
}

// Acting, learning from colleagues, socialization (p1 alpha_i, the KPI pull
// w_d (1 - phi_i)) and code learning (the executives' listening).
StateUse KnowledgeMechanism::step_uses() const {
  return {state::beliefs | state::scores | state::knowledge_shared | state::authority | state::purpose |
              state::levers | state::executive_listening,
          state::beliefs | state::scores | state::knowledge_shared};
}

}  // namespace orgsim
