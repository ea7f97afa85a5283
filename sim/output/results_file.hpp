#pragma once
// The results file (HDF5, readable by netCDF-4 tools): dimensions run, step
// and department as dimension scales; organization observables [run, step];
// department observables [run, step, department]; per-run seed, replicate and
// point; and the provenance of the file at the root. Only this writer touches
// the file. It writes to a temporary name beside the target and renames it
// into place on finish(), so a crash never leaves a half-written file under
// the final name.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/simulation.hpp"

namespace orgsim {

struct ResultsHeader {
  std::string engine_version;
  std::string scenario_text;      // the file as given
  std::string scenario_resolved;  // every parameter after defaults and --set
  std::string scenario_hash;
  std::string command_line;
  std::string created;  // ISO 8601, UTC
  std::vector<std::string> department_names;
  std::uint64_t runs = 0;
  std::uint32_t steps = 0;
};

class ResultsWriter {
 public:
  // Refuses (OutputError) an existing `path` unless `overwrite`, and a
  // directory it cannot write to, before any run starts.
  ResultsWriter(std::filesystem::path path, bool overwrite, const ResultsHeader& header);
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;
  ~ResultsWriter();

  void write(const RunResult& result);
  // Closes the file and moves it to its final name.
  void finish();

  const std::filesystem::path& temporary_path() const noexcept { return temporary_; }

 private:
  void close() noexcept;

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  std::uint64_t runs_ = 0;
  std::uint32_t steps_ = 0;
  std::size_t departments_ = 0;
  std::int64_t file_ = -1;
  std::vector<std::int64_t> org_datasets_, department_datasets_;
  std::int64_t seed_ = -1, replicate_ = -1, point_ = -1, equilibrium_ = -1;
  bool finished_ = false;
};

}  // namespace orgsim
