// Checks of a results file's integrity: the Fletcher-32 checksum computed as
// HDF5's filter computes it (the writer appends it to the chunks it
// compresses itself, and resume and merge check raw chunks with it), and a
// file cut short found so.
#include "results/integrity.hpp"

#include <hdf5.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <numeric>

#include "results/hdf5_handle.hpp"

namespace orgsim {
namespace {

namespace fs = std::filesystem;

struct TempFile {
  fs::path path = fs::temp_directory_path() / ("orgsim-integrity-" + std::to_string(::getpid()) + ".h5");
  ~TempFile() { fs::remove(path); }
};

// A chunked dataset of `count` bytes in one chunk through `filters`, written
// through HDF5's own pipeline; returns the chunk's stored bytes.
std::vector<std::uint8_t> stored_by_hdf5(const fs::path& path, std::size_t count, bool deflate) {
  std::vector<std::uint8_t> values(count);
  std::iota(values.begin(), values.end(), std::uint8_t{7});
  const hsize_t shape = count;
  {
    const Hdf5Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    const Hdf5Handle space(H5Screate_simple(1, &shape, nullptr), H5Sclose);
    const Hdf5Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_chunk(properties.get(), 1, &shape);
    if (deflate) H5Pset_deflate(properties.get(), 1);
    H5Pset_fletcher32(properties.get());
    const Hdf5Handle dataset(H5Dcreate2(file.get(), "x", H5T_NATIVE_UINT8, space.get(), H5P_DEFAULT,
                                        properties.get(), H5P_DEFAULT),
                             H5Dclose);
    REQUIRE(H5Dwrite(dataset.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  }
  const Hdf5Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  const Hdf5Handle dataset(H5Dopen2(file.get(), "x", H5P_DEFAULT), H5Dclose);
  const hsize_t origin = 0;
  hsize_t size = 0;
  REQUIRE(H5Dget_chunk_storage_size(dataset.get(), &origin, &size) >= 0);
  std::vector<std::uint8_t> stored(size);
  std::uint32_t mask = 0;
  REQUIRE(H5Dread_chunk(dataset.get(), H5P_DEFAULT, &origin, &mask, stored.data()) >= 0);
  REQUIRE(mask == 0);
  const ChunkCheck check(dataset.get());
  CHECK(check.stored_intact(stored, mask));
  CHECK(check.run_intact(0));
  return stored;
}

}  // namespace

TEST_CASE("Fletcher-32 is HDF5's: its filter's appended checksum, any length", "[output]") {
  TempFile temp;
  // Even and odd lengths, shorter and longer than one 360-word fold.
  for (const std::size_t count : {1U, 2U, 719U, 720U, 721U, 5000U, 65537U}) {
    const auto stored = stored_by_hdf5(temp.path, count, false);
    REQUIRE(stored.size() == count + 4);
    std::vector<std::uint8_t> body(stored.begin(), stored.end() - 4);
    append_fletcher32(body);
    CHECK(body == stored);
  }
}

TEST_CASE("A damaged chunk fails its check, an intact one passes", "[output]") {
  TempFile temp;
  auto stored = stored_by_hdf5(temp.path, 4096, true);
  const Hdf5Handle file(H5Fopen(temp.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  const Hdf5Handle dataset(H5Dopen2(file.get(), "x", H5P_DEFAULT), H5Dclose);
  const ChunkCheck check(dataset.get());
  CHECK(check.stored_intact(stored, 0));
  stored[stored.size() / 2] ^= 0x10U;
  CHECK_FALSE(check.stored_intact(stored, 0));
  // A chunk stored without its checksum (filter skipped): nothing to check.
  CHECK(check.stored_intact(stored, 1U << 1U));
}

TEST_CASE("A file shorter than its HDF5 end of allocation is found truncated", "[output]") {
  TempFile temp;
  stored_by_hdf5(temp.path, 20000, false);
  const auto whole = fs::file_size(temp.path);
  {
    const Hdf5Handle file(H5Fopen(temp.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    CHECK_FALSE(truncation(file.get(), temp.path).has_value());
  }
  // Opened first, then cut: what a single-writer reader of a killed file sees,
  // since HDF5 checks the length only when it opens a file not so marked.
  const Hdf5Handle file(H5Fopen(temp.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  fs::resize_file(temp.path, whole / 2);
  const auto why = truncation(file.get(), temp.path);
  REQUIRE(why.has_value());
  CHECK(why->find("truncated") != std::string::npos);
  CHECK(why->find(std::to_string(whole / 2)) != std::string::npos);
}

}  // namespace orgsim
