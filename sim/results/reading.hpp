#pragma once
// Reading results files back (orgsim status, rerun and sweep --resume).
#include <cstdint>
#include <filesystem>
#include <string>

#include "results/hdf5_handle.hpp"

namespace orgsim {

// Opens a results file for reading, also one whose writer was killed: the
// single-writer read mode accepts a file still marked as being written.
// Invalid when the file cannot be opened or is shorter than its HDF5
// metadata says (a file cut short; that mode skips HDF5's own check of the
// length), and then `why`, if given, receives the reason.
Hdf5Handle open_for_reading(const std::filesystem::path& path, std::string* why = nullptr);

// A fixed-length text attribute; empty when it is missing or of another type.
std::string read_text_attribute(hid_t object, const char* name);

// The size of a dataset along `dimension`; 0 when it has fewer dimensions.
std::uint64_t extent(hid_t dataset, int dimension);

// Throws the OutputError of an HDF5 call that failed to write `path`, right
// after it failed: "PATH: cannot WHAT: CAUSE", the cause being the system's
// error HDF5 recorded (no space left, a file size limit) when it is known.
[[noreturn]] void cannot_write(const char* what, const std::filesystem::path& path);

}  // namespace orgsim
