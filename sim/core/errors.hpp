#pragma once
// Typed errors for bad input. Each carries where the problem is (file, line,
// column when known) and a hint, and renders as one line a person can act on.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace orgsim {

struct SourcePosition {
  std::string file;  // "<default>" for the embedded scenario, "--set" for overrides
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// "file:line:column", or the file alone when the line is not known.
std::string to_string(const SourcePosition& where);

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
