#pragma once
// One run: the organization, the agents' state and the mechanisms, stepped
// in a fixed schedule. Built from the engine's config and the run's key; all
// randomness comes from streams derived from that key.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/blocks.hpp"
#include "core/random.hpp"
#include "engine/observables.hpp"
#include "engine/schedule.hpp"
#include "engine/week.hpp"
#include "mechanisms/knowledge.hpp"
#include "mechanisms/mechanism.hpp"
#include "mechanisms/turnover.hpp"
#include "model/config.hpp"
#include "model/state.hpp"

namespace orgsim {

// Everything a run reports: for steps 0..T, each step's organization
// observables ([step][observable]) and each department's department
// observables ([step][department][observable]), in registry order. The
// layout follows from the vectors' sizes and the registry, so a result that
// travels as its two vectors (between MPI ranks) needs nothing else.
struct RunResult {
  std::uint64_t run = 0;
  RunKey key;
  std::uint64_t seed = 0;
  std::int64_t equilibrium_step = -1;  // first step at March's equilibrium, -1 if never
  std::vector<double> organization;
  std::vector<double> departments;

  // Room for steps 0..`steps` of `department_count` departments, every value `fill`.
  void size_for(std::uint32_t steps, std::size_t department_count, double fill = 0.0) {
    organization.assign((std::size_t{steps} + 1) * organization_stride(), fill);
    departments.assign((std::size_t{steps} + 1) * department_count * department_observables().size(), fill);
  }
  // Values per step.
  static std::size_t organization_stride() { return organization_observables().size(); }
  std::size_t department_stride() const {
    return recorded_steps() == 0 ? 0 : departments.size() / recorded_steps();
  }
  std::size_t recorded_steps() const { return organization.size() / organization_stride(); }  // T + 1
  std::size_t department_count() const { return department_stride() / department_observables().size(); }

  std::span<double> organization_step(std::size_t step) {
    return std::span(organization).subspan(step * organization_stride(), organization_stride());
  }
  std::span<double> departments_step(std::size_t step) {
    const std::size_t stride = department_stride();
    return std::span(departments).subspan(step * stride, stride);
  }
  double& organization_at(std::size_t step, std::size_t observable) {
    return organization[step * organization_stride() + observable];
  }
  double organization_at(std::size_t step, std::size_t observable) const {
    return organization[step * organization_stride() + observable];
  }
  double organization_at(std::size_t step, OrgObservable which) const {
    return organization_at(step, static_cast<std::size_t>(which));
  }
  double& department_at(std::size_t step, std::size_t department, std::size_t observable) {
    return departments[step * department_stride() + department * department_observables().size() +
                       observable];
  }
  double department_at(std::size_t step, std::size_t department, std::size_t observable) const {
    return departments[step * department_stride() + department * department_observables().size() +
                       observable];
  }
  double department_at(std::size_t step, std::size_t department, DepartmentObservable which) const {
    return department_at(step, department, static_cast<std::size_t>(which));
  }
};

class Simulation {
 public:
  Simulation(std::shared_ptr<const EngineConfig> config, const RunKey& key)
      : Simulation(std::move(config), key, run_seed(key)) {}
  // With `seed` in place of run_seed(key): a stored run repeated with the
  // seed its file records.
  Simulation(std::shared_ptr<const EngineConfig> config, const RunKey& key, std::uint64_t seed);

  // Threads for this run (engine/week.hpp: hooks side by side, loops over
  // blocks of agents); the results are the same for any number. One until set.
  void set_threads(std::uint32_t threads);
  std::uint32_t threads() const noexcept { return blocks_->threads(); }

  void step();
  std::uint32_t steps_done() const noexcept { return steps_done_; }

  // Runs the scenario's horizon and records every step (step 0 is the start).
  // `steps_counter`, if given, gains one per step, for a progress display on
  // another thread; it changes nothing in the run.
  RunResult run(std::atomic<std::uint64_t>* steps_counter = nullptr);
  void observe(std::span<double> org, std::span<double> departments);

  const Organization& organization() const noexcept { return *organization_; }
  const AgentState& agents() const noexcept { return agents_; }
  AgentState& agents() noexcept { return agents_; }
  const SharedState& shared() const noexcept { return shared_; }
  const KnowledgeMechanism& knowledge() const noexcept { return knowledge_; }
  const Week& week() const noexcept { return *week_; }
  Week& week() noexcept { return *week_; }
  bool at_knowledge_equilibrium() const { return knowledge_.at_equilibrium(agents_, shared_); }

 private:
  static std::unique_ptr<const Organization> build_organization(const EngineConfig& config,
                                                                std::uint64_t seed);
  void replace_leavers();
  void welcome(std::uint32_t agent);
  bool turnover_active() const;
  bool at_rest() const;
  bool isolated() const;
  void rest(std::uint32_t steps);
  World world();
  World world(BlockPool& blocks);
  Mechanism& mechanism(std::string_view section);

  std::shared_ptr<const EngineConfig> config_;
  RunKey key_;
  std::uint64_t seed_;
  std::unique_ptr<const Organization> organization_;
  AgentState agents_;
  SharedState shared_;
  StepTally tally_;
  std::vector<MechanismSlot> mechanisms_;  // in the schedule's order
  std::vector<RandomStream> streams_;      // each mechanism's week stream, alongside
  std::unique_ptr<Week> week_ = std::make_unique<Week>();
  std::vector<Mechanism*> hire_;
  const Mechanism* leaving_ = nullptr;  // the mechanism that sets who leaves, if any
  KnowledgeMechanism& knowledge_;       // K, whose equilibrium the run reports
  TurnoverMechanism turnover_;
  Observer observer_;
  RandomStream turnover_stream_;
  std::vector<std::uint32_t> leavers_;
  std::uint32_t steps_done_ = 0;
  std::unique_ptr<BlockPool> blocks_ = std::make_unique<BlockPool>(1);
};

}  // namespace orgsim
