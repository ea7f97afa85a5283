#include "results/json_list.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>
// Boost.PropertyTree's JSON reader includes boost/bind.hpp, which otherwise
// announces its deprecated global placeholders at every build.
#define BOOST_BIND_GLOBAL_PLACEHOLDERS
#include <boost/property_tree/json_parser.hpp>
#include <sstream>
#include <stdexcept>

namespace orgsim {
namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;  // UTF-8 passes through: JSON text is UTF-8
    }
  }
  return out + '"';
}

}  // namespace

std::string json_string_list(const std::vector<std::string>& texts) {
  std::vector<std::string> items;
  items.reserve(texts.size());
  for (const auto& text : texts) items.push_back(quoted(text));
  return fmt::format("[{}]", fmt::join(items, ", "));
}

std::vector<std::string> parse_json_string_list(const std::string& json) {
  boost::property_tree::ptree tree;
  std::istringstream in(json);
  try {
    boost::property_tree::read_json(in, tree);
  } catch (const boost::property_tree::json_parser_error& error) {
    throw std::invalid_argument(fmt::format("not JSON: {}", error.message()));
  }
  // The reader gives an array's elements empty keys, an object's members their names.
  const auto first = json.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || json[first] != '[') throw std::invalid_argument("not a JSON array");
  std::vector<std::string> texts;
  for (const auto& [key, element] : tree) {
    if (!key.empty() || !element.empty()) throw std::invalid_argument("not an array of strings");
    texts.push_back(element.data());
  }
  return texts;
}

}  // namespace orgsim
