// Replays fuzzer inputs through the harness without libFuzzer: every file
// named, or every file in a directory named, once. CTest runs it over the
// regression corpus and the shipped scenarios under the sanitize build.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path named(argv[i]);
    if (std::filesystem::is_directory(named)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(named)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.push_back(named);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: orgsim_fuzz_replay FILE_OR_DIRECTORY...\n");
    return 2;
  }
  for (const auto& file : files) replay(file);
  std::printf("replayed %zu input(s)\n", files.size());
  return 0;
}
