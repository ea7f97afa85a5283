// Scenario parsing and validation: one case per error kind, each checking the
// typed exception, where it points and what it says.
#include <fmt/core.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "engine/memory.hpp"
#include "scenario/parameters.hpp"
#include "scenario/scenario.hpp"
#include "support/scenarios.hpp"

namespace orgsim {
namespace {

using Kind = ScenarioError::Kind;
constexpr const char* kOneDepartment = "[[departments]]\nname = \"Ops\"\nheadcount = 10\n";

ScenarioError error_from(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    testing::scenario_from(text, overrides);
  } catch (const ScenarioError& error) {
    return error;
  }
  FAIL("no ScenarioError for:\n" << text);
  throw std::logic_error("unreachable");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("Defaults fill every parameter in the table", "[scenario]") {
  const auto scenario = testing::scenario_from(kOneDepartment);
  for (const auto& spec : scenario::parameter_table()) {
    if (spec.key.starts_with("departments.") || spec.key.starts_with("interventions.") ||
        spec.key.starts_with("sweep."))
      continue;  // per entry, or only with a [sweep] section
    CHECK(scenario.setting(spec.key).is_default);
  }
  CHECK(scenario.real("knowledge.socialization_rate") == 0.1);
  CHECK(scenario.integer("knowledge.dimensions") == 30);
  CHECK(scenario.departments().at(0).real("incentive_weight") == 0.0);
  CHECK(scenario.total_headcount() == 10);
}

TEST_CASE("Malformed TOML reports line and column", "[scenario][errors]") {
  const auto error = error_from("[scenario]\nsteps = = 3\n");
  CHECK(error.kind() == Kind::malformed);
  CHECK(error.where().line == 2);
  CHECK(contains(error.what(), "test.toml:2:"));
}

TEST_CASE("Unknown key names file, line, column and the nearest valid key", "[scenario][errors]") {
  const auto error = error_from(std::string("[knowledge]\nsocialisation_rate = 0.2\n") + kOneDepartment);
  CHECK(error.kind() == Kind::unknown_key);
  CHECK(error.where().line == 2);
  CHECK(error.where().column == 1);
  CHECK(contains(error.what(), "test.toml:2:1: unknown key 'knowledge.socialisation_rate'"));
  CHECK(contains(error.what(), "did you mean 'knowledge.socialization_rate'?"));
}

TEST_CASE("Unknown section and unknown department field suggest the nearest", "[scenario][errors]") {
  auto error = error_from(std::string("[knowlege]\n") + kOneDepartment);
  CHECK(error.kind() == Kind::unknown_key);
  CHECK(contains(error.what(), "did you mean 'knowledge'?"));
  error = error_from("[[departments]]\nname = \"Ops\"\nheadcont = 10\n");
  CHECK(error.kind() == Kind::unknown_key);
  CHECK(contains(error.what(), "did you mean 'departments.headcount'?"));
}

TEST_CASE("Wrong type names the key and the expected type", "[scenario][errors]") {
  const auto error = error_from(std::string("[scenario]\nsteps = \"ten\"\n") + kOneDepartment);
  CHECK(error.kind() == Kind::wrong_type);
  CHECK(error.where().line == 2);
  CHECK(contains(error.what(), "'scenario.steps' must be an integer, got a string"));
  // An integer is accepted where a real is expected, not the other way round.
  CHECK_NOTHROW(testing::scenario_from(std::string("[purpose]\nsusceptibility = 1\n") + kOneDepartment));
  CHECK(error_from(std::string("[scenario]\nsteps = 10.5\n") + kOneDepartment).kind() == Kind::wrong_type);
}

TEST_CASE("Out-of-range values name the key, value and range", "[scenario][errors]") {
  auto error = error_from(std::string("[knowledge]\ncode_learning_rate = 1.5\n") + kOneDepartment);
  CHECK(error.kind() == Kind::out_of_range);
  CHECK(contains(error.what(), "'knowledge.code_learning_rate' = 1.5 is out of range [0, 1]"));
  error = error_from(std::string("[organization]\nnetwork = \"ring\"\n") + kOneDepartment);
  CHECK(error.kind() == Kind::out_of_range);
  CHECK(contains(error.what(), "not one of small_world,random,complete"));
  error = error_from("[[departments]]\nname = \"Ops\"\nheadcount = 0\n");
  CHECK(error.kind() == Kind::out_of_range);
}

TEST_CASE("Unknown department names are refused with the known ones listed", "[scenario][errors]") {
  const auto error = error_from(kOneDepartment, {"departments.Sales.headcount=3"});
  CHECK(error.kind() == Kind::unknown_department);
  CHECK(contains(error.what(), "unknown department 'Sales'"));
  CHECK(contains(error.what(), "departments are: Ops"));
}

TEST_CASE("An empty organization is refused", "[scenario][errors]") {
  const auto error = error_from("[scenario]\nsteps = 3\n");
  CHECK(error.kind() == Kind::empty_organization);
  CHECK(contains(error.what(), "the organization is empty"));
}

TEST_CASE("More departments than the 16-bit index holds are refused", "[scenario][errors]") {
  std::string text;
  for (int d = 0; d < 65535; ++d) text += fmt::format("[[departments]]\nname = \"D{}\"\nheadcount = 1\n", d);
  const auto error = error_from(text);
  CHECK(error.kind() == Kind::too_large);
  CHECK(contains(error.what(), "65535 departments"));
}

TEST_CASE("Department names must be unique and present", "[scenario][errors]") {
  CHECK(error_from("[[departments]]\nheadcount = 3\n").kind() == Kind::invalid);
  CHECK(error_from(std::string(kOneDepartment) + kOneDepartment).kind() == Kind::invalid);
}

TEST_CASE("Department and intervention names take letters, digits, spaces, '_', '-' and '&'",
          "[scenario][errors]") {
  // Names become parts of dotted keys, of variable names in the results file
  // and of the TOML it stores: what would break one of them is refused at the name's line.
  const auto department = [](const std::string& name) {
    return "[scenario]\nsteps = 10\n[[departments]]\nname = \"" + name + "\"\nheadcount = 5\n";
  };
  for (const std::string name : {"Customer Care", "R&D", "ops-2_b", "7th floor"}) {
    INFO(name);
    CHECK_NOTHROW(testing::scenario_from(department(name)));
  }
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"A/B", "contains '/'"},
      {"Sales \\\"EMEA\\\"", "contains '\"'"},
      {"a.b", "contains '.'"},
      {"back\\\\slash", "contains '\\'"},
      {"two\\nlines", "contains U+000A"},
      {"S\u00fcd", "contains a character outside ASCII"},
      {" Sales", "does not begin with a letter or digit"},
      {"-x", "does not begin with a letter or digit"},
      {"Sales ", "ends with a space"},
      {"", "is empty"}};
  for (const auto& [name, reason] : refused) {
    INFO(name);
    const auto error = error_from(department(name));
    CHECK(error.kind() == Kind::invalid);
    CHECK(error.where().line == 4);
    CHECK(contains(error.what(), reason));
    CHECK(contains(error.what(), "names take letters, digits, spaces, '_', '-' and '&'"));
    CHECK(std::string(error.what()).find('\n') == std::string::npos);
  }
  const auto intervention = [&](const std::string& name) {
    return department("Sales") + "[[interventions]]\nkind = \"listening_sessions\"\nname = \"" + name +
           "\"\nstart = 1\n";
  };
  CHECK_NOTHROW(testing::scenario_from(intervention("listening-2 & more")));
  const auto error = error_from(intervention("listening/2"));
  CHECK(error.kind() == Kind::invalid);
  CHECK(error.where().line == 8);
  CHECK(contains(error.what(), "intervention name \"listening/2\" contains '/'"));
  CHECK(contains(error_from(intervention("a.b")).what(), "contains '.'"));
}

TEST_CASE("An organization too large for the machine is refused before allocating", "[scenario][errors]") {
  const auto scenario = testing::scenario_from("[[departments]]\nname = \"Ops\"\nheadcount = 900000000\n");
  const auto config = EngineConfig::from(scenario);
  try {
    check_fits_in_memory(scenario, config, 1);
    FAIL("no error");
  } catch (const ScenarioError& error) {
    CHECK(error.kind() == Kind::too_large);
    CHECK(contains(error.what(), "GiB"));
    CHECK(error.where().line == 3);  // the headcount that makes it too large
  }
  CHECK_NOTHROW(check_fits_in_memory(testing::scenario_from(kOneDepartment),
                                     EngineConfig::from(testing::scenario_from(kOneDepartment)), 2));
}

TEST_CASE("Overrides given with --set use the same keys and validation as the file", "[scenario][set]") {
  const auto from_file =
      testing::scenario_from(std::string("[knowledge]\nsocialization_rate = 0.3\n") + kOneDepartment);
  const auto from_set = testing::scenario_from(kOneDepartment, {"knowledge.socialization_rate=0.3"});
  CHECK(from_file.resolved_toml() == from_set.resolved_toml());
  CHECK(from_file.hash() == from_set.hash());
  CHECK(testing::scenario_from(kOneDepartment, {"organization.network=complete"})
            .text("organization.network") == "complete");
  CHECK(testing::scenario_from(kOneDepartment, {"departments.Ops.jargon=customer care"})
            .departments()[0]
            .text("jargon") == "customer care");
  CHECK(error_from(kOneDepartment, {"knowledge.socialization_rate=2"}).kind() == Kind::out_of_range);
  CHECK(error_from(kOneDepartment, {"knowledge.socialisation_rate=0.2"}).kind() == Kind::unknown_key);
  CHECK(error_from(kOneDepartment, {"scenario.steps=many"}).kind() == Kind::wrong_type);
  CHECK(error_from(kOneDepartment, {"scenario.steps"}).kind() == Kind::malformed);
}

TEST_CASE("The resolved scenario loads back to the same scenario", "[scenario]") {
  const auto original = Scenario::embedded_default({"purpose.susceptibility=0.6"});
  const auto reloaded = testing::scenario_from(original.resolved_toml());
  CHECK(reloaded.resolved_toml() == original.resolved_toml());
  CHECK(reloaded.hash() == original.hash());
  CHECK(original.hash().size() == 16);
  CHECK(testing::scenario_from(kOneDepartment).hash() != original.hash());
}

TEST_CASE("The embedded default is scenarios/default.toml", "[scenario]") {
  const auto from_file = Scenario::from_file(testing::source_path("scenarios/default.toml"));
  CHECK(from_file.source_text() == Scenario::embedded_default_text());
  CHECK(from_file.resolved_toml() == Scenario::embedded_default().resolved_toml());
  CHECK(from_file.departments().size() >= 3);
}

TEST_CASE("Every shipped scenario validates", "[scenario]") {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::source_path("scenarios"))) {
    if (entry.path().extension() != ".toml") continue;
    INFO(entry.path().string());
    CHECK_NOTHROW(Scenario::from_file(entry.path().string()));
    ++files;
  }
  CHECK(files >= 9);  // default, two docking scenarios, six what-ifs
}

TEST_CASE("Edit distance", "[scenario]") {
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("same", "same") == 0);
}

TEST_CASE("Edit distance within a bound is the distance, or above the bound", "[scenario]") {
  const std::vector<std::string> words = {"",          "a",         "abc",      "kitten", "sitting",
                                          "knowledge", "knowlegde", "scenario", "sweep",  "departments.name"};
  for (const auto& a : words) {
    for (const auto& b : words) {
      const auto distance = edit_distance(a, b);
      for (std::size_t bound = 0; bound <= 18; ++bound) {
        INFO(a << " / " << b << " within " << bound);
        const auto within = edit_distance_within(a, b, bound);
        if (distance <= bound) {
          CHECK(within == distance);
        } else {
          CHECK(within > bound);
        }
      }
    }
  }
}

TEST_CASE("A long unknown key gets its hint at once", "[scenario][errors]") {
  // Comparing a megabyte with every key in full took seconds; the key is cut and the comparison bounded.
  const std::string key(1'000'000, 'k');
  const auto error = error_from("[scenario]\n" + key + " = 1\n" + kOneDepartment);
  CHECK(error.kind() == Kind::unknown_key);
  CHECK(error.where().line == 2);
  CHECK(contains(error.what(), "... (1000009 bytes)"));  // "scenario." and the key, cut
  CHECK(contains(error.what(), "did you mean 'scenario."));
  CHECK(std::string(error.what()).size() < 1000);
}

TEST_CASE("Keys and table headers of more dotted parts than any scenario key are refused before parsing",
          "[scenario][errors]") {
  // toml++ 3.3 recurses once per part: 40,000 parts overflowed the stack (a crash with no message).
  std::string parts;
  for (int i = 0; i < 40000; ++i) parts += "a.";
  for (const auto& text : {"[scenario]\nname = \"x\"\n" + parts + "a = 1\n", "\n\n[" + parts + "a]\nb = 1\n",
                           "[scenario]\nname = 1\nx = { " + parts + "a = 1 }\n"}) {
    const auto error = error_from(text);
    CHECK(error.kind() == Kind::too_large);
    CHECK(error.where().line == 3);
    CHECK(contains(error.what(), "a key or table header of more than 64 dotted parts"));
  }
  CHECK(error_from(kOneDepartment, {"scenario.name={" + parts + "a = 1}"}).kind() == Kind::too_large);
  // Dots in strings and comments are not key parts, and 63 parts are read (and refused as unknown).
  std::string dots(100000, '.');
  CHECK_NOTHROW(testing::scenario_from("[scenario]\ndescription = \"" + dots + "\" # " + dots + "\n" +
                                           "name = '" + dots.substr(0, 3) + "x'\n" + kOneDepartment,
                                       {"scenario.name=x"}));
  CHECK_NOTHROW(testing::scenario_from("[scenario]\ndescription = \"\"\"\n" + dots + "\n\"\"\"\n" +
                                       "steps = 3\n" + kOneDepartment));
  std::string sixty_three;
  for (int i = 0; i < 63; ++i) sixty_three += "a.";
  CHECK(error_from("[scenario]\n" + sixty_three + "a = 1\n" + kOneDepartment).kind() == Kind::unknown_key);
}

TEST_CASE("A scenario larger than 16 MiB is refused, and a file is read no further", "[scenario][errors]") {
  std::string text = "[scenario]\ndescription = \"";
  text += std::string(kMaxScenarioBytes, 'x');
  text += "\"\n";
  auto error = error_from(text + kOneDepartment);
  CHECK(error.kind() == Kind::too_large);
  CHECK(contains(error.what(), "larger than 16 MiB (16777216 bytes)"));
  // /dev/zero never ends: reading it grew until memory ran out.
  try {
    (void)Scenario::from_file("/dev/zero");
    FAIL("no error for /dev/zero");
  } catch (const ScenarioError& refused) {
    CHECK(refused.kind() == Kind::too_large);
    CHECK(std::string(refused.what()).starts_with("/dev/zero: the scenario is larger than 16 MiB"));
  }
}

TEST_CASE("The scenario's name is a plain file name: it names the default output file",
          "[scenario][errors]") {
  const auto named = [](const std::string& name) {
    return "[scenario]\nname = \"" + name + "\"\n" + kOneDepartment;
  };
  for (const std::string name : {"default", "Customer Care", "R&D-2_b", "fast_learning_é", "日本"}) {
    CHECK(testing::scenario_from(named(name)).text("scenario.name") == name);
  }
  for (const std::string name :
       {"/abs/path", "../../x", "", ".hidden", "a\\nb", "a\\u001B[2J", "csi\\u009B", "é/x", " lead"}) {
    INFO(name);
    const auto error = error_from(named(name));
    CHECK(error.kind() == Kind::invalid);
    CHECK(error.where().line == 2);
    CHECK(contains(error.what(), "scenario name \""));
    CHECK(std::string(error.what()).find('\n') == std::string::npos);
    CHECK(std::string(error.what()).find('\x1b') == std::string::npos);
  }
  const auto error = error_from(kOneDepartment, {"scenario.name=../x"});
  CHECK(contains(error.what(), "--set scenario.name=../x: scenario name \"../x\" contains '.'"));
}

TEST_CASE("Departments beyond the limit are refused before they are read, duplicates found in one pass",
          "[scenario][errors]") {
  // 200,000 departments: each read and compared with every other took minutes.
  std::string text;
  text.reserve(200000 * 40);
  for (int d = 0; d < 200000; ++d) text += fmt::format("[[departments]]\nname = \"D{}\"\nheadcount = 1\n", d);
  const auto error = error_from(text);
  CHECK(error.kind() == Kind::too_large);
  CHECK(contains(error.what(), "200000 departments, more than the 65534 supported"));
  CHECK(error.where().line == 65534 * 3 + 1);
  // The second of two with one name is named, however many there are.
  std::string many;
  for (int d = 0; d < 30000; ++d) many += fmt::format("[[departments]]\nname = \"D{}\"\nheadcount = 1\n", d);
  const auto twice = error_from(many + "[[departments]]\nname = \"D7\"\nheadcount = 1\n");
  CHECK(twice.where().line == 30000 * 3 + 2);
  CHECK(contains(twice.what(), "department \"D7\" is defined twice"));
}

TEST_CASE("Errors quote keys, values and names from the input on one line, control characters escaped",
          "[scenario][errors]") {
  const auto one_line_with = [](const ScenarioError& error, const std::string& part) {
    const std::string text = error.what();
    INFO(text);
    CHECK(text.find('\n') == std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(contains(text, part));
  };
  const std::string base = std::string("[scenario]\nsteps = 10\n") + kOneDepartment;
  one_line_with(error_from("[scenario]\n\"a\\nb\\u001B[2J\" = 1\n" + std::string(kOneDepartment)),
                "unknown key 'scenario.a\\u000Ab\\u001B[2J'");
  one_line_with(error_from("[\"sec\\ntion\"]\n" + std::string(kOneDepartment)),
                "unknown section 'sec\\u000Ation'");
  one_line_with(error_from("[organization]\nnetwork = \"ring\\n\\u001B[2J\"\n" + std::string(kOneDepartment)),
                "= \"ring\\u000A\\u001B[2J\" is not one of");
  one_line_with(error_from(base + "[[interventions]]\nkind = \"client_pressure\"\nstart = 1\n"
                                  "departments = [\"Ops\\n\\u001B[2J\"]\n"),
                "unknown department 'Ops\\u000A\\u001B[2J'");
  one_line_with(
      error_from(base + "[[interventions]]\nkind = \"client_pressure\"\nstart = 1\nlevels = [\"x\\ny\"]\n"),
      "has \"x\\u000Ay\", not one of");
  one_line_with(error_from(base, {"scenario.st\neps=3"}),
                "--set scenario.st\\u000Aeps=3: unknown key 'scenario.st\\u000Aeps'");
  one_line_with(error_from(base, {"departments.O\x1bps.headcount=3"}), "unknown department 'O\\u001Bps'");
  one_line_with(error_from(base, {"departments.Ops.head\ncount=3"}),
                "unknown key 'departments.Ops.head\\u000Acount'");
  one_line_with(error_from(base, {"interventions.a\nb.start=3"}), "no intervention named 'a\\u000Ab'");
  one_line_with(error_from(base, {"organization.network=ring\nx"}), "\"ring\\u000Ax\" is not one of");
}

TEST_CASE("Many interventions are checked in n log n", "[scenario][interventions]") {
  // 20,000 interventions: the pairwise checks took minutes.
  std::string text = "[scenario]\nsteps = 100000\n[[departments]]\nname = \"Sales\"\nheadcount = 10\n";
  for (int i = 0; i < 20000; ++i) {
    text += fmt::format(
        "[[interventions]]\nname = \"p{}\"\nkind = \"language_program\"\nstart = {}\nduration = 4\n"
        "word = \"w{}\"\ndepartments = [\"Sales\"]\n",
        i, 4 * i, i % 7);
  }
  CHECK(testing::scenario_from(text).interventions().size() == 20000);
  // Overlaps are found whatever the order in the file; of a pair, the one later in the file is named.
  const std::string base = "[scenario]\nsteps = 52\n[[departments]]\nname = \"Sales\"\nheadcount = 10\n";
  const auto programme = [](int start, int duration) {
    return fmt::format(
        "[[interventions]]\nkind = \"language_program\"\nstart = {}\nduration = {}\nword = \"v\"\n", start,
        duration);
  };
  try {
    testing::scenario_from(base + programme(1, 2) + programme(10, 2) + programme(5, 20));
    FAIL("overlap not found");
  } catch (const ScenarioError& error) {
    CHECK(error.where().line == 16);  // the third programme, which the second overlaps
    CHECK(contains(error.what(), "two language programmes spread \"v\" at the same time"));
  }
  try {
    testing::scenario_from(base + programme(10, 2) + programme(1, 20));
    FAIL("overlap not found");
  } catch (const ScenarioError& error) {
    CHECK(error.where().line == 11);  // the later in the file, though it starts first
  }
  CHECK_NOTHROW(testing::scenario_from(base + programme(1, 2) + programme(3, 1) + programme(4, 0)));
  // Two interventions with one name: the second is named.
  try {
    testing::scenario_from(base +
                           "[[interventions]]\nname = \"x\"\nkind = \"service_definition\"\nstart = 1\n" +
                           "[[interventions]]\nname = \"x\"\nkind = \"service_definition\"\nstart = 2\n");
    FAIL("duplicate name not found");
  } catch (const ScenarioError& error) {
    CHECK(error.where().line == 11);
    CHECK(contains(error.what(), "two interventions are named \"x\""));
  }
}

}  // namespace orgsim

namespace orgsim {

TEST_CASE("Interventions are checked: kind, departments, horizon, keys and competing programmes",
          "[scenario][errors][interventions]") {
  const std::string base = "[scenario]\nsteps = 52\n[[departments]]\nname = \"Sales\"\nheadcount = 10\n";
  const auto error_with = [&](const std::string& interventions) {
    try {
      testing::scenario_from(base + interventions);
    } catch (const ScenarioError& error) {
      return error;
    }
    FAIL("no error for:\n" << interventions);
    throw std::logic_error("unreachable");
  };
  auto error = error_with("[[interventions]]\nkind = \"magic\"\nstart = 1\n");
  CHECK(error.kind() == ScenarioError::Kind::out_of_range);
  CHECK(std::string(error.what()).find("not one of service_definition") != std::string::npos);

  error = error_with("[[interventions]]\nkind = \"client_pressure\"\nstart = 1\ndepartments = [\"Sale\"]\n");
  CHECK(error.kind() == ScenarioError::Kind::unknown_department);
  CHECK(error.where().line == 9);
  CHECK(std::string(error.what()).find("unknown department 'Sale' (departments are: Sales)") !=
        std::string::npos);

  // Steps 0..51 act; an intervention starting at 52 never would.
  error = error_with("[[interventions]]\nkind = \"client_pressure\"\nstart = 52\n");
  CHECK(error.kind() == ScenarioError::Kind::out_of_range);
  CHECK(std::string(error.what()).find("at or beyond the end of the 52-step horizon") != std::string::npos);

  error = error_with("[[interventions]]\nkind = \"client_pressure\"\nstart = 1\ncoverage = 0.5\n");
  CHECK(error.kind() == ScenarioError::Kind::unknown_key);
  CHECK(std::string(error.what()).find("'coverage' does not apply to a client_pressure intervention") !=
        std::string::npos);

  error = error_with("[[interventions]]\nkind = \"language_program\"\nstart = 1\n");
  CHECK(error.kind() == ScenarioError::Kind::invalid);
  CHECK(std::string(error.what()).find("needs a word") != std::string::npos);

  error = error_with(
      "[[interventions]]\nkind = \"language_program\"\nstart = 1\nduration = 10\nword = \"value\"\n"
      "[[interventions]]\nkind = \"language_program\"\nstart = 5\nword = \"value\"\n");
  CHECK(error.kind() == ScenarioError::Kind::invalid);
  CHECK(std::string(error.what()).find("two language programmes spread \"value\" at the same time") !=
        std::string::npos);
  // Competing programmes with different words, or the same word one after the other, are fine.
  CHECK_NOTHROW(testing::scenario_from(
      base +
      "[[interventions]]\nkind = \"language_program\"\nstart = 1\nduration = 4\nword = \"value\"\n"
      "[[interventions]]\nkind = \"language_program\"\nstart = 5\nword = \"value\"\n"
      "[[interventions]]\nkind = \"language_program\"\nstart = 1\nword = \"care\"\n"));
}

TEST_CASE("An enabled intervention whose mechanisms are all off is refused with the one to switch on",
          "[scenario][errors][interventions]") {
  const std::string base = "[scenario]\nsteps = 52\n[[departments]]\nname = \"Sales\"\nheadcount = 10\n";
  const std::string pressure =
      "[[interventions]]\nname = \"pressure\"\nkind = \"client_pressure\"\nstart = 1\n";
  auto error = error_from(base + pressure);
  CHECK(error.kind() == Kind::invalid);
  CHECK(error.where().file == "test.toml");
  CHECK(error.where().line == 6);
  CHECK(contains(error.what(), "test.toml:6:"));
  CHECK(contains(error.what(),
                 "client_pressure intervention \"pressure\" would have no effect with engagement off"));
  CHECK(contains(error.what(), "(set engagement.enabled = true;"));
  CHECK(std::string(error.what()).find('\n') == std::string::npos);
  // Switched on in the file or with --set, the mechanism makes it valid; a
  // disabled intervention is not checked, unless a what-if arm enables it.
  CHECK_NOTHROW(testing::scenario_from(base + pressure, {"engagement.enabled=true"}));
  CHECK_NOTHROW(testing::scenario_from(base + pressure + "enabled = false\n"));
  error = error_from(base + pressure + "enabled = false\n", {"interventions.pressure.enabled=true"});
  CHECK(contains(error.what(), "test.toml:6:"));
  CHECK(contains(error.what(), "with engagement off"));
  // Unnamed, with several ways to act: the hint names each.
  error = error_from(base + "[[interventions]]\nkind = \"feedback_loop\"\nstart = 1\n",
                     {"knowledge.enabled=false"});
  CHECK(contains(error.what(),
                 "feedback_loop intervention would have no effect with perception and knowledge off (set "
                 "perception.enabled = true or knowledge.enabled = true;"));
  CHECK_NOTHROW(testing::scenario_from(base + "[[interventions]]\nkind = \"feedback_loop\"\nstart = 1\n",
                                       {"knowledge.enabled=false", "perception.enabled=true"}));
  // Hiring selectivity needs E's hiring and a code to agree with (K).
  const std::string hiring = "[[interventions]]\nkind = \"hiring_policy\"\nstart = 1\n";
  error = error_from(base + hiring, {"engagement.enabled=true", "knowledge.enabled=false"});
  CHECK(contains(error.what(), "with knowledge off (set knowledge.enabled = true;"));
  error = error_from(base + hiring, {"knowledge.enabled=false"});
  CHECK(contains(error.what(), "set engagement.enabled = true and knowledge.enabled = true;"));
  CHECK_NOTHROW(testing::scenario_from(base + hiring, {"engagement.enabled=true"}));
  // Words act through L, A or V: a language programme with L off still counts with V on.
  const std::string programme =
      "[[interventions]]\nkind = \"language_program\"\nstart = 1\nword = \"care\"\n";
  error = error_from(base + programme, {"language.enabled=false"});
  CHECK(contains(error.what(), "with language, leadership and perception off"));
  CHECK_NOTHROW(
      testing::scenario_from(base + programme, {"language.enabled=false", "perception.enabled=true"}));
  error = error_from(base + "[[interventions]]\nkind = \"leadership_development\"\nstart = 1\n");
  CHECK(contains(error.what(), "with leadership off (set leadership.enabled = true;"));

  // Every kind has its routes: refused with everything off, accepted with everything on.
  const std::vector<std::string> all_off{"knowledge.enabled=false",  "language.enabled=false",
                                         "purpose.enabled=false",    "leadership.enabled=false",
                                         "engagement.enabled=false", "perception.enabled=false"};
  std::vector<std::string> all_on;
  for (const auto& off : all_off) all_on.push_back(off.substr(0, off.find('=')) + "=true");
  std::vector<std::string> kinds{""};
  for (const char c : scenario::find_parameter("interventions.kind")->choices) {
    if (c == '|') {
      kinds.emplace_back();
    } else {
      kinds.back() += c;
    }
  }
  CHECK(kinds.size() == 10);
  for (const auto& kind : kinds) {
    INFO(kind);
    const bool worded = kind == "language_program" || kind == "leader_role_model";
    const auto text = base + "[[interventions]]\nkind = \"" + kind + "\"\nstart = 1\n" +
                      (worded ? "word = \"care\"\n" : "");
    error = error_from(text, all_off);
    CHECK(error.kind() == Kind::invalid);
    CHECK(contains(error.what(), kind + " intervention would have no effect with "));
    CHECK_NOTHROW(testing::scenario_from(text, all_on));
  }
}

TEST_CASE("Interventions resolve to TOML that loads back the same", "[scenario][interventions]") {
  const auto original = testing::scenario_from(
      "[[departments]]\nname = \"Sales\"\nheadcount = 10\n"
      "[[interventions]]\nkind = \"leader_role_model\"\nstart = 4\nword = \"care\"\nlevels = [\"ceo\", "
      "\"head\"]\n");
  const auto reloaded = testing::scenario_from(original.resolved_toml());
  CHECK(reloaded.resolved_toml() == original.resolved_toml());
  REQUIRE(reloaded.interventions().size() == 1);
  CHECK(reloaded.interventions()[0].list("levels") == std::vector<std::string>{"ceo", "head"});
}

TEST_CASE("Asking a table for a key it does not hold is a programming error naming the key and table",
          "[scenario][errors]") {
  const auto scenario = testing::scenario_from(
      "[scenario]\nsteps = 52\n[[departments]]\nname = \"Sales\"\nheadcount = 10\n"
      "[[interventions]]\nkind = \"client_pressure\"\nstart = 1\nenabled = false\n");
  const auto& department = scenario.departments().front();
  const auto& intervention = scenario.interventions().front();
  const auto message_of = [](const auto& ask) {
    try {
      ask();
    } catch (const std::logic_error& error) {
      return std::string(error.what());
    }
    FAIL("no std::logic_error");
    return std::string();
  };
  // A [[departments]] table has no "budget"; a client_pressure intervention takes no word.
  auto message = message_of([&] { return department.real("budget"); });
  CHECK(contains(message, "test.toml:3:1: programming error"));
  CHECK(contains(message, "'departments.budget'"));
  message = message_of([&] { return intervention.text("word"); });
  CHECK(contains(message, "test.toml:6:1: programming error"));
  CHECK(contains(message, "'interventions.word'"));
  message = message_of([&] { return scenario.real("scenario.budget"); });
  CHECK(contains(message, "test.toml: programming error"));
  CHECK(contains(message, "'scenario.budget'"));
  // Keys that are there read as before.
  CHECK(department.integer("headcount") == 10);
  CHECK(intervention.kind() == "client_pressure");
  CHECK(intervention.integer("start") == 1);
}

}  // namespace orgsim
