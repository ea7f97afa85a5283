#pragma once
// The shard files of one sweep (orgsim sweep --shard I/N, run as a job array)
// joined into the file the whole sweep writes, under the whole sweep's
// header, rebuilt from the scenario the first part records.
#include <filesystem>
#include <string>
#include <vector>

#include "results/results_file.hpp"

namespace orgsim::sweep {

// Refuses (OutputError, one line, nothing written) a first part that cannot
// be read or is not a shard, a scenario this build reads differently from the
// build that ran the shards, and whatever merge_shards() refuses. Returns the
// merged file's ledger.
LedgerCounts merge_sweep(const std::vector<std::filesystem::path>& parts, const std::filesystem::path& output,
                         bool overwrite, const std::string& command_line);

}  // namespace orgsim::sweep
