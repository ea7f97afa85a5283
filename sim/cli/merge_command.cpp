// orgsim merge: the shard files of one sweep (orgsim sweep --shard I/N, run
// as a job array) joined into the file the whole sweep writes.
#include <fmt/core.h>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "experiments/shard_merge.hpp"

namespace orgsim::cli {
namespace po = boost::program_options;

int merge_command(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description options("orgsim merge PART... -o OUT [options]");
  // clang-format off
  options.add_options()
    ("help,h", "show this help")
    ("output,o", po::value<std::string>(), "the merged results file")
    ("force", "overwrite an existing results file");
  // clang-format on
  po::options_description all;
  all.add(options);
  all.add_options()("parts", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("parts", -1);
  po::variables_map values;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
  po::notify(values);
  if (values.count("help")) {
    std::cout
        << options
        << "\nJoins the files of `orgsim sweep SCENARIO --shard I/N -o PART` for I = 0 .. N-1 into one\n"
           "results file with the same datasets as the sweep run whole. Every shard must be there and\n"
           "complete, and all of one scenario and build; otherwise nothing is written.\n";
    return 0;
  }
  if (!values.count("parts")) throw po::error("name the shard files to merge");
  if (!values.count("output")) throw po::error("name the merged file with -o OUT");
  const auto names = values["parts"].as<std::vector<std::string>>();
  const std::vector<std::filesystem::path> parts(names.begin(), names.end());
  const std::filesystem::path output = values["output"].as<std::string>();
  const auto ledger = sweep::merge_sweep(parts, output, values.count("force") > 0, command_line);
  fmt::print("merged {} shard(s) into {}: {} run(s), {} done, {} failed\n", parts.size(), output.string(),
             ledger.done + ledger.failed + ledger.pending, ledger.done, ledger.failed);
  return 0;
}

}  // namespace orgsim::cli
