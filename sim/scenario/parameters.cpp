#include "scenario/parameters.hpp"

#include <fmt/ranges.h>

#include "scenario/values.hpp"

#include <fmt/core.h>
#include <array>
#include <cmath>
#include <string>

namespace orgsim::scenario {
namespace {

using enum ValueType;
constexpr double kUnbounded = 1e18;

// clang-format off
constexpr std::array kParameters{
  ParameterSpec{"scenario.name", text, 0, "unnamed", 0, 0, "", "", "Short name, used for the default output file name."},
  ParameterSpec{"scenario.description", text, 0, "", 0, 0, "", "", "What question the scenario answers."},
  ParameterSpec{"scenario.seed", integer, 1, "", 0, 9.2e18, "", "", "Scenario seed; each run's seed is derived from it and the run's point and replicate."},
  ParameterSpec{"scenario.steps", integer, 260, "", 1, 1e7, "step", "T", "Horizon. One step is one week of organizational life."},
  ParameterSpec{"scenario.replicates", integer, 10, "", 1, 1e6, "run", "", "Independent runs of the scenario, each with its own seed."},

  ParameterSpec{"organization.network", text, 0, "small_world", 0, 0, "", "", "Informal network: small_world (Watts-Strogatz within departments), random (Erdos-Renyi within departments), or complete (mean field: partners drawn uniformly, no edges stored; for docking).", "small_world|random|complete"},
  ParameterSpec{"organization.span_of_control", integer, 8, "", 1, 100000, "agent", "", "Frontline employees per manager."},
  ParameterSpec{"organization.within_degree", real, 8, "", 0, 10000, "tie/agent", "k_in", "Mean number of informal ties an agent has inside its department (any real value; capped at the department size - 1)."},
  ParameterSpec{"organization.cross_degree", real, 1, "", 0, 10000, "tie/agent", "k_out", "Mean number of informal ties an agent has to other departments."},
  ParameterSpec{"organization.rewiring", real, 0.1, "", 0, 1, "1", "beta (Watts & Strogatz 1998)", "Probability that a small-world lattice tie is rewired to a random colleague in the same department."},
  ParameterSpec{"organization.reporting_ties", boolean, 1, "", 0, 1, "", "", "Reporting lines (agent-manager) are also informal ties."},

  ParameterSpec{"departments.name", text, 0, "", 0, 0, "", "d", "Department name, unique; interventions and --set refer to it.", "", true},
  ParameterSpec{"departments.headcount", integer, 0, "", 1, 1e9, "agent", "n_d", "People in the department, head and managers included.", "", true},
  ParameterSpec{"departments.kpi_alignment", real, 0.5, "", 0, 1, "1", "kappa_d", "Fraction of knowledge dimensions on which the department's KPI target agrees with customer reality."},
  ParameterSpec{"departments.incentive_weight", real, 0, "", 0, 1, "1", "w_d", "How strongly pay is tied to the department's KPI: pulls beliefs toward the KPI target (pi_i = w_d(1 - phi_i)) and anchors purpose (lambda_i = lambda(1 - w_d))."},
  ParameterSpec{"departments.purpose_baseline", real, 0.5, "", 0, 1, "1", "phi0", "Mean initial sense of shared purpose in the department."},
  ParameterSpec{"departments.purpose_spread", real, 0.2, "", 0, 1, "1", "", "Width of the uniform interval, centred on the baseline, from which individual purpose anchors are drawn."},
  ParameterSpec{"departments.leadership_style", real, 0.5, "", 0, 1, "1", "sigma (0 control, 1 servant)", "Mean leadership style of the department's head and managers."},
  ParameterSpec{"departments.leadership_spread", real, 0.2, "", 0, 1, "1", "", "Width of the uniform interval, centred on the mean, from which managers' styles are drawn."},
  ParameterSpec{"departments.jargon", text, 0, "", 0, 0, "", "", "The department's own word for service; its members start with it in their inventory. Empty: no word."},

  ParameterSpec{"knowledge.enabled", boolean, 1, "", 0, 1, "", "K", "Mutual learning between individuals and the mission code (March 1991)."},
  ParameterSpec{"knowledge.dimensions", integer, 30, "", 1, 4096, "dimension", "m (March 1991)", "Dimensions of reality, beliefs and the code."},
  ParameterSpec{"knowledge.socialization_rate", real, 0.1, "", 0, 1, "1/step", "p1 (March 1991)", "Per-dimension probability that a belief moves one step toward its target (code or KPI)."},
  ParameterSpec{"knowledge.code_learning_rate", real, 0.5, "", 0, 1, "1", "p2 (March 1991)", "Code learning: a code dimension adopts the superior group's majority with probability 1-(1-p2)^k."},
  ParameterSpec{"knowledge.turnover_rate", real, 0, "", 0, 1, "1/step", "p3 (March 1991)", "Per-step probability that an employee leaves and is replaced by a newcomer with random beliefs, a new purpose anchor and the department's jargon. Applies even when knowledge.enabled is false."},
  ParameterSpec{"knowledge.turbulence_rate", real, 0, "", 0, 1, "1/step", "p4 (March 1991)", "Per-step probability that each dimension of customer reality flips."},
  ParameterSpec{"knowledge.code_sample_size", integer, 100, "", 1, 1e9, "agent", "", "Employees the code-setters hear each step (everyone when the organization is smaller). Keeps the code from jumping to the majority at once in large organizations."},
  ParameterSpec{"knowledge.peer_learning_rate", real, 0, "", 0, 1, "1/step", "p_peer (Fang, Lee & Schilling 2010)", "Interpersonal learning: per dimension, the probability that a belief moves one step toward the majority belief of the informal ties whose action score beat the agent's this step (its superior colleagues). 0: off, as in March (1991)."},

  ParameterSpec{"language.enabled", boolean, 1, "", 0, 1, "", "L", "Naming game over the word for service (Steels 1995; Baronchelli et al. 2006)."},
  ParameterSpec{"language.schedule", text, 0, "each_agent", 0, 0, "", "", "each_agent: every agent speaks once per step in random order; random_speakers: N speakers drawn uniformly with replacement.", "each_agent|random_speakers"},
  ParameterSpec{"language.initial_inventory", text, 0, "jargon", 0, 0, "", "W_i(0)", "jargon: start with the department's word; empty: start with no word (the minimal naming game).", "jargon|empty"},

  ParameterSpec{"purpose.enabled", boolean, 1, "", 0, 1, "", "P", "Purpose as Friedkin-Johnsen opinion dynamics with anchoring."},
  ParameterSpec{"purpose.susceptibility", real, 0.8, "", 0, 1, "1", "lambda (Friedkin & Johnsen 1990)", "Susceptibility to colleagues; incentives lower it: lambda_i = lambda(1 - w_d)."},
  ParameterSpec{"purpose.self_weight", real, 1, "", 0, 1e6, "1", "W_ii", "Weight of an agent's own view in its row of W, relative to one colleague."},
  ParameterSpec{"purpose.manager_weight", real, 2, "", 0, 1e6, "1", "W_i,manager", "Weight of the own manager in W, relative to one colleague, scaled by trust in that manager (zero while the manager has no authority)."},

  ParameterSpec{"leadership.enabled", boolean, 0, "", 0, 1, "", "A", "Leadership style, trust in the own manager and authority conferred from below. Off: trust and authority stay 1."},
  ParameterSpec{"leadership.ceo_style", real, 0.5, "", 0, 1, "1", "sigma_CEO", "The CEO's leadership style (0 control, 1 servant)."},
  ParameterSpec{"leadership.trust_rate", real, 0.1, "", 0, 1, "1/step", "eta", "Speed at which trust moves toward its target: tau += eta (T - tau)."},
  ParameterSpec{"leadership.compliance_floor", real, 0.2, "", 0, 1, "1", "rho", "Trust target under pure control with no shared word: T = rho + (1 - rho)((1 - gamma) sigma + gamma s)."},
  ParameterSpec{"leadership.language_weight", real, 0.3, "", 0, 1, "1", "gamma", "Share of the trust target that comes from sharing a word for service with the manager (s = 1 if the inventories intersect)."},
  ParameterSpec{"leadership.authority_threshold", real, 0.4, "", 0, 1, "1", "theta", "A manager's authority is the mean trust of the direct reports; below this threshold it vanishes and the manager's top-down influence is zero."},
  ParameterSpec{"leadership.bottom_up_rate", real, 0.05, "", 0, 1, "1/step", "", "Per-step probability, scaled by the manager's style sigma, that a manager moves one belief one step toward a random direct report's."},
  ParameterSpec{"leadership.initial_trust", real, 0.5, "", 0, 1, "1", "tau(0)", "Trust in the manager at the start and for new hires."},

  ParameterSpec{"encounters.enabled", boolean, 0, "", 0, 1, "", "X", "Cross-silo encounters: naming games across departments become blame (failure) or collaboration that passes knowledge (success). Needs the language mechanism."},
  ParameterSpec{"encounters.blame_probability", real, 0.5, "", 0, 1, "1", "p_blame", "Chance that a failed game across departments turns into blame."},
  ParameterSpec{"encounters.blame_penalty", real, 0.05, "", 0, 1, "1", "", "Engagement each side loses when blamed (with E on; engagement relaxes back toward its target)."},
  ParameterSpec{"encounters.transfer_probability", real, 0.3, "", 0, 1, "1", "", "Chance that a successful game across departments passes one of the speaker's differing beliefs to the hearer."},

  ParameterSpec{"perception.enabled", boolean, 0, "", 0, 1, "", "V", "Actual service value, reports up the hierarchy, and what leaders and the front line perceive."},
  ParameterSpec{"perception.report_bias", real, 0.3, "", 0, 1, "1", "beta", "Good-news bias of a report from someone with no trust in the manager: report = view + beta (1 - tau)(1 - view) + noise."},
  ParameterSpec{"perception.report_noise", real, 0.15, "", 0, 1, "1", "", "Standard deviation of the noise in a report between two people who share no word for service (none when they do)."},
  ParameterSpec{"perception.collaboration_penalty", real, 0.5, "", 0, 1, "1", "", "Share of actual value lost per unit of the blame rate across departments."},
  ParameterSpec{"perception.customer_expectation", real, 0.5, "", 0, 1, "1", "x(0)", "What customers expect at the start; leaders judge reported value against it."},
  ParameterSpec{"perception.expectation_growth", real, 0.001, "", 0, 0.1, "1/step", "", "Rise of customer expectations per step."},
  ParameterSpec{"perception.frontline_norm", real, 0.5, "", 0, 1, "1", "", "The front line's own norm of good service, against which it judges what it delivers."},

  ParameterSpec{"engagement.enabled", boolean, 0, "", 0, 1, "", "E", "Engagement, disengagement-driven turnover and hiring policy. Off: turnover is March's p3 alone."},
  ParameterSpec{"engagement.rate", real, 0.1, "", 0, 1, "1/step", "eta_e", "Speed at which engagement moves toward its target."},
  ParameterSpec{"engagement.baseline", real, 0.6, "", 0, 1, "1", "e*", "Engagement target of someone with average purpose and trust (0.5 each) and no workload."},
  ParameterSpec{"engagement.purpose_weight", real, 0.4, "", 0, 10, "1", "", "Rise of the target per unit of purpose above 0.5."},
  ParameterSpec{"engagement.trust_weight", real, 0.4, "", 0, 10, "1", "", "Rise of the target per unit of trust in the manager above 0.5."},
  ParameterSpec{"engagement.workload", real, 0, "", 0, 1, "1", "", "Workload from client pressure; lowers the target by workload_weight x workload."},
  ParameterSpec{"engagement.workload_weight", real, 0.5, "", 0, 10, "1", "", "Fall of the target per unit of workload."},
  ParameterSpec{"engagement.initial", real, 0.6, "", 0, 1, "1", "e(0)", "Engagement at the start and of new hires."},
  ParameterSpec{"engagement.disengagement_turnover", real, 0.01, "", 0, 1, "1/step", "delta", "Leaving probability per step is p3 + delta (1 - e_i)."},
  ParameterSpec{"engagement.hiring_selectivity", real, 0, "", 0, 1, "1", "s (Harrison & Carroll 1991)", "Share of a new hire's dimensions that already agree with the code where it is set; the rest are uniform random (March)."},
  ParameterSpec{"engagement.newcomer_words", text, 0, "jargon", 0, 0, "", "", "What a new hire calls service: the department's jargon, nothing, or a word from outside nobody uses.", "jargon|empty|outside"},

  ParameterSpec{"interventions.name", text, 0, "", 0, 0, "", "", "Optional name, unique among interventions, for --set interventions.NAME.FIELD=VALUE."},
  ParameterSpec{"interventions.enabled", boolean, 1, "", 0, 1, "", "", "Whether it takes place: a what-if arm can switch it off with --set interventions.NAME.enabled=false."},
  ParameterSpec{"interventions.kind", text, 0, "", 0, 0, "", "", "What the intervention does; each kind's own keys are listed below with the kinds they apply to.", "service_definition|kpi_realignment|listening_sessions|language_program|leader_role_model|leadership_development|mission_inclusion|feedback_loop|hiring_policy|client_pressure", true},
  ParameterSpec{"interventions.start", integer, 0, "", 0, 1e7, "step", "", "Step at which it starts: it acts from this step on (0: the first step; its effect shows in the results from step start + 1); less than scenario.steps.", "", true},
  ParameterSpec{"interventions.duration", integer, 0, "", 0, 1e7, "step", "", "How many steps it lasts; 0: to the end of the horizon."},
  ParameterSpec{"interventions.departments", text_list, 0, "", 0, 0, "", "", "Departments it targets, by name; empty: all."},
  ParameterSpec{"interventions.anchor_boost", real, 0.2, "", 0, 1, "1", "", "Purpose anchors (and purpose) of the targeted people rise by boost x (1 - phi0) at the start.", "", false, "service_definition|mission_inclusion"},
  ParameterSpec{"interventions.kpi_alignment", real, 0.9, "", 0, 1, "1", "kappa_d", "The targeted departments' KPI is redrawn to agree with customer reality on this share of dimensions.", "", false, "kpi_realignment"},
  ParameterSpec{"interventions.incentive_scale", real, 1, "", 0, 1, "1", "", "The targeted departments' incentive weights are multiplied by this.", "", false, "kpi_realignment"},
  ParameterSpec{"interventions.sessions_per_step", real, 1, "", 0, 1000, "session/step", "", "Sessions per pair of targeted departments per step (a fraction is a probability).", "", false, "listening_sessions"},
  ParameterSpec{"interventions.participants", integer, 10, "", 1, 100000, "agent", "", "Pairs of people, one from each side, who meet in a session: nobody blames, both learn each other's word, and each passes a belief to the other.", "", false, "listening_sessions"},
  ParameterSpec{"interventions.word", text, 0, "", 0, 0, "", "", "The word for service it spreads (required for these kinds).", "", false, "language_program|leader_role_model"},
  ParameterSpec{"interventions.coverage", real, 0.8, "", 0, 1, "1", "", "Share of the targeted people enrolled in the programme at its start (the enrolment stays with the post, so a replacement attends too).", "", false, "language_program"},
  ParameterSpec{"interventions.session_rate", real, 0.25, "", 0, 1, "session/step", "", "Chance per step that an enrolled person attends a session (0.25: about one a month), in which the trainer, committed to the word, speaks it as in a naming game: the person adds it if new and keeps only it if known (committed agents: Xie et al. 2011).", "", false, "language_program"},
  ParameterSpec{"interventions.levels", text_list, 0, "ceo", 0, 0, "", "", "Which leaders adopt the word and speak it to their direct reports each step while they have authority.", "ceo|head|manager", false, "leader_role_model"},
  ParameterSpec{"interventions.style_shift", real, 0.5, "", 0, 1, "1", "", "Leadership styles in the targeted departments move this share of the way toward servant at the start: sigma += shift (1 - sigma).", "", false, "leadership_development"},
  ParameterSpec{"interventions.listening_scale", real, 2, "", 1, 100, "1", "", "Code learning p2 is multiplied by this while it lasts (capped at 1): leadership listens to employees who help craft the mission.", "", false, "mission_inclusion"},
  ParameterSpec{"interventions.engagement_boost", real, 0.1, "", 0, 1, "1", "", "The engagement target of the targeted people rises by this while it lasts.", "", false, "mission_inclusion"},
  ParameterSpec{"interventions.bias_reduction", real, 0.5, "", 0, 1, "1", "", "Share of the good-news bias removed from reports while it lasts.", "", false, "feedback_loop"},
  ParameterSpec{"interventions.voice_scale", real, 2, "", 1, 100, "1", "", "The code hears this many times more voices (code_sample_size) while it lasts.", "", false, "feedback_loop"},
  ParameterSpec{"interventions.selectivity", real, 0.5, "", 0, 1, "1", "s", "Hiring selectivity while it lasts.", "", false, "hiring_policy"},
  ParameterSpec{"interventions.workload", real, 0.5, "", 0, 1, "1", "", "Workload from client pressure while it lasts (replaces engagement.workload).", "", false, "client_pressure"},
};
// clang-format on

// Sized by its contents, so a section cannot be left out by a stale count.
constexpr auto kSections = std::to_array<std::string_view>(
    {"scenario", "organization", "departments", "knowledge", "language", "purpose", "leadership",
     "encounters", "perception", "engagement", "interventions"});

std::string format_default(const ParameterSpec& spec) {
  if (spec.required) return "required";
  switch (spec.type) {
    case integer:
      return fmt::format("{}", static_cast<std::int64_t>(spec.default_number));
    case real:
      return fmt::format("{}", spec.default_number);
    case boolean:
      return spec.default_number != 0 ? "true" : "false";
    case text:
      return fmt::format("\"{}\"", spec.default_text);
    case text_list:
      return spec.default_text.empty() ? "[] (all)" : fmt::format("[\"{}\"]", spec.default_text);
  }
  return {};
}

std::string format_range(const ParameterSpec& spec) {
  if (spec.type == boolean) return "true, false";
  if (spec.type == text || spec.type == text_list) {
    if (spec.choices.empty()) return spec.type == text_list ? "list of text" : "text";
    std::string choices{spec.choices};
    for (auto& c : choices)
      if (c == '|') c = ',';
    return choices;
  }
  auto bound = [&](double value) {
    if (value >= kUnbounded || value >= 9e18) return std::string("∞");
    return fmt::format("{}",
                       spec.type == integer ? static_cast<double>(static_cast<std::int64_t>(value)) : value);
  };
  return fmt::format("[{}, {}]", bound(spec.minimum), bound(spec.maximum));
}

}  // namespace

std::span<const ParameterSpec> parameter_table() {
  return kParameters;
}

const ParameterSpec* find_parameter(std::string_view key) {
  for (const auto& spec : kParameters) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

std::span<const std::string_view> section_names() {
  return kSections;
}

std::string parameters_markdown() {
  std::string out =
      "# Scenario reference\n\n"
      "Generated by `orgsim parameters` from the table the validator uses; do not edit by hand.\n"
      "Regenerate with `build/release/sim/orgsim parameters > docs/scenarios.md` (a test checks it is "
      "current).\n\n"
      "A scenario is a TOML file. Every key below may be given in its section (`[knowledge]`,\n"
      "`socialization_rate = 0.3`) or on the command line with the dotted key\n"
      "(`--set knowledge.socialization_rate=0.3`). Department fields are given per `[[departments]]`\n"
      "entry in the file and as `--set departments.NAME.FIELD=VALUE` on the command line.\n"
      "Unknown keys, wrong types and values outside the range are errors.\n";
  std::string_view current_section;
  for (const auto& spec : kParameters) {
    const auto section = spec.key.substr(0, spec.key.find('.'));
    if (section != current_section) {
      current_section = section;
      const bool array = section == "departments" || section == "interventions";
      out += fmt::format("\n## `[{}{}]{}`\n\n", array ? "[" : "", section, array ? "]" : "");
      if (section == "interventions") {
        out +=
            "Timed events. Each has a kind, a start, an optional duration and target departments,\n"
            "and the keys of its kind (the description names the kinds a key applies to).\n\n";
      }
      out += "| key | default | range | unit | symbol | description |\n|---|---|---|---|---|---|\n";
    }
    const std::string kinds =
        spec.kinds.empty() ? std::string{}
                           : fmt::format(" Kinds: {}.", fmt::join(detail::split_choices(spec.kinds), ", "));
    out += fmt::format("| `{}` | {} | {} | {} | {} | {}{} |\n", spec.key.substr(section.size() + 1),
                       format_default(spec), format_range(spec), spec.unit, spec.symbol, spec.description,
                       kinds);
  }
  return out;
}

}  // namespace orgsim::scenario
