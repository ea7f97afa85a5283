#pragma once
// What the commands share: option parsing, loading the scenario, the thread
// count and the stop flag that SIGINT, SIGTERM, SIGHUP and SIGUSR1 raise.
#include <atomic>
#include <boost/program_options.hpp>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <string>
#include <vector>

#include "experiments/dry_run.hpp"
#include "scenario/scenario.hpp"

namespace orgsim::cli {

// Raised by SIGINT, SIGTERM, SIGHUP and SIGUSR1 once install_stop_handlers() ran: runs in
// flight finish, no new run starts.
extern std::atomic<bool> interrupted;
void install_stop_handlers();

// Prints the one line a failed command gives for `failure` (an exception
// from `command`) and returns its exit status: 2 bad input, 3 output, 4 out
// of memory, 130 interrupted, 70 an internal error.
int report_failure(const std::exception_ptr& failure, const std::string& command);
// The exit status report_failure() gives, without printing.
int exit_status_of(const std::exception_ptr& failure);

// The command's options plus its positional arguments, each taken as text
// under its name, in order ("scenario", or "file" then "run").
boost::program_options::variables_map parse(const std::vector<std::string>& args,
                                            const boost::program_options::options_description& options,
                                            std::initializer_list<const char*> positionals = {});
// help, output, set and threads: the options every command that runs a scenario takes.
boost::program_options::options_description run_options(const std::string& caption);
std::vector<std::string> set_overrides(const boost::program_options::variables_map& values);
// The scenario named on the command line, or the embedded default.
Scenario load(const boost::program_options::variables_map& values, const std::vector<std::string>& overrides);
// The results file: -o, or SCENARIO_NAME.h5 in the current directory (the
// name is checked to make a plain file name); refused (OutputError) when no
// file can be written there, before any work.
std::string output_path(const boost::program_options::variables_map& values, const Scenario& scenario);
// --threads, checked; all cores when not given.
std::uint32_t thread_count(const boost::program_options::variables_map& values);

// A dry run's estimated time and file size for `output`, and that nothing was written.
void print_estimate(const sweep::DryRunEstimate& estimate, const std::string& output);

}  // namespace orgsim::cli
