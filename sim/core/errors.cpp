#include "core/errors.hpp"

#include <fmt/core.h>

namespace orgsim {
namespace {
std::string render(const SourcePosition& where, const std::string& message, const std::string& hint) {
  std::string text = where.file;
  if (where.line > 0) text += fmt::format(":{}:{}", where.line, where.column);
  text += ": " + message;
  if (!hint.empty()) text += " (" + hint + ")";
  return text;
}
}  // namespace

ScenarioError::ScenarioError(Kind kind, SourcePosition where, const std::string& message,
                             const std::string& hint)
    : OrgsimError(render(where, message, hint)), kind_(kind), where_(std::move(where)) {}

}  // namespace orgsim
