#include "core/errors.hpp"

#include <fmt/core.h>

namespace orgsim {

std::string to_string(const SourcePosition& where) {
  if (where.line == 0) return where.file;
  return fmt::format("{}:{}:{}", where.file, where.line, where.column);
}

namespace {
std::string render(const SourcePosition& where, const std::string& message, const std::string& hint) {
  std::string text = to_string(where) + ": " + message;
  if (!hint.empty()) text += " (" + hint + ")";
  return text;
}
}  // namespace

ScenarioError::ScenarioError(Kind kind, SourcePosition where, const std::string& message,
                             const std::string& hint)
    : OrgsimError(render(where, message, hint)), kind_(kind), where_(std::move(where)) {}

}  // namespace orgsim
