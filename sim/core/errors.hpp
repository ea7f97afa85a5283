#pragma once
// Typed errors for bad input. Each carries where the problem is (file, line,
// column when known) and a hint, and renders as one line a person can act on.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace orgsim {

struct SourcePosition {
  std::string file;  // "<default>" for the embedded scenario, "--set" for overrides
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// "file:line:column", or the file alone when the line is not known; the
// file is shown as printable() shows it.
std::string to_string(const SourcePosition& where);

// The most characters of one piece of input an error message quotes.
inline constexpr std::size_t kQuotedLimit = 200;

// Input as an error message quotes it, so that the message stays one line and
// nothing in it acts on the user's terminal: a backslash is doubled, a
// control character (C0, DEL and C1, such as a newline or the ESC of an
// escape sequence) is shown as \uXXXX, a byte that is not UTF-8 as \xNN, and
// text longer than `limit` characters is cut there and ends with
// "... (N bytes)". Every message that quotes a key, a value, a name or a
// path from the input passes it through this.
std::string printable(std::string_view text, std::size_t limit = kQuotedLimit);

// `message` with its control characters and bytes that are not UTF-8 shown
// as printable() shows them, backslashes and length unchanged: what the
// command line prints of any error, so that even a message that quotes
// input unescaped stays one line.
std::string one_line(std::string_view message);

class OrgsimError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  virtual int exit_code() const noexcept { return 1; }
};

// Anything wrong with a scenario: syntax, keys, types, ranges, sizes.
class ScenarioError : public OrgsimError {
 public:
  enum class Kind {
    malformed,
    unknown_key,
    wrong_type,
    out_of_range,
    unknown_department,
    empty_organization,
    too_large,
    invalid
  };
  ScenarioError(Kind kind, SourcePosition where, const std::string& message, const std::string& hint = {});
  Kind kind() const noexcept { return kind_; }
  const SourcePosition& where() const noexcept { return where_; }
  int exit_code() const noexcept override { return 2; }

 private:
  Kind kind_;
  SourcePosition where_;
};

// Problems with the results file (exists, unwritable, disk full). A scenario
// file that cannot be read is a ScenarioError.
class OutputError : public OrgsimError {
 public:
  using OrgsimError::OrgsimError;
  int exit_code() const noexcept override { return 3; }
};

// The machine, not the input: a run could not get the memory it needed. A
// sweep stops and the run stays pending for --resume; exits 4, as a sweep
// with failed runs does (docs/sweeps.md).
class OutOfMemory : public OrgsimError {
 public:
  using OrgsimError::OrgsimError;
  int exit_code() const noexcept override { return 4; }
};

// The user stopped the program (SIGINT, SIGTERM); exits 130 like a shell does.
class Interrupted : public OrgsimError {
 public:
  using OrgsimError::OrgsimError;
  int exit_code() const noexcept override { return 130; }
};

}  // namespace orgsim
