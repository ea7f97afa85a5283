#include "experiments/shard_merge.hpp"

#include <fmt/core.h>
#include <optional>

#include "core/errors.hpp"
#include "experiments/plan.hpp"
#include "experiments/provenance.hpp"
#include "results/reading.hpp"
#include "results/shards.hpp"
#include "version.hpp"

namespace orgsim::sweep {

LedgerCounts merge_sweep(const std::vector<std::filesystem::path>& parts, const std::filesystem::path& output,
                         bool overwrite, const std::string& command_line) {
  const auto first_name = parts.front().string();
  std::string text, resolved, hash;
  {
    std::string why;
    const auto first = open_for_reading(parts.front(), &why);
    if (!first.valid()) throw OutputError(fmt::format("{}: {}; nothing was merged", first_name, why));
    text = read_text_attribute(first.get(), "scenario");
    resolved = read_text_attribute(first.get(), "scenario_resolved");
    hash = read_text_attribute(first.get(), "scenario_hash");
  }
  if (resolved.empty() || read_shard(parts.front()) == std::nullopt) {
    throw OutputError(
        fmt::format("{}: not a shard (written by orgsim sweep --shard I/N); nothing was merged", first_name));
  }
  const SweepPlan plan(Scenario::from_text(resolved, first_name + " (scenario_resolved)"));
  auto header = sweep_header(plan, command_line, std::nullopt);
  header.scenario_text = text;
  if (header.scenario_hash != hash) {
    throw OutputError(
        fmt::format("{}: its scenario reads differently in orgsim {}; merge with "
                    "the build that ran the shards; nothing was merged",
                    first_name, kVersion));
  }
  merge_shards(parts, output, overwrite, header);
  return read_ledger(output);
}

}  // namespace orgsim::sweep
