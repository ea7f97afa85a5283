// The writer: refuses to clobber, writes under a temporary name, renames on
// finish, removes its temporary file when abandoned, and stores what it got.
#include <hdf5.h>
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "results/results_file.hpp"
#include "support/scenarios.hpp"
#include "support/temp_dir.hpp"

namespace orgsim {
namespace {

struct TempDir : testing::TempDir {
  TempDir() : testing::TempDir("orgsim-test") {}
};

namespace fs = std::filesystem;

const std::string kScenario =
    "[scenario]\nsteps = 6\n[[departments]]\nname = \"A\"\nheadcount = 20\n[[departments]]\nname = \"B\"\n"
    "headcount = 10\n";

ResultsHeader header_for(std::uint64_t runs) {
  ResultsHeader header;
  header.engine_version = "test";
  header.scenario_text = kScenario;
  header.scenario_resolved = kScenario;
  header.scenario_hash = "0123456789abcdef";
  header.command_line = "orgsim test";
  header.created = "2026-01-01T00:00:00Z";
  header.department_names = {"A", "B"};
  header.runs = runs;
  header.steps = 6;
  return header;
}

std::vector<double> read_doubles(const fs::path& file, const char* name) {
  const hid_t handle = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(handle >= 0);
  const hid_t dataset = H5Dopen2(handle, name, H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  const hid_t space = H5Dget_space(dataset);
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Sclose(space);
  H5Dclose(dataset);
  H5Fclose(handle);
  return values;
}

// Files, datasets, groups, committed types and attributes open in the whole
// process (HDF5 does not count dataspaces and transient types for anyone).
ssize_t open_objects() {
  return H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
}

}  // namespace

TEST_CASE("Runs are stored in their own rows whatever order they arrive in", "[output]") {
  TempDir dir;
  const auto file = dir.path / "r.h5";
  const auto config = testing::config_from(kScenario);
  std::vector<RunResult> results;
  for (std::uint64_t run = 0; run < 3; ++run) {
    results.push_back(Simulation(config, RunKey{1, 0, run}).run());
    results.back().run = run;
  }
  {
    ResultsWriter writer(file, false, header_for(3));
    CHECK(fs::exists(writer.temporary_path()));
    CHECK_FALSE(fs::exists(file));
    for (const std::uint64_t run : {2U, 0U, 1U}) writer.write(results[run]);
    writer.finish();
  }
  REQUIRE(fs::exists(file));
  const auto knowledge = read_doubles(file, "individual_knowledge");
  REQUIRE(knowledge.size() == 3 * 7);
  for (std::size_t run = 0; run < 3; ++run) {
    for (std::size_t step = 0; step < 7; ++step) {
      CHECK(knowledge[run * 7 + step] ==
            results[run].organization_at(step, OrgObservable::individual_knowledge));
    }
  }
  const auto purpose = read_doubles(file, "dept_purpose_mean");
  REQUIRE(purpose.size() == 3 * 7 * 2);
  CHECK(purpose[(1 * 7 + 6) * 2 + 1] == results[1].department_at(6, 1, DepartmentObservable::purpose_mean));
}

TEST_CASE("An existing file is refused without overwrite and kept intact", "[output]") {
  TempDir dir;
  const auto file = dir.path / "exists.h5";
  std::ofstream(file) << "precious";
  CHECK_THROWS_AS(ResultsWriter(file, false, header_for(1)), OutputError);
  std::ifstream in(file);
  std::string content;
  in >> content;
  CHECK(content == "precious");
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 1);
}

TEST_CASE("An abandoned writer leaves neither the final nor the temporary file", "[output]") {
  TempDir dir;
  const auto file = dir.path / "abandoned.h5";
  fs::path temporary;
  {
    ResultsWriter writer(file, false, header_for(2));
    temporary = writer.temporary_path();
  }
  CHECK_FALSE(fs::exists(file));
  CHECK_FALSE(fs::exists(temporary));
}

TEST_CASE("An unwritable location is an OutputError", "[output]") {
  TempDir dir;
  CHECK_THROWS_AS(ResultsWriter(dir.path / "missing" / "r.h5", false, header_for(1)), OutputError);
}

TEST_CASE("A writer that fails while laying out its file leaves no HDF5 identifier open", "[output]") {
  TempDir dir;
  const auto file = dir.path / "refused.h5";
  // Keys HDF5 refuses as dataset names: one taken by a per-run variable, one
  // naming a group that does not exist. Each fails after the dimension
  // scales and the file are open.
  for (const std::string key : {"seed", "no_such_group/rate"}) {
    auto header = header_for(4);
    header.sweep = SweepHeader{};
    header.sweep->parameter_keys = {key};
    header.sweep->points = {{0.5}, {0.5}, {0.5}, {0.5}};
    const auto before = open_objects();
    for (const auto mode : {ResultsWriter::Mode::plain, ResultsWriter::Mode::crash_safe}) {
      CHECK_THROWS_AS(ResultsWriter(file, false, header, mode), OutputError);
      CHECK(open_objects() == before);
      CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 0);
    }
  }
}

TEST_CASE("A crash-safe file does not grow with the number of commits", "[output]") {
  TempDir dir;
  const auto config = testing::config_from(kScenario);
  const auto simulated = Simulation(config, RunKey{1, 0, 0}).run();
  // Enough runs to span two blocks of per-run columns, each committed on its
  // own: status and equilibrium_step change at every commit.
  constexpr std::uint64_t kRuns = 600;
  auto header = header_for(kRuns);
  header.sweep = SweepHeader{};
  header.sweep->parameter_keys = {"knowledge.socialization_rate"};
  for (std::uint64_t point = 0; point < kRuns; ++point)
    header.sweep->points.push_back({static_cast<double>(point) / kRuns});
  auto write_all = [&](const fs::path& file, bool commit_each_run) {
    ResultsWriter writer(file, false, header, ResultsWriter::Mode::crash_safe);
    for (std::uint64_t run = 0; run < kRuns; ++run) {
      RunResult result = simulated;
      result.run = run;
      result.key = RunKey{1, run, 0};
      // Values that vary from run to run, as they do when runs reach equilibrium at different steps.
      result.equilibrium_step = static_cast<std::int64_t>((run * 7919) % 500);
      writer.write(result);
      if (commit_each_run) writer.commit();
    }
    writer.finish();
    return fs::file_size(file);
  };
  const auto committed_once = write_all(dir.path / "once.h5", false);
  const auto committed_each_run = write_all(dir.path / "each.h5", true);
  // The same data in the same layout: the file that committed 600 times is no
  // larger than the one that committed once (before in-place rewrites, it
  // grew by about a hundred bytes a commit).
  CHECK(committed_each_run <= committed_once);
}

TEST_CASE("Every variable of a sweep file is an observable or a name the registry reserves", "[output]") {
  // An observable named like one of the writer's own variables would be
  // refused only when a file is created; the registry refuses it up front
  // from reserved_variable_names(), which must therefore list them all.
  TempDir dir;
  auto header = header_for(2);
  header.sweep = SweepHeader{};
  header.sweep->parameter_keys = {"knowledge.socialization_rate"};
  header.sweep->points = {{0.1}, {0.2}};
  header.sweep->point_names = {"a", "b"};
  const auto file = dir.path / "names.h5";
  {
    ResultsWriter writer(file, false, header);
    auto result = Simulation(testing::config_from(kScenario), RunKey{1, 0, 0}).run();
    writer.write(result);
    result.run = 1;
    writer.write(result);
    writer.finish();
  }
  std::vector<std::string> allowed;
  for (const auto& spec : organization_observables()) allowed.push_back(spec.name);
  for (const auto& spec : department_observables()) allowed.push_back(spec.name);
  for (const auto name : reserved_variable_names()) allowed.emplace_back(name);
  allowed.emplace_back("knowledge.socialization_rate");  // a swept key, dotted unlike any observable
  const hid_t handle = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(handle >= 0);
  H5G_info_t info;
  REQUIRE(H5Gget_info(handle, &info) >= 0);
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    std::array<char, 256> name{};
    H5Lget_name_by_idx(handle, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    INFO(name.data());
    CHECK(std::find(allowed.begin(), allowed.end(), std::string(name.data())) != allowed.end());
  }
  H5Fclose(handle);
  CHECK_THROWS_AS(register_observable_topic(
                      {"dotted",
                       {{"knowledge.rate", "1", "A name like a swept key."}},
                       [](const Observation&, ObservableSlots& slots) { slots.organization(0) = 0; }}),
                  std::invalid_argument);
  CHECK_THROWS_AS(register_observable_topic(
                      {"clash",
                       {{"scenario_name", "1", "A name the writer uses."}},
                       [](const Observation&, ObservableSlots& slots) { slots.organization(0) = 0; }}),
                  std::invalid_argument);
}

}  // namespace orgsim
