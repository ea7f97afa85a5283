#pragma once
// An HDF5 identifier (file, dataset, dataspace, datatype, attribute or
// property list) that closes itself: whatever throws between opening and
// closing, no identifier stays open, and a file is never held open by a
// forgotten dataset.
#include <hdf5.h>

#include <utility>

namespace orgsim {

class Hdf5Handle {
 public:
  using Closer = herr_t (*)(hid_t);

  Hdf5Handle() noexcept = default;
  // Takes `id` as it comes from the HDF5 call; a negative id (the call
  // failed) owns nothing.
  Hdf5Handle(hid_t id, Closer closer) noexcept : id_(id), close_(closer) {}
  Hdf5Handle(Hdf5Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), close_(other.close_) {}
  Hdf5Handle& operator=(Hdf5Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, -1);
      close_ = other.close_;
    }
    return *this;
  }
  Hdf5Handle(const Hdf5Handle&) = delete;
  Hdf5Handle& operator=(const Hdf5Handle&) = delete;
  ~Hdf5Handle() { reset(); }

  hid_t get() const noexcept { return id_; }
  bool valid() const noexcept { return id_ >= 0; }

  // Closes now and returns HDF5's verdict: closing a file writes its last
  // metadata, which can fail.
  herr_t close() noexcept {
    if (id_ < 0) return 0;
    return close_(std::exchange(id_, -1));
  }
  void reset() noexcept { (void)close(); }

 private:
  hid_t id_ = -1;
  Closer close_ = nullptr;
};

}  // namespace orgsim
