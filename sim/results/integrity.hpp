#pragma once
// Whether a results file is whole: its length against what its HDF5
// metadata accounts for, and each run's stored chunks against their
// checksums. A file cut short reads as zeros past its end when it is opened
// in single-writer read mode (HDF5 skips its own length check for a file
// still marked as being written), and a raw chunk copy does not decompress
// what it copies: neither shows damage unless it is looked for.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace orgsim {

enum class RunStatus : std::uint8_t;

// The Fletcher-32 checksum of HDF5's fletcher32 filter (H5_checksum_fletcher32).
std::uint32_t fletcher32(const std::uint8_t* data, std::size_t size);

// Appends the checksum as HDF5's fletcher32 filter does (4 bytes, little
// endian), for a chunk written with H5Dwrite_chunk through a pipeline whose
// last filter is fletcher32.
void append_fletcher32(std::vector<std::uint8_t>& chunk);

// Why the open `file` at `path` is shorter than HDF5's end of allocation (the
// superblock's end-of-file address), or nothing when it is not.
std::optional<std::string> truncation(hid_t file, const std::filesystem::path& path);
// The same from the superblock's own bytes, for a file HDF5 cannot open at
// all (its root group past the end); nothing when the superblock is not one
// orgsim writes (versions 2 and 3) or the file is long enough.
std::optional<std::string> truncation(const std::filesystem::path& path);

// One dataset's stored chunks, checked run by run: a chunk is damaged when
// HDF5 cannot locate or read it, when its Fletcher-32 checksum (files written
// since the filter was added) does not match, or, without a checksum, when it
// does not go through the dataset's filters (deflate refuses a damaged
// stream). Datasets whose rows are not chunked one run at a time are read
// through the filters row by row.
class ChunkCheck {
 public:
  explicit ChunkCheck(hid_t dataset);
  // Whether every chunk of `run`'s row is stored and intact; `absent_ok`: a
  // chunk never written (a failed run's empty message) is not damage.
  bool run_intact(std::uint64_t run, bool absent_ok = false) const;
  // Whether the stored bytes of one chunk, as H5Dread_chunk gives them with
  // its filter mask, pass the checksum (true when the dataset has none).
  bool stored_intact(const std::vector<std::uint8_t>& stored, std::uint32_t filter_mask) const;

 private:
  bool through_filters(const std::vector<hsize_t>& start, const std::vector<hsize_t>& count) const;

  hid_t dataset_;
  std::vector<hsize_t> shape_, chunk_;
  bool chunked_ = false;
  int checksum_filter_ = -1;  // index of fletcher32 in the pipeline when it is the last filter
  std::size_t value_bytes_ = 0;
};

// The runs recorded done or failed in `statuses` whose stored results are
// damaged: a done run's observables, a failed run's message. Each listed once,
// ascending. Datasets missing from the file are left to the caller.
std::vector<std::uint64_t> damaged_runs(hid_t file, const std::vector<RunStatus>& statuses);

// "3, 17, 40" or "3, 17, 40, ... (12 in all)": runs as a message lists them.
std::string list_runs(const std::vector<std::uint64_t>& runs);

}  // namespace orgsim
