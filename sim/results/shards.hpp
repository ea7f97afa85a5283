#pragma once
// Sweeps cut into shards for job arrays: `orgsim sweep --shard I/N` runs the
// runs whose number is I modulo N into its own file (every run's identity,
// only its own runs' results), and merge_shards() joins the N files into the
// file the whole sweep writes.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "results/results_file.hpp"

namespace orgsim {

struct Shard {
  std::uint64_t index = 0;  // I
  std::uint64_t count = 1;  // N
  bool holds(std::uint64_t run) const noexcept { return run % count == index; }
  std::string text() const;  // "I/N"
};

// "I/N" with 0 <= I < N; throws std::invalid_argument with what is wrong.
Shard parse_shard(const std::string& text);

// The shard a results file holds (its `shard` attribute), if any. Refuses
// (OutputError) a file that cannot be read.
std::optional<Shard> read_shard(const std::filesystem::path& path);

// Joins complete shard files of one sweep into `output`, whose `header` is
// the whole sweep's. Refuses (OutputError, one line, nothing written) a part
// that is not a shard, is of another scenario, build or shard count, is
// incomplete, or repeats a shard, and a missing shard. The output appears
// only once complete.
void merge_shards(const std::vector<std::filesystem::path>& parts, const std::filesystem::path& output,
                  bool overwrite, const ResultsHeader& header);

}  // namespace orgsim
