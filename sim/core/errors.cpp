#include "core/errors.hpp"

#include <fmt/core.h>
#include <algorithm>

namespace orgsim {
namespace {

// The length of the UTF-8 sequence starting at `text[at]`, or 0 when the bytes there are not one
// (a stray continuation byte, an overlong or truncated sequence, a surrogate or a code point past U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const auto lead = byte(0);
  std::size_t length = 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  if (lead >= 0xE0 && lead <= 0xEF) length = 3;
  if (lead >= 0xF0 && lead <= 0xF4) length = 4;
  if (length == 0 || at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
  }
  if (lead == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
  if (lead == 0xED && byte(1) >= 0xA0) return 0;  // surrogate
  if (lead == 0xF0 && byte(1) < 0x90) return 0;   // overlong
  if (lead == 0xF4 && byte(1) >= 0x90) return 0;  // past U+10FFFF
  return length;
}

// Appends `text` with control characters and bytes that are not UTF-8 escaped (and backslashes
// doubled when `backslashes`), stopping after `limit` characters.
std::string escaped(std::string_view text, std::size_t limit, bool backslashes) {
  std::string out;
  out.reserve(std::min(text.size(), limit) + 2);
  std::size_t at = 0;
  std::size_t characters = 0;
  while (at < text.size() && characters < limit) {
    const auto byte = static_cast<unsigned char>(text[at]);
    const auto length = utf8_length(text, at);
    ++characters;
    if (length == 0) {
      out += fmt::format("\\x{:02X}", byte);
      ++at;
    } else if (byte < 0x20 || byte == 0x7F) {
      out += fmt::format("\\u{:04X}", byte);
      ++at;
    } else if (byte == 0xC2 && static_cast<unsigned char>(text[at + 1]) < 0xA0) {
      out += fmt::format("\\u{:04X}", static_cast<unsigned char>(text[at + 1]));  // C1 control, e.g. CSI
      at += 2;
    } else if (byte == '\\' && backslashes) {
      out += "\\\\";
      ++at;
    } else {
      out.append(text.substr(at, length));
      at += length;
    }
  }
  if (at < text.size()) out += fmt::format("... ({} bytes)", text.size());
  return out;
}

}  // namespace

std::string printable(std::string_view text, std::size_t limit) {
  return escaped(text, limit, true);
}

std::string one_line(std::string_view message) {
  return escaped(message, message.size(), false);
}

std::string to_string(const SourcePosition& where) {
  // A path is at most PATH_MAX (4096) bytes; a --set position holds the whole assignment.
  constexpr std::size_t kPathLimit = 4096;
  if (where.line == 0) return printable(where.file, kPathLimit);
  return fmt::format("{}:{}:{}", printable(where.file, kPathLimit), where.line, where.column);
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
