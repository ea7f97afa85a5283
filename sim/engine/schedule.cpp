// The week of a run in one list, and the two orders that cannot follow it.
#include "engine/schedule.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "engine/observable_registry.hpp"
#include "mechanisms/encounters.hpp"
#include "mechanisms/engagement.hpp"
#include "mechanisms/interventions.hpp"
#include "mechanisms/knowledge.hpp"
#include "mechanisms/language.hpp"
#include "mechanisms/leadership.hpp"
#include "mechanisms/perception.hpp"
#include "mechanisms/purpose.hpp"

namespace orgsim {
namespace {

// The built-in mechanisms, in the order the scenario layer lists them (and
// orders their sections' parameters): adding one means one line here.
constexpr std::array kBuiltins{&KnowledgeMechanism::descriptor,  &LanguageMechanism::descriptor,
                               &PurposeMechanism::descriptor,    &LeadershipMechanism::descriptor,
                               &EncounterMechanism::descriptor,  &PerceptionMechanism::descriptor,
                               &EngagementMechanism::descriptor, &InterventionSchedule::descriptor};

// The week: interventions first (what starts or acts this week, and the
// week's levers), the executives' listening from this week's styles, then
// knowledge (act, socialize, code learning), the naming games and what the
// cross-department ones turn into, the purpose update, trust and authority,
// engagement, perception of what was delivered; the engine then replaces
// leavers and ages everyone. Each hook reads the state the previous one
// left, so the authority that gates this week's socialization was conferred
// last week.
constexpr std::array kWeek{
    WeekEntry{"interventions", Hook::step}, WeekEntry{"leadership", Hook::prepare},
    WeekEntry{"knowledge", Hook::step},     WeekEntry{"language", Hook::step},
    WeekEntry{"encounters", Hook::step},    WeekEntry{"purpose", Hook::step},
    WeekEntry{"leadership", Hook::step},    WeekEntry{"engagement", Hook::step},
    WeekEntry{"perception", Hook::step},
};

// Initialization, every mechanism once, keeps the order state was first set
// up in: each draws from a stream of its own, but interventions give
// programme words the language's ids, so they come after it.
constexpr std::array<std::string_view, 8> kInitialize{"knowledge",  "purpose",      "language",
                                                      "leadership", "engagement",   "encounters",
                                                      "perception", "interventions"};

// A hire is drawn from the one turnover stream, so this order is the order
// of its draws: beliefs (E's hiring policy when on, else K's), the purpose
// anchor, words, then trust and, for a leader's post, a new style. E comes
// first because its policy decides the beliefs and words the others keep.
constexpr std::array<std::string_view, 5> kHire{"engagement", "knowledge", "purpose", "language",
                                                "leadership"};

Schedule& mutable_schedule() {
  static Schedule built = [] {
    Schedule s;
    s.mechanisms.assign(kBuiltins.begin(), kBuiltins.end());
    s.initialize.assign(kInitialize.begin(), kInitialize.end());
    s.week.assign(kWeek.begin(), kWeek.end());
    s.hire.assign(kHire.begin(), kHire.end());
    return s;
  }();
  return built;
}

}  // namespace

const Schedule& schedule() {
  return mutable_schedule();
}

std::span<const MechanismDescriptor* const> builtin_mechanisms() {
  return kBuiltins;
}

void register_mechanism(const MechanismDescriptor& descriptor) {
  auto& s = mutable_schedule();
  const auto refuse = [&](const std::string& why) {
    throw std::invalid_argument(fmt::format("mechanism '{}' is refused: {}", descriptor.name(), why));
  };
  if (static_cast<std::uint64_t>(descriptor.stream) <= static_cast<std::uint64_t>(kLastBuiltinStream))
    refuse(fmt::format("random stream {} is the engine's; take one above {}",
                       static_cast<std::uint64_t>(descriptor.stream),
                       static_cast<std::uint64_t>(kLastBuiltinStream)));
  for (const auto* known : s.mechanisms) {
    if (known->stream == descriptor.stream) refuse(fmt::format("'{}' draws from its stream", known->name()));
  }
  const std::string enabled_key = fmt::format("{}.enabled", descriptor.name());
  const auto& rows = descriptor.declaration.parameters;
  if (descriptor.enabled_when == nullptr &&
      std::none_of(rows.begin(), rows.end(), [&](const auto& row) { return row.key == enabled_key; }))
    refuse(fmt::format("no '{}' row, and no rule of its own for when it runs", enabled_key));
  scenario::check_new_mechanism(descriptor.declaration);
  // Its observables first: a name already taken refuses the mechanism whole.
  if (descriptor.observables != nullptr) register_observable_topic(descriptor.observables());
  s.mechanisms.push_back(&descriptor);
  s.initialize.push_back(descriptor.name());
  // Its prepare hook after the others' (before anyone moves), its step last in the week.
  const auto first_step = std::find_if(s.week.begin(), s.week.end(), [](const WeekEntry& entry) {
    return entry.hook == Hook::step && entry.mechanism != "interventions";
  });
  s.week.insert(first_step, {descriptor.name(), Hook::prepare});
  s.week.push_back({descriptor.name(), Hook::step});
  s.hire.push_back(descriptor.name());
  scenario::register_mechanism(descriptor.declaration);
}

namespace scenario {

std::span<const MechanismDeclaration> builtin_mechanism_declarations() {
  static const auto declarations = [] {
    std::array<MechanismDeclaration, kBuiltins.size()> built{};
    for (std::size_t i = 0; i < kBuiltins.size(); ++i) built[i] = kBuiltins[i]->declaration;
    return built;
  }();
  return declarations;
}

}  // namespace scenario
}  // namespace orgsim
