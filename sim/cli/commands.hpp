#pragma once
#include <string>
#include <vector>

namespace orgsim::cli {

int run_command(const std::vector<std::string>& args, const std::string& command_line);
int check_command(const std::vector<std::string>& args);
int parameters_command(const std::vector<std::string>& args);
int observables_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args, const std::string& command_line);
int status_command(const std::vector<std::string>& args);
int rerun_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args, const std::string& command_line);
int compare_command(const std::vector<std::string>& args, const std::string& command_line);

}  // namespace orgsim::cli
