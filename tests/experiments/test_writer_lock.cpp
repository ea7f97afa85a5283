// The lock that keeps a second sweep off a results file: refused while held,
// taken over when a killed sweep left it behind, and gone once released.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/errors.hpp"
#include "experiments/writer_lock.hpp"
#include "support/temp_dir.hpp"

namespace orgsim {
namespace {

struct TempDir : testing::TempDir {
  TempDir() : testing::TempDir("orgsim-lock-test") {}
};

namespace fs = std::filesystem;

}  // namespace

TEST_CASE("A second writer is refused while the first holds the lock", "[sweep]") {
  const TempDir directory;
  const auto output = (directory.path / "sweep.h5").string();
  {
    const WriterLock first(output);
    CHECK(fs::exists(output + ".lock"));
    CHECK_THROWS_AS(WriterLock(output), OutputError);
  }
  // Released, and the lock file the first writer created went with it.
  CHECK_FALSE(fs::exists(output + ".lock"));
  CHECK_NOTHROW(WriterLock(output));
}

TEST_CASE("A lock file a killed sweep left behind is taken over", "[sweep]") {
  const TempDir directory;
  const auto output = (directory.path / "sweep.h5").string();
  std::ofstream(output + ".lock").put('\n');
  { const WriterLock taken_over(output); }
  // Not this lock's file: it stays until a sweep closes its results.
  CHECK(fs::exists(output + ".lock"));
  WriterLock closing(output);
  closing.remove_file();
  CHECK_FALSE(fs::exists(output + ".lock"));
}

TEST_CASE("A directory without write access refuses the lock on one line", "[sweep]") {
  CHECK_THROWS_AS(WriterLock("/nonexistent-directory/sweep.h5"), OutputError);
}

}  // namespace orgsim
