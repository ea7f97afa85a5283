#include "experiments/writer_lock.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/file.h>
#include <unistd.h>
#include <cstdio>

#include "core/errors.hpp"

namespace orgsim {

WriterLock::WriterLock(const std::string& output) : path_(output + ".lock") {
  descriptor_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
  if (descriptor_ < 0) {
    descriptor_ = ::open(path_.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0644);
    created_ = descriptor_ >= 0;
  }
  if (descriptor_ < 0) {
    throw OutputError(fmt::format("{}: cannot create the lock file (is the directory writable?)", path_));
  }
  if (flock(descriptor_, LOCK_EX | LOCK_NB) != 0) {
    ::close(descriptor_);
    throw OutputError(
        fmt::format("{}: another orgsim sweep is writing this file; nothing was changed", output));
  }
}

WriterLock::~WriterLock() {
  if (created_) remove_file();
  ::close(descriptor_);
}

void WriterLock::remove_file() {
  std::remove(path_.c_str());
  created_ = false;
}

}  // namespace orgsim
