// March (1991) mutual learning as a researcher would write it in an afternoon:
// the reference for the whole-process time of orgsim's March docking cell
// (bench/scenarios/march_cell.toml; bench/run-kernel-comparison times both).
//
// The rules are docs/model.md's K at that cell: n = 50 people, all with full
// authority, m = 30, no KPI pull, turnover (p3) or turbulence (p4), the code
// hears everyone. Each step: act, socialize toward the code as it was at the
// start of the step (p1), then the code learns from the actions of the people
// who beat it (p2). A run stops at March's equilibrium or after 500 steps.
//
// Usage: orgsim_march_kernel [runs=2000] [p1=0.5] [p2=0.5] [seed=1991]
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {

constexpr int kAgents = 50;
constexpr int kDimensions = 30;  // m
constexpr int kMaxSteps = 500;

struct RunOutcome {
  double code_knowledge;  // sum_j c_j r_j / m at the last step
  int equilibrium_step;   // -1 if not reached within kMaxSteps
};

int sign(int x) {
  return (x > 0) - (x < 0);
}

RunOutcome run_once(double p1, double p2, std::mt19937_64& rng) {
  std::bernoulli_distribution coin(0.5);
  std::bernoulli_distribution socializes(p1);
  std::uniform_int_distribution<int> belief_draw(-1, 1);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);

  std::vector<std::int8_t> reality(kDimensions);
  for (auto& r : reality) r = coin(rng) ? 1 : -1;
  std::vector<std::int8_t> code(kDimensions, 0);
  std::vector<std::int8_t> beliefs(kAgents * kDimensions);
  for (auto& b : beliefs) b = static_cast<std::int8_t>(belief_draw(rng));
  std::vector<std::int8_t> actions(kAgents * kDimensions);
  std::vector<int> scores(kAgents);

  for (int step = 1; step <= kMaxSteps; ++step) {
    // Act: a_ij = b_ij, or a fair coin where the person has no view.
    for (int i = 0; i < kAgents; ++i) {
      int score = 0;
      for (int j = 0; j < kDimensions; ++j) {
        const std::int8_t b = beliefs[i * kDimensions + j];
        const std::int8_t a = b != 0 ? b : (coin(rng) ? 1 : -1);
        actions[i * kDimensions + j] = a;
        score += a * reality[j];
      }
      scores[i] = score;
    }
    int code_score = 0;
    for (int j = 0; j < kDimensions; ++j) code_score += code[j] * reality[j];

    // Socialization (p1): one step toward the code, -1 -> 0 -> +1 or back.
    for (int i = 0; i < kAgents; ++i) {
      for (int j = 0; j < kDimensions; ++j) {
        if (!socializes(rng)) continue;
        std::int8_t& b = beliefs[i * kDimensions + j];
        if (code[j] != 0 && b != code[j]) b = static_cast<std::int8_t>(b + code[j]);
      }
    }

    // Code learning (p2): the majority action of those who beat the code,
    // adopted with probability 1 - (1 - p2)^|v_j|.
    std::vector<int> votes(kDimensions, 0);
    bool any_superior = false;
    for (int i = 0; i < kAgents; ++i) {
      if (scores[i] <= code_score) continue;
      any_superior = true;
      for (int j = 0; j < kDimensions; ++j) votes[j] += actions[i * kDimensions + j];
    }
    if (any_superior) {
      for (int j = 0; j < kDimensions; ++j) {
        const int majority = sign(votes[j]);
        if (majority == 0 || majority == code[j]) continue;
        if (uniform(rng) < 1.0 - std::pow(1.0 - p2, std::abs(votes[j]))) {
          code[j] = static_cast<std::int8_t>(majority);
        }
      }
    }

    // March's equilibrium: beliefs equal the code wherever it is set, and
    // nobody's best possible score (zeros guessed right) beats the code's.
    code_score = 0;
    for (int j = 0; j < kDimensions; ++j) code_score += code[j] * reality[j];
    bool equilibrium = true;
    for (int i = 0; i < kAgents && equilibrium; ++i) {
      int best_possible = 0;
      for (int j = 0; j < kDimensions; ++j) {
        const std::int8_t b = beliefs[i * kDimensions + j];
        if (code[j] != 0 && b != code[j]) equilibrium = false;
        best_possible += b == 0 ? 1 : b * reality[j];
      }
      if (best_possible > code_score) equilibrium = false;
    }
    if (equilibrium) return {static_cast<double>(code_score) / kDimensions, step};
  }
  int code_score = 0;
  for (int j = 0; j < kDimensions; ++j) code_score += code[j] * reality[j];
  return {static_cast<double>(code_score) / kDimensions, -1};
}

}  // namespace

int main(int argc, char** argv) {
  const long runs = argc > 1 ? std::atol(argv[1]) : 2000;
  const double p1 = argc > 2 ? std::atof(argv[2]) : 0.5;
  const double p2 = argc > 3 ? std::atof(argv[3]) : 0.5;
  const unsigned long long seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1991;
  if (runs < 1) {
    std::fprintf(stderr, "usage: %s [runs] [p1] [p2] [seed]\n", argv[0]);
    return 2;
  }

  std::mt19937_64 rng(seed);
  double knowledge_sum = 0.0;
  double knowledge_squares = 0.0;
  double step_sum = 0.0;
  long reached = 0;
  int slowest = 0;
  for (long run = 0; run < runs; ++run) {
    const RunOutcome outcome = run_once(p1, p2, rng);
    knowledge_sum += outcome.code_knowledge;
    knowledge_squares += outcome.code_knowledge * outcome.code_knowledge;
    if (outcome.equilibrium_step >= 0) {
      ++reached;
      step_sum += outcome.equilibrium_step;
      if (outcome.equilibrium_step > slowest) slowest = outcome.equilibrium_step;
    }
  }
  const double mean = knowledge_sum / static_cast<double>(runs);
  const double variance = (knowledge_squares / static_cast<double>(runs) - mean * mean) *
                          static_cast<double>(runs) / static_cast<double>(runs > 1 ? runs - 1 : 1);
  std::printf(
      "march_kernel runs=%ld p1=%g p2=%g code_knowledge=%.4f se=%.4f mean_equilibrium_step=%.2f "
      "max_equilibrium_step=%d reached=%ld\n",
      runs, p1, p2, mean, std::sqrt(variance / static_cast<double>(runs)),
      reached > 0 ? step_sum / static_cast<double>(reached) : -1.0, slowest, reached);
  return 0;
}
