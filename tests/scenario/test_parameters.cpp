// The parameter table: every default comes with the reason for it, and the
// defaults section of docs/model.md is generated from the table.
#include <fmt/core.h>
#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "scenario/parameters.hpp"
#include "scenario/scenario.hpp"

namespace orgsim {
namespace {

// Where a section's heading starts in the defaults section: "#### `[knowledge]`"
// or, for the arrays, "#### `[[departments]]`".
std::size_t heading_of(const std::string& markdown, std::string_view section) {
  const auto plain = markdown.find(fmt::format("#### `[{}]`\n", section));
  return plain != std::string::npos ? plain : markdown.find(fmt::format("#### `[[{}]]`\n", section));
}

}  // namespace

TEST_CASE("Every parameter gives a reason for its default", "[scenario][parameters]") {
  for (const auto& spec : scenario::parameter_table()) {
    INFO(spec.key);
    CHECK_FALSE(spec.reason.empty());
    // One cell of a markdown table: no cell separator, no line break.
    CHECK(spec.reason.find('|') == std::string_view::npos);
    CHECK(spec.reason.find('\n') == std::string_view::npos);
    CHECK(spec.reason.ends_with('.'));
  }
}

TEST_CASE("The defaults section lists every parameter with its reason", "[scenario][parameters]") {
  const std::string markdown = scenario::parameter_defaults_markdown();
  for (const auto section : scenario::section_names()) {
    INFO(section);
    CHECK(heading_of(markdown, section) != std::string::npos);
  }
  for (const auto& spec : scenario::parameter_table()) {
    INFO(spec.key);
    const auto dot = spec.key.find('.');
    // Fields such as `enabled` recur across sections: look for the row under its own heading.
    const auto heading = heading_of(markdown, spec.key.substr(0, dot));
    REQUIRE(heading != std::string::npos);
    const auto row = markdown.find(fmt::format("\n| `{}` | ", spec.key.substr(dot + 1)), heading);
    REQUIRE(row != std::string::npos);
    const auto row_end = markdown.find('\n', row + 1);
    REQUIRE(row_end != std::string::npos);
    CHECK(
        std::string_view(markdown).substr(row, row_end - row).ends_with(fmt::format(" | {} |", spec.reason)));
  }
}

}  // namespace orgsim

namespace orgsim {

TEST_CASE("The seed's documented range is the one the validator applies", "[scenario][parameters]") {
  // docs/scenarios.md once said [0, ∞] while the validator stopped at 9.2e18.
  const auto markdown = scenario::parameters_markdown();
  const std::string documented = "| `seed` | 1 | [0, 9200000000000000000] |";
  CHECK(markdown.find(documented) != std::string::npos);
  const std::string small = "[scenario]\n[[departments]]\nname = \"A\"\nheadcount = 10\n";
  CHECK_NOTHROW(Scenario::from_text(small, "test.toml", {"scenario.seed=9200000000000000000"}));
  CHECK_THROWS_AS(Scenario::from_text(small, "test.toml", {"scenario.seed=9300000000000000000"}),
                  ScenarioError);
}

}  // namespace orgsim
