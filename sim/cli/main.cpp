// orgsim: command-line entry point. Parses the subcommand and hands over to
// the command's function; turns every error into one line and an exit code.
#include <fmt/core.h>
#include <boost/program_options/errors.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/errors.hpp"
#include "experiments/distributed.hpp"
#include "results/results_file.hpp"
#include "version.hpp"

namespace {

constexpr const char* kUsage =
    "usage: orgsim COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO]     run a scenario's replicates (the embedded default without SCENARIO)\n"
    "  sweep SCENARIO     run the scenario's [sweep] design into one crash-safe results file\n"
    "  compare A B [...]  run scenarios on the same seeds; table of outcomes, differences, effect sizes\n"
    "  status FILE        report the done, failed and pending runs of a results file\n"
    "  rerun FILE RUN     run one run of a results file again and check it bit for bit\n"
    "  merge PART... -o OUT  join the shard files of a sweep (sweep --shard I/N) into one\n"
    "  check SCENARIO     validate a scenario and print it with every default resolved\n"
    "  parameters         print the scenario parameter reference (markdown; --defaults:\n"
    "                     each default and the reason for it)\n"
    "  observables        print the observables a run records (markdown tables)\n"
    "\n"
    "`orgsim COMMAND --help` lists a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  orgsim::disable_hdf5_exit_handler();  // before any other HDF5 call
  struct Hdf5Release {
    ~Hdf5Release() { orgsim::release_hdf5(); }
  } release_at_return;
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line = "orgsim";
  for (const auto& arg : args) command_line += " " + arg;
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    fmt::print("orgsim {}\n", orgsim::kVersion);
    return 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    // Only a sweep divides its work among ranks; K copies of another command would race for one file.
    if (orgsim::distributed::launched_by_mpi() && orgsim::distributed::launcher_size() > 1 &&
        args[0] != "sweep") {
      throw boost::program_options::error(
          fmt::format("only `orgsim sweep` runs over MPI ranks; run `orgsim {}` without mpirun", args[0]));
    }
    if (args[0] == "run") return orgsim::cli::run_command(rest, command_line);
    if (args[0] == "sweep") return orgsim::cli::sweep_command(rest, command_line);
    if (args[0] == "compare") return orgsim::cli::compare_command(rest, command_line);
    if (args[0] == "status") return orgsim::cli::status_command(rest);
    if (args[0] == "rerun") return orgsim::cli::rerun_command(rest);
    if (args[0] == "merge") return orgsim::cli::merge_command(rest, command_line);
    if (args[0] == "check") return orgsim::cli::check_command(rest);
    if (args[0] == "parameters") return orgsim::cli::parameters_command(rest);
    if (args[0] == "observables") return orgsim::cli::observables_command(rest);
    fmt::print(
        stderr,
        "orgsim: error: unknown command '{}' (commands: run, sweep, compare, status, rerun, merge, check, "
        "parameters, observables)\n",
        orgsim::printable(args[0]));
    return 2;
  } catch (...) {
    // Under an MPI launcher every rank finds the same bad option or file:
    // rank 0 alone says so and gives the job its exit status (a launcher ends
    // the job at the first non-zero exit, perhaps before rank 0 has written).
    if (orgsim::distributed::launcher_rank() != 0) return 0;
    return orgsim::cli::report_failure(std::current_exception(), args[0]);
  }
}
