#include "scenario/parameters.hpp"

#include <fmt/ranges.h>

#include "scenario/values.hpp"

#include <fmt/core.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace orgsim::scenario {
namespace {

using enum ValueType;
constexpr double kUnbounded = 1e18;

// clang-format off
constexpr std::array kParameters{
  ParameterSpec{"scenario.name", text, 0, "unnamed", 0, 0, "", "", "Short name, used for the default output file name (NAME.h5 in the current directory). The characters of a department name, and any beyond ASCII.", "No meaningful default: a placeholder so that a scenario without a name still gets an output file name (unnamed.h5); every shipped scenario names itself."},
  ParameterSpec{"scenario.description", text, 0, "", 0, 0, "", "", "What question the scenario answers.", "Free text that only documents the scenario, so it may be empty: it changes nothing in a run."},
  ParameterSpec{"scenario.seed", integer, 1, "", 0, 9.2e18, "", "", "Scenario seed; each run's seed is derived from it and the run's point and replicate.", "Any fixed seed makes a bare scenario reproducible; 1 is arbitrary, and every shipped scenario sets its own."},
  ParameterSpec{"scenario.steps", integer, 260, "", 1, 1e7, "step", "T", "Horizon. One step is one week of organizational life.", "One step is a week, so 260 steps are five years: the horizon over which the default and what-if scenarios ask whether a shared view of service emerges. A modelling choice, not a fitted value."},
  ParameterSpec{"scenario.replicates", integer, 10, "", 1, 1e6, "run", "", "Independent runs of the scenario, each with its own seed.", "A judgment: ten independent runs give the run summary a usable 95% interval over replicates at little cost; the pattern tests use 20 paired replicates."},

  ParameterSpec{"organization.network", text, 0, "small_world", 0, 0, "", "", "Informal network: small_world (Watts-Strogatz within departments), random (Erdos-Renyi within departments), or complete (mean field: partners drawn uniformly, no edges stored; for docking).", "Informal networks inside organizations are clustered with short paths between people, which the Watts & Strogatz (1998) small world captures; random lacks the clustering, and complete (mean field) is for docking.", "small_world|random|complete"},
  ParameterSpec{"organization.span_of_control", integer, 8, "", 1, 100000, "agent", "", "Frontline employees per manager.", "A judgment: a frontline team of eight per manager, a moderate span. Not taken from a published model or fitted to data."},
  ParameterSpec{"organization.within_degree", real, 8, "", 0, 10000, "tie/agent", "k_in", "Mean number of informal ties an agent has inside its department (any real value; capped at the department size - 1).", "A judgment: each person talks regularly with about eight colleagues in the department, four on each side of the Watts & Strogatz (1998) ring lattice. Not fitted to data."},
  ParameterSpec{"organization.cross_degree", real, 1, "", 0, 10000, "tie/agent", "k_out", "Mean number of informal ties an agent has to other departments.", "A judgment that makes departments silos: one tie to other departments per person against eight inside, so most conversations stay in the department while the firm stays connected."},
  ParameterSpec{"organization.rewiring", real, 0.1, "", 0, 1, "1", "beta (Watts & Strogatz 1998)", "Probability that a small-world lattice tie is rewired to a random colleague in the same department.", "Watts & Strogatz (1998) show that rewiring a small share of lattice ties already brings path lengths close to a random graph's while clustering stays far above it; 0.1 lies in that small-world regime."},
  ParameterSpec{"organization.reporting_ties", boolean, 1, "", 0, 1, "", "", "Reporting lines (agent-manager) are also informal ties.", "People talk to their own manager, so a reporting line is also an informal tie by default; switching it off separates the formal from the informal network."},

  ParameterSpec{"departments.name", text, 0, "", 0, 0, "", "d", "Department name, unique; interventions and --set refer to it. Letters, digits, spaces, '_', '-' and '&', beginning with a letter or digit and not ending with a space: the name becomes part of keys (departments.NAME.FIELD) and of the results file's variable names.", "Required, no default: interventions and --set refer to departments by name, so the scenario must name each one.", "", true},
  ParameterSpec{"departments.headcount", integer, 0, "", 1, 1e9, "agent", "n_d", "People in the department, head and managers included.", "Required, no default: the size of each department is what a scenario describes, and no size is typical enough to assume.", "", true},
  ParameterSpec{"departments.kpi_alignment", real, 0.5, "", 0, 1, "1", "kappa_d", "Fraction of knowledge dimensions on which the department's KPI target agrees with customer reality.", "A KPI no better than chance: it agrees with customer reality on half the dimensions, as a random target would, so an unstated KPI carries no information either way. It acts only through incentive_weight, which is 0 by default."},
  ParameterSpec{"departments.incentive_weight", real, 0, "", 0, 1, "1", "w_d", "How strongly pay is tied to the department's KPI: pulls beliefs toward the KPI target (pi_i = w_d(1 - phi_i)) and anchors purpose (lambda_i = lambda(1 - w_d)).", "No KPI pull unless the scenario states it, so a department with default pay learns as in March (1991) and anchors purpose as in Friedkin & Johnsen (1990); the docking cases rely on this."},
  ParameterSpec{"departments.purpose_baseline", real, 0.5, "", 0, 1, "1", "phi0", "Mean initial sense of shared purpose in the department.", "The midpoint of the scale: neither strong nor weak shared purpose unless the scenario says otherwise. A neutral choice, not fitted to data."},
  ParameterSpec{"departments.purpose_spread", real, 0.2, "", 0, 1, "1", "", "Width of the uniform interval, centred on the baseline, from which individual purpose anchors are drawn.", "A judgment: anchors within 0.1 either side of the baseline give people different starting views without the spread dominating the department's mean."},
  ParameterSpec{"departments.leadership_style", real, 0.5, "", 0, 1, "1", "sigma (0 control, 1 servant)", "Mean leadership style of the department's head and managers.", "Mid-way between control (0) and servant (1), a neutral choice; with the CEO also at 0.5 the executives' mean style leaves code learning p2 unscaled (0.5 + 0.5 = 1) when leadership is on."},
  ParameterSpec{"departments.leadership_spread", real, 0.2, "", 0, 1, "1", "", "Width of the uniform interval, centred on the mean, from which managers' styles are drawn.", "A judgment matching purpose_spread: managers' styles within 0.1 either side of the department's mean, so managers differ without blurring the department's style."},
  ParameterSpec{"departments.jargon", text, 0, "", 0, 0, "", "", "The department's own word for service; its members start with it in their inventory. Empty: no word.", "A department has a word of its own only if the scenario gives one; without it its members start with no word, as in the minimal naming game (Baronchelli et al. 2006)."},

  ParameterSpec{"knowledge.enabled", boolean, 1, "", 0, 1, "", "K", "Mutual learning between individuals and the mission code (March 1991).", "On: mutual learning is part of the docked core model (March 1991, docking in docs/validation.md), so a bare scenario runs it."},
  ParameterSpec{"knowledge.dimensions", integer, 30, "", 1, 4096, "dimension", "m (March 1991)", "Dimensions of reality, beliefs and the code.", "m = 30, the number of dimensions of reality in March (1991) and in the docking reference table."},
  ParameterSpec{"knowledge.socialization_rate", real, 0.1, "", 0, 1, "1/step", "p1 (March 1991)", "Per-dimension probability that a belief moves one step toward its target (code or KPI).", "p1 = 0.1 is March's (1991) slow socialization, under which the code learns most (docking table in docs/validation.md); a one-in-ten chance per dimension and week is a judgment of how fast people take on the organization's view."},
  ParameterSpec{"knowledge.code_learning_rate", real, 0.5, "", 0, 1, "1", "p2 (March 1991)", "Code learning: a code dimension adopts the superior group's majority with probability 1-(1-p2)^k.", "Mid-way between the slow (0.1) and fast (0.9) code learning of the March (1991) docking table in docs/validation.md; a judgment, since no firm's p2 is known."},
  ParameterSpec{"knowledge.turnover_rate", real, 0, "", 0, 1, "1/step", "p3 (March 1991)", "Per-step probability that an employee leaves and is replaced by a newcomer with random beliefs, a new purpose anchor and the department's jargon. Applies even when knowledge.enabled is false.", "0 is March's (1991) closed organization, which keeps the docked equilibrium absorbing. Scenarios of real firms set it: 0.002 a week, about 10% of staff a year, in scenarios/default.toml."},
  ParameterSpec{"knowledge.turbulence_rate", real, 0, "", 0, 1, "1/step", "p4 (March 1991)", "Per-step probability that each dimension of customer reality flips.", "0 is the stable customer reality of March's (1991) basic model and of the docked equilibrium; reality changes only when a scenario asks for turbulence."},
  ParameterSpec{"knowledge.code_sample_size", integer, 100, "", 1, 1e9, "agent", "", "Employees the code-setters hear each step (everyone when the organization is smaller). Keeps the code from jumping to the majority at once in large organizations.", "A modelling choice, not from March: 100 voices cover the 50-person docking organization, so small organizations are heard in full as in March (1991), while in large ones the code's votes stop growing with size."},
  ParameterSpec{"knowledge.peer_learning_rate", real, 0, "", 0, 1, "1/step", "p_peer (Fang, Lee & Schilling 2010)", "Interpersonal learning: per dimension, the probability that a belief moves one step toward the majority belief of the informal ties whose action score beat the agent's this step (its superior colleagues). 0: off, as in March (1991).", "0 leaves the docked March (1991) model exactly as it is, with learning only from the code; Fang, Lee & Schilling (2010) learning from better-performing colleagues is a choice a scenario makes (scenarios/docking/fang_silos.toml uses 0.9)."},

  ParameterSpec{"language.enabled", boolean, 1, "", 0, 1, "", "L", "Naming game over the word for service (Steels 1995; Baronchelli et al. 2006).", "On: the naming game is part of the docked core model (Baronchelli et al. 2006; the N^1.5 scaling is reproduced in docs/validation.md), so a bare scenario runs it."},
  ParameterSpec{"language.schedule", text, 0, "each_agent", 0, 0, "", "", "each_agent: every agent speaks once per step in random order; random_speakers: N speakers drawn uniformly with replacement.", "People talk about their work every week, so each agent speaks once per step; random_speakers reproduces the uniformly drawn speakers of Baronchelli et al. (2006) for docking.", "each_agent|random_speakers"},
  ParameterSpec{"language.initial_inventory", text, 0, "jargon", 0, 0, "", "W_i(0)", "jargon: start with the department's word; empty: start with no word (the minimal naming game).", "Departments start with their own words for service, the situation the model studies; empty is the minimal naming game of Baronchelli et al. (2006), used for docking.", "jargon|empty"},

  ParameterSpec{"purpose.enabled", boolean, 1, "", 0, 1, "", "P", "Purpose as Friedkin-Johnsen opinion dynamics with anchoring.", "On: Friedkin-Johnsen influence is part of the docked core model (its exact equilibrium is checked in docs/validation.md), so a bare scenario runs it."},
  ParameterSpec{"purpose.susceptibility", real, 0.8, "", 0, 1, "1", "lambda (Friedkin & Johnsen 1990)", "Susceptibility to colleagues; incentives lower it: lambda_i = lambda(1 - w_d).", "A modelling choice, not an estimate: people weigh colleagues heavily but stay one fifth anchored to the purpose they came with, between the DeGroot consensus (1) and no influence (0) of Friedkin & Johnsen's (1990) model."},
  ParameterSpec{"purpose.self_weight", real, 1, "", 0, 1e6, "1", "W_ii", "Weight of an agent's own view in its row of W, relative to one colleague.", "A neutral choice: an agent's own view counts as much as one colleague's."},
  ParameterSpec{"purpose.manager_weight", real, 2, "", 0, 1e6, "1", "W_i,manager", "Weight of the own manager in W, relative to one colleague, scaled by trust in that manager (zero while the manager has no authority).", "A judgment: the own manager counts as much as two colleagues, the extra weight of a formal superior, and only as far as the manager is trusted."},

  ParameterSpec{"leadership.enabled", boolean, 0, "", 0, 1, "", "A", "Leadership style, trust in the own manager and authority conferred from below. Off: trust and authority stay 1.", "Off by default so that a bare scenario is the docked core model (K, L, P) and each extension is a visible choice in the file; the default scenario and the what-if cases in scenarios/whatif/ switch it on. With it off, trust and authority stay 1, as in the core model."},
  ParameterSpec{"leadership.ceo_style", real, 0.5, "", 0, 1, "1", "sigma_CEO", "The CEO's leadership style (0 control, 1 servant).", "Mid-way between control and servant, like the departments' default leadership_style, so the executives' mean style leaves code learning p2 unscaled (0.5 + 0.5 = 1)."},
  ParameterSpec{"leadership.trust_rate", real, 0.1, "", 0, 1, "1/step", "eta", "Speed at which trust moves toward its target: tau += eta (T - tau).", "A judgment: trust closes a tenth of the gap to its target each week, a time constant of about ten weeks. Not fitted to data."},
  ParameterSpec{"leadership.compliance_floor", real, 0.2, "", 0, 1, "1", "rho", "Trust target under pure control with no shared word: T = rho + (1 - rho)((1 - gamma) sigma + gamma s).", "A judgment: under pure control with no shared word people still comply and keep a little trust rather than none. With the other defaults a control-style manager (sigma = 0.1) without a shared word gets a trust target of 0.26, below the authority threshold."},
  ParameterSpec{"leadership.language_weight", real, 0.3, "", 0, 1, "1", "gamma", "Share of the trust target that comes from sharing a word for service with the manager (s = 1 if the inventories intersect).", "A judgment that style matters more than words: a shared word for service supplies 30% of the trust target and style the rest, enough to lift a control-style manager's (sigma = 0.1) target from 0.26 to 0.50."},
  ParameterSpec{"leadership.authority_threshold", real, 0.4, "", 0, 1, "1", "theta", "A manager's authority is the mean trust of the direct reports; below this threshold it vanishes and the manager's top-down influence is zero.", "A judgment placed between the trust targets the other defaults give: a mid-way manager (sigma = 0.5) keeps authority even without a shared word (target 0.48), a control-style one (sigma = 0.1) without one loses it (0.26)."},
  ParameterSpec{"leadership.bottom_up_rate", real, 0.05, "", 0, 1, "1/step", "", "Per-step probability, scaled by the manager's style sigma, that a manager moves one belief one step toward a random direct report's.", "A judgment: even a fully servant manager moves one belief toward a report's only about once in 20 weeks, so learning from below is slow next to socialization (p1 = 0.1 per dimension and week)."},
  ParameterSpec{"leadership.initial_trust", real, 0.5, "", 0, 1, "1", "tau(0)", "Trust in the manager at the start and for new hires.", "The midpoint: people start, and new hires arrive, neither trusting nor distrusting a manager they do not yet know. A neutral choice."},

  ParameterSpec{"encounters.enabled", boolean, 0, "", 0, 1, "", "X", "Cross-silo encounters: naming games across departments become blame (failure) or collaboration that passes knowledge (success). Needs the language mechanism.", "Off by default so that a bare scenario is the docked core model (K, L, P) and each extension is a visible choice in the file; the default scenario and the what-if cases in scenarios/whatif/ switch it on."},
  ParameterSpec{"encounters.blame_probability", real, 0.5, "", 0, 1, "1", "p_blame", "Chance that a failed game across departments turns into blame.", "A judgment: a failed encounter across departments is as likely to end in blame as not. The listening-sessions case uses it, and its pattern holds at 0.375 and 0.625 (docs/validation.md)."},
  ParameterSpec{"encounters.blame_penalty", real, 0.05, "", 0, 1, "1", "", "Engagement each side loses when blamed (with E on; engagement relaxes back toward its target).", "A judgment: one blame costs 0.05 of engagement, small on the 0 to 1 scale, so blame wears engagement down only when it recurs faster than engagement relaxes back (engagement.rate)."},
  ParameterSpec{"encounters.transfer_probability", real, 0.3, "", 0, 1, "1", "", "Chance that a successful game across departments passes one of the speaker's differing beliefs to the hearer.", "A judgment: about one successful encounter across departments in three passes on a belief. The listening-sessions case uses it, and its pattern holds at 0.225 and 0.375 (docs/validation.md)."},

  ParameterSpec{"perception.enabled", boolean, 0, "", 0, 1, "", "V", "Actual service value, reports up the hierarchy, and what leaders and the front line perceive.", "Off by default so that a bare scenario is the docked core model (K, L, P) and each extension is a visible choice in the file; the default scenario and the what-if cases in scenarios/whatif/ switch it on."},
  ParameterSpec{"perception.report_bias", real, 0.3, "", 0, 1, "1", "beta", "Good-news bias of a report from someone with no trust in the manager: report = view + beta (1 - tau)(1 - view) + noise.", "A judgment: a report from someone with no trust in the manager moves 30% of the way from the true view toward 1, the best possible (15% at the initial trust of 0.5). The perception-gap case uses 0.4, and its feedback-loop pattern holds at 0.3 and 0.5 (docs/validation.md)."},
  ParameterSpec{"perception.report_noise", real, 0.15, "", 0, 1, "1", "", "Standard deviation of the noise in a report between two people who share no word for service (none when they do).", "A judgment: between people who share no word, a report is off by about 0.15 on the 0 to 1 scale (one standard deviation); with a shared word there is no noise."},
  ParameterSpec{"perception.collaboration_penalty", real, 0.5, "", 0, 1, "1", "", "Share of actual value lost per unit of the blame rate across departments.", "A judgment: if every encounter across departments ended in blame, half the value delivered would be lost; without blame nothing is."},
  ParameterSpec{"perception.customer_expectation", real, 0.5, "", 0, 1, "1", "x(0)", "What customers expect at the start; leaders judge reported value against it.", "0.5 is what a front line acting at random delivers at full engagement (half its actions match what customers value), so leaders start by judging against chance-level service."},
  ParameterSpec{"perception.expectation_growth", real, 0.001, "", 0, 0.1, "1/step", "", "Rise of customer expectations per step.", "A judgment: expectations rise by 0.001 a week, about 0.05 a year and 0.26 over the default five years, so service that stands still looks like decline to the leaders."},
  ParameterSpec{"perception.frontline_norm", real, 0.5, "", 0, 1, "1", "", "The front line's own norm of good service, against which it judges what it delivers.", "The same chance-level yardstick (0.5) as the starting customer expectation, so the front line and the leaders start from one standard; the perception-gap case holds both at 0.5."},

  ParameterSpec{"engagement.enabled", boolean, 0, "", 0, 1, "", "E", "Engagement, disengagement-driven turnover and hiring policy. Off: turnover is March's p3 alone.", "Off by default so that a bare scenario is the docked core model (K, L, P) and each extension is a visible choice in the file; the default scenario and the what-if cases in scenarios/whatif/ switch it on. With it off, turnover is March's p3 alone."},
  ParameterSpec{"engagement.rate", real, 0.1, "", 0, 1, "1/step", "eta_e", "Speed at which engagement moves toward its target.", "A judgment, the same speed as trust (leadership.trust_rate): engagement closes a tenth of the gap to its target each week, a time constant of about ten weeks."},
  ParameterSpec{"engagement.baseline", real, 0.6, "", 0, 1, "1", "e*", "Engagement target of someone with average purpose and trust (0.5 each) and no workload.", "A judgment: an average person is moderately engaged. With purpose and trust weights of 0.4 the target then spans 0.2 to 1 without workload, so the clamp to [0, 1] does not bind."},
  ParameterSpec{"engagement.purpose_weight", real, 0.4, "", 0, 10, "1", "", "Rise of the target per unit of purpose above 0.5.", "A judgment, equal to trust_weight: purpose and trust in the manager count alike, and each moves the target by 0.4 from 0 to 1, which keeps it within [0.2, 1] around the 0.6 baseline."},
  ParameterSpec{"engagement.trust_weight", real, 0.4, "", 0, 10, "1", "", "Rise of the target per unit of trust in the manager above 0.5.", "A judgment, equal to purpose_weight: trust in the manager and purpose count alike, and each moves the target by 0.4 from 0 to 1, which keeps it within [0.2, 1] around the 0.6 baseline."},
  ParameterSpec{"engagement.workload", real, 0, "", 0, 1, "1", "", "Workload from client pressure; lowers the target by workload_weight x workload.", "No client pressure unless a scenario sets it; the client_pressure intervention raises it for a period."},
  ParameterSpec{"engagement.workload_weight", real, 0.5, "", 0, 10, "1", "", "Fall of the target per unit of workload.", "A judgment: full workload lowers the engagement target by 0.5, most of the way from the 0.6 baseline to disengagement. The client-pressure case's pattern holds at 0.375 and 0.625 (docs/validation.md)."},
  ParameterSpec{"engagement.initial", real, 0.6, "", 0, 1, "1", "e(0)", "Engagement at the start and of new hires.", "Equal to the baseline, so an average person starts at the engagement target and engagement moves only as purpose, trust and workload depart from average."},
  ParameterSpec{"engagement.disengagement_turnover", real, 0.01, "", 0, 1, "1/step", "delta", "Leaving probability per step is p3 + delta (1 - e_i).", "A judgment, not fitted to data: at the initial engagement (0.6) it adds 0.004 a week (about 19% a year) to p3, and a fully disengaged person leaves with 0.01 a week (about 40% a year). The what-if cases use 0.005 to 0.02."},
  ParameterSpec{"engagement.hiring_selectivity", real, 0, "", 0, 1, "1", "s (Harrison & Carroll 1991)", "Share of a new hire's dimensions that already agree with the code where it is set; the rest are uniform random (March).", "0 gives March's (1991) newcomers with uniform random beliefs, so with delta = 0 turnover is exactly March's; selective hiring after Harrison & Carroll (1991) is a choice the scenario makes."},
  ParameterSpec{"engagement.newcomer_words", text, 0, "jargon", 0, 0, "", "", "What a new hire calls service: the department's jargon, nothing, or a word from outside nobody uses.", "New hires take on the department's jargon, as in the core model's turnover, so switching E on changes nothing about words unless the scenario asks; empty and outside model hiring from elsewhere.", "jargon|empty|outside"},

  ParameterSpec{"interventions.name", text, 0, "", 0, 0, "", "", "Optional name, unique among interventions, for --set interventions.NAME.FIELD=VALUE. The characters of a department name.", "Optional, empty by default: a name is needed only to address the intervention with --set."},
  ParameterSpec{"interventions.enabled", boolean, 1, "", 0, 1, "", "", "Whether it takes place: a what-if arm can switch it off with --set interventions.NAME.enabled=false.", "An intervention written into the file takes place; the key exists so that a what-if arm can switch it off, or on when the file has enabled = false, from the command line."},
  ParameterSpec{"interventions.kind", text, 0, "", 0, 0, "", "", "What the intervention does; each kind's own keys are listed below with the kinds they apply to.", "Required, no default: the kind is what the intervention does.", "service_definition|kpi_realignment|listening_sessions|language_program|leader_role_model|leadership_development|mission_inclusion|feedback_loop|hiring_policy|client_pressure", true},
  ParameterSpec{"interventions.start", integer, 0, "", 0, 1e7, "step", "", "Step at which it starts: it acts from this step on (0: the first step; its effect shows in the results from step start + 1); less than scenario.steps.", "Required, no default: when an intervention starts is part of the question a what-if case asks, so the scenario must say.", "", true},
  ParameterSpec{"interventions.duration", integer, 0, "", 0, 1e7, "step", "", "How many steps it lasts; 0: to the end of the horizon.", "0 means to the end of the horizon: an intervention lasts unless the scenario limits it, and one-off changes (KPIs, styles, anchors) are permanent anyway."},
  ParameterSpec{"interventions.departments", text_list, 0, "", 0, 0, "", "", "Departments it targets, by name; empty: all.", "All departments: an intervention is firm-wide unless the scenario targets some."},
  ParameterSpec{"interventions.anchor_boost", real, 0.2, "", 0, 1, "1", "", "Purpose anchors (and purpose) of the targeted people rise by boost x (1 - phi0) at the start.", "A judgment: defining service together, or inclusion in the mission, closes a fifth of the gap between each person's purpose anchor and full purpose. The shared-definition case uses 0.4.", "", false, "service_definition|mission_inclusion"},
  ParameterSpec{"interventions.kpi_alignment", real, 0.9, "", 0, 1, "1", "kappa_d", "The targeted departments' KPI is redrawn to agree with customer reality on this share of dimensions.", "A judgment: a realigned KPI agrees with customers on nine dimensions in ten, far better than the chance-level 0.5 of departments.kpi_alignment but short of perfect, since no KPI captures all that customers value.", "", false, "kpi_realignment"},
  ParameterSpec{"interventions.incentive_scale", real, 1, "", 0, 1, "1", "", "The targeted departments' incentive weights are multiplied by this.", "1 leaves incentive weights as they are, so a realignment changes what the KPI measures, not how much pay depends on it, unless the scenario asks for both.", "", false, "kpi_realignment"},
  ParameterSpec{"interventions.sessions_per_step", real, 1, "", 0, 1000, "session/step", "", "Sessions per pair of targeted departments per step (a fraction is a probability).", "A judgment: one session a week per pair of departments, the rhythm of the listening-sessions case, whose pattern holds at 0.75 and 1.25 (docs/validation.md).", "", false, "listening_sessions"},
  ParameterSpec{"interventions.participants", integer, 10, "", 1, 100000, "agent", "", "Pairs of people, one from each side, who meet in a session: nobody blames, both learn each other's word, and each passes a belief to the other.", "A judgment: ten pairs, a meeting-room-sized session. The listening-sessions case uses it, and its pattern holds at 8 and 12 (docs/validation.md).", "", false, "listening_sessions"},
  ParameterSpec{"interventions.word", text, 0, "", 0, 0, "", "", "The word for service it spreads (required for these kinds).", "Required for these kinds, no default: the word is what the programme or the role models spread.", "", false, "language_program|leader_role_model"},
  ParameterSpec{"interventions.coverage", real, 0.8, "", 0, 1, "1", "", "Share of the targeted people enrolled in the programme at its start (the enrolment stays with the post, so a replacement attends too).", "A judgment: most but not all of the targeted people enrol. The common-language case uses 0.8, and both of its patterns hold with all programmes at 0.6 and at 1 (docs/validation.md).", "", false, "language_program"},
  ParameterSpec{"interventions.session_rate", real, 0.25, "", 0, 1, "session/step", "", "Chance per step that an enrolled person attends a session (0.25: about one a month), in which the trainer, committed to the word, speaks it as in a naming game: the person adds it if new and keeps only it if known (committed agents: Xie et al. 2011).", "About one session a month, a judgment of a training rhythm. It lies above the 0.10 to 0.15 sessions a week that one programme with 80% enrolled needs to tip departments off their jargon in the common-language case, the trainer acting as a committed agent (Xie et al. 2011).", "", false, "language_program"},
  ParameterSpec{"interventions.levels", text_list, 0, "ceo", 0, 0, "", "", "Which leaders adopt the word and speak it to their direct reports each step while they have authority.", "Role modelling starts at the top: the CEO alone unless the scenario adds heads and managers.", "ceo|head|manager", false, "leader_role_model"},
  ParameterSpec{"interventions.style_shift", real, 0.5, "", 0, 1, "1", "", "Leadership styles in the targeted departments move this share of the way toward servant at the start: sigma += shift (1 - sigma).", "A judgment: a development programme moves leadership styles halfway from where they are toward servant leadership.", "", false, "leadership_development"},
  ParameterSpec{"interventions.listening_scale", real, 2, "", 1, 100, "1", "", "Code learning p2 is multiplied by this while it lasts (capped at 1): leadership listens to employees who help craft the mission.", "A judgment: employees who help craft the mission double how fast the code learns from them (p2 x 2, capped at 1); the client-pressure case uses it.", "", false, "mission_inclusion"},
  ParameterSpec{"interventions.engagement_boost", real, 0.1, "", 0, 1, "1", "", "The engagement target of the targeted people rises by this while it lasts.", "A judgment: inclusion lifts the engagement target by 0.1. The client-pressure case uses 0.3, and its pattern holds at 0.225 and 0.375 (docs/validation.md).", "", false, "mission_inclusion"},
  ParameterSpec{"interventions.bias_reduction", real, 0.5, "", 0, 1, "1", "", "Share of the good-news bias removed from reports while it lasts.", "A judgment: a feedback loop halves the good-news bias. The perception-gap case uses 0.7, and its pattern holds at 0.525 and 0.875 (docs/validation.md).", "", false, "feedback_loop"},
  ParameterSpec{"interventions.voice_scale", real, 2, "", 1, 100, "1", "", "The code hears this many times more voices (code_sample_size) while it lasts.", "A judgment: a feedback loop doubles the voices the code hears (code_sample_size x 2), as in the client-pressure and perception-gap cases.", "", false, "feedback_loop"},
  ParameterSpec{"interventions.selectivity", real, 0.5, "", 0, 1, "1", "s", "Hiring selectivity while it lasts.", "A judgment, not a value from Harrison & Carroll (1991): mid-way between March's (1991) random newcomers (0) and hiring only people who agree with the code wherever it is set (1).", "", false, "hiring_policy"},
  ParameterSpec{"interventions.workload", real, 0.5, "", 0, 1, "1", "", "Workload from client pressure while it lasts (replaces engagement.workload).", "A judgment: moderate pressure, which with workload_weight 0.5 lowers the engagement target by 0.25; the client-pressure case models a demanding client with 0.8.", "", false, "client_pressure"},

  ParameterSpec{"sweep.design", text, 0, "grid", 0, 0, "", "", "How the design points are chosen from [sweep.parameters]: grid (full factorial of value lists), zip (the i-th values together), latin_hypercube, sobol (Saltelli's scheme for first- and total-order indices) or morris (elementary effects) over ranges.", "A full factorial of the listed values is what a researcher means by a sweep when nothing else is said, and it needs no sampling.", "grid|zip|latin_hypercube|sobol|morris"},
  ParameterSpec{"sweep.replicates", integer, 0, "", 0, 1e6, "run", "", "Runs per design point, each with its own seed; 0: scenario.replicates.", "0 reuses the scenario's own replicate count, so a sweep over a what-if file replicates each point as the file replicates its runs."},
  ParameterSpec{"sweep.samples", integer, 0, "", 0, 1e7, "", "N", "latin_hypercube: number of points; sobol: base samples N (N (k + 2) points for k parameters); morris: number of trajectories r (r (k + 1) points). Unused by grid and zip.", "No default size fits every study: a sampled design must say how many samples it takes (0 is refused for those designs)."},
  ParameterSpec{"sweep.levels", integer, 4, "", 2, 1000, "", "p (Morris 1991)", "morris: levels of the grid each parameter's range is cut into; the step is p / (2 (p - 1)) of the range.", "Four levels is the common choice in Morris screening (Campolongo, Cariboni & Saltelli 2007), with a step of two thirds of the range."},
  ParameterSpec{"sweep.seed", integer, 0, "", 0, 9.2e18, "", "", "Seed of the design's own sampling (latin_hypercube, morris); 0: derived from scenario.seed. Runs' seeds never depend on it.", "Deriving it from the scenario seed makes a sweep file reproducible by itself, and a separate key lets a researcher redraw the design without changing any run's seed."},
};
// clang-format on

// Sized by its contents, so a section cannot be left out by a stale count.
constexpr auto kBuiltinSections = std::to_array<std::string_view>(
    {"scenario", "organization", "departments", "knowledge", "language", "purpose", "leadership",
     "encounters", "perception", "engagement", "interventions", "sweep"});

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
    if (spec.type != integer) {
      if (value >= kUnbounded) return std::string("∞");
      if (value <= -kUnbounded) return std::string("-∞");
      return fmt::format("{}", value);
    }
    // The bound the validator applies, exactly (the seed's is 9.2e18, not
    // "unbounded"); a registered mechanism's row may give one no 64-bit
    // integer holds, which no integer value can exceed either.
    if (value >= 0x1p63) return std::string("∞");
    if (value < -0x1p63) return std::string("-∞");
    return fmt::format("{}", static_cast<std::int64_t>(value));
  };
  return fmt::format("[{}, {}]", bound(spec.minimum), bound(spec.maximum));
}

// The table, sections and mechanisms with the registered ones added.
struct Registry {
  std::vector<ParameterSpec> parameters{kParameters.begin(), kParameters.end()};
  std::vector<std::string_view> sections{kBuiltinSections.begin(), kBuiltinSections.end()};
  std::vector<MechanismDeclaration> mechanisms;
};

// A mechanism's section and rows, placed beside the other mechanisms': the
// section before `interventions`, the rows before the interventions' rows, so
// the docs and the resolved TOML list the sections in the file's order.
void add_mechanism(Registry& known, const MechanismDeclaration& declaration) {
  known.mechanisms.push_back(declaration);
  if (std::find(known.sections.begin(), known.sections.end(), declaration.section) == known.sections.end()) {
    known.sections.insert(std::find(known.sections.begin(), known.sections.end(), "interventions"),
                          declaration.section);
  }
  const auto interventions =
      std::find_if(known.parameters.begin(), known.parameters.end(),
                   [](const auto& spec) { return spec.key.starts_with("interventions."); });
  known.parameters.insert(interventions, declaration.parameters.begin(), declaration.parameters.end());
}

// Built once, thread-safely, with the built-ins in the schedule's order, so
// that registered mechanisms always come after them. A built-in whose rows
// are in the table above declares none; one may declare its own instead.
Registry& registry() {
  static Registry instance = [] {
    Registry built;
    for (const auto& declaration : builtin_mechanism_declarations()) add_mechanism(built, declaration);
    return built;
  }();
  return instance;
}

}  // namespace

std::span<const ParameterSpec> parameter_table() {
  return registry().parameters;
}

const ParameterSpec* find_parameter(std::string_view key) {
  for (const auto& spec : registry().parameters) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

std::span<const std::string_view> section_names() {
  return registry().sections;
}

std::span<const MechanismDeclaration> mechanism_declarations() {
  return registry().mechanisms;
}

void check_new_mechanism(const MechanismDeclaration& declaration) {
  const auto& known = registry();
  const auto refuse = [&](const std::string& why) {
    throw std::invalid_argument(fmt::format("mechanism '{}' is refused: {}", declaration.section, why));
  };
  if (declaration.section.empty() || declaration.section.find('.') != std::string_view::npos)
    refuse("a section name is one non-empty word");
  if (std::find(known.sections.begin(), known.sections.end(), declaration.section) != known.sections.end())
    refuse("the scenario already has this section");
  const std::string prefix = fmt::format("{}.", declaration.section);
  for (std::size_t i = 0; i < declaration.parameters.size(); ++i) {
    const auto& key = declaration.parameters[i].key;
    if (!key.starts_with(prefix)) refuse(fmt::format("parameter '{}' is outside its section", key));
    bool repeated = false;
    for (std::size_t j = 0; j < i; ++j) repeated = repeated || declaration.parameters[j].key == key;
    if (repeated || find_parameter(key) != nullptr)
      refuse(fmt::format("parameter '{}' is declared twice", key));
  }
}

void register_mechanism(const MechanismDeclaration& declaration) {
  check_new_mechanism(declaration);
  add_mechanism(registry(), declaration);
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
      "Unknown keys, wrong types and values outside the range are errors.\n\n"
      "A scenario file is at most 16 MiB, a key or table header has at most 64 dotted parts,\n"
      "and a scenario has at most 65,534 departments; larger input is refused before it is read\n"
      "further. An error quotes input with control characters escaped (`\\u000A` for a newline),\n"
      "on one line.\n";
  std::string_view current_section;
  for (const auto& spec : parameter_table()) {
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
      if (section == "sweep") {
        out +=
            "Optional; read by `orgsim sweep` (`orgsim run` runs the scenario as written). The swept\n"
            "parameters go in `[sweep.parameters]`, each by its dotted key as `--set` takes it, with a\n"
            "list of values (grid, zip), a range `{ min = A, max = B, steps = S }` of S evenly spaced\n"
            "values (grid, zip), or a range `{ min = A, max = B }` (latin_hypercube, sobol, morris).\n"
            "Only numeric parameters can be swept; integer ones take rounded values. Every value a\n"
            "design can give is checked like a `--set` before any run starts. A sweep has at most\n"
            "10,000,000 runs (points x replicates; docs/sweeps.md says why).\n\n"
            "```toml\n[sweep]\ndesign = \"grid\"\nreplicates = 5\n\n[sweep.parameters]\n"
            "\"interventions.listening.sessions_per_step\" = [0, 0.5, 1, 2]\n"
            "\"departments.Sales.incentive_weight\" = { min = 0, max = 0.6, steps = 4 }\n```\n\n";
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

std::string parameter_defaults_markdown() {
  std::string out;
  std::string_view current_section;
  for (const auto& spec : parameter_table()) {
    const auto section = spec.key.substr(0, spec.key.find('.'));
    if (section != current_section) {
      const bool array = section == "departments" || section == "interventions";
      out += fmt::format(
          "{}#### `[{}{}]{}`\n\n| key | default | symbol | why this default |\n|---|---|---|---|\n",
          current_section.empty() ? "" : "\n", array ? "[" : "", section, array ? "]" : "");
      current_section = section;
    }
    out += fmt::format("| `{}` | {} | {} | {} |\n", spec.key.substr(section.size() + 1), format_default(spec),
                       spec.symbol, spec.reason);
  }
  return out;
}

}  // namespace orgsim::scenario
