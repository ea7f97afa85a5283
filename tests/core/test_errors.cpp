// Errors render as one line: the escaping every message applies to the input
// it quotes, and the position it names.
#include <catch2/catch.hpp>
#include <string>

#include "core/errors.hpp"

namespace orgsim {

TEST_CASE("printable() keeps quoted input on one line and away from the terminal", "[errors]") {
  CHECK(printable("knowledge.rate") == "knowledge.rate");
  CHECK(printable("Café & Co") == "Café & Co");  // UTF-8 passes as it is
  CHECK(printable("a\nb") == "a\\u000Ab");
  CHECK(printable("\x1b[2J") == "\\u001B[2J");
  CHECK(printable("tab\there\r") == "tab\\u0009here\\u000D");
  CHECK(printable("del\x7f") == "del\\u007F");
  CHECK(printable("csi\xc2\x9b"
                  "2J") == "csi\\u009B2J");            // a C1 control in UTF-8
  CHECK(printable("\xff\xfe ok") == "\\xFF\\xFE ok");  // not UTF-8
  CHECK(printable("\xe2\x82") == "\\xE2\\x82");        // a truncated sequence
  CHECK(printable(std::string("nul\0x", 5)) == "nul\\u0000x");
  // A backslash is doubled, so that an escape in the message cannot be confused with one in the input.
  CHECK(printable("a\\u000Ab") == "a\\\\u000Ab");
  // Long input is cut, and says how long it was.
  const std::string long_key(1'000'000, 'k');
  const auto shown = printable(long_key);
  CHECK(shown == std::string(kQuotedLimit, 'k') + "... (1000000 bytes)");
  CHECK(printable("abcdef", 3) == "abc... (6 bytes)");
}

TEST_CASE("one_line() escapes control characters and leaves the rest of a message alone", "[errors]") {
  CHECK(one_line("file.toml:1:2: unknown key 'a\\b'") == "file.toml:1:2: unknown key 'a\\b'");
  CHECK(one_line("two\nlines\x1b[2J") == "two\\u000Alines\\u001B[2J");
  const std::string long_message(5000, 'm');
  CHECK(one_line(long_message) == long_message);
}

TEST_CASE("A scenario error names its file printably, on one line", "[errors]") {
  const ScenarioError error(ScenarioError::Kind::invalid, {"--set scenario.na\nme=\x1b[2J", 0, 0}, "bad",
                            "hint");
  CHECK(std::string(error.what()) == "--set scenario.na\\u000Ame=\\u001B[2J: bad (hint)");
  CHECK(to_string({"dir/a\nb.toml", 3, 4}) == "dir/a\\u000Ab.toml:3:4");
}

}  // namespace orgsim
