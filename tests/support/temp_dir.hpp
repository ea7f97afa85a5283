#pragma once
// A fresh directory for one test's files, removed with everything in it when
// the test ends. Named by the test's prefix, the process and a count, so
// that tests running side by side (CTest runs several processes) or one
// after the other never share one.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <string_view>

namespace orgsim::testing {

struct TempDir {
  std::filesystem::path path;

  explicit TempDir(std::string_view prefix = "orgsim-test") {
    static std::atomic<unsigned> made{0};
    path = std::filesystem::temp_directory_path() /
           (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(made++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

}  // namespace orgsim::testing
