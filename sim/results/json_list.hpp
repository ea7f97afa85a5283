#pragma once
// Lists of texts as JSON arrays of strings: how a compare file keeps one
// scenario per point in a root attribute that any language can read.
#include <string>
#include <vector>

namespace orgsim {

std::string json_string_list(const std::vector<std::string>& texts);
// Throws std::invalid_argument unless `json` is an array of strings (other
// scalars, such as numbers, come back as their text).
std::vector<std::string> parse_json_string_list(const std::string& json);

}  // namespace orgsim
