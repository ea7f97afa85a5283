// Lists of texts as JSON arrays: what a compare file's root attributes hold.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "results/json_list.hpp"

namespace orgsim {

TEST_CASE("Texts survive the round trip through a JSON array", "[json_list]") {
  const std::vector<std::string> texts = {"[scenario]\nname = \"a\"\t# tab\n", "back\\slash", "",
                                          "caf\xc3\xa9 \xe2\x80\x94 \x01 control"};
  const auto json = json_string_list(texts);
  CHECK(json.find('\n') == std::string::npos);  // newlines and other control characters escaped
  CHECK(json.starts_with(R"(["[scenario]\u000aname = \"a\"\u0009# tab\u000a", "back\\slash", "", )"));
  CHECK(parse_json_string_list(json) == texts);
  CHECK(json_string_list({}) == "[]");
  CHECK(parse_json_string_list("[]").empty());
}

TEST_CASE("Anything but a JSON array of strings is refused", "[json_list]") {
  CHECK_THROWS_AS(parse_json_string_list("[scenario]\nname = 'a'\n"), std::invalid_argument);
  CHECK_THROWS_AS(parse_json_string_list("{\"a\": \"b\"}"), std::invalid_argument);
  CHECK_THROWS_AS(parse_json_string_list("[[\"nested\"]]"), std::invalid_argument);
  CHECK_THROWS_AS(parse_json_string_list("[\"unterminated]"), std::invalid_argument);
}

}  // namespace orgsim
