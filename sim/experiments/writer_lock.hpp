#pragma once
// One sweep writes to a results file at a time: a second one (a job requeued
// while the first still runs, say) would resume from a snapshot and take the
// file from under it. The lock lives in FILE.lock, beside the results,
// because a resume replaces the results file itself. A killed sweep leaves
// the lock file behind, unlocked; the next sweep takes it over.
#include <string>

namespace orgsim {

class WriterLock {
 public:
  // Throws OutputError when the lock file cannot be created, or when another
  // process holds the lock (nothing was changed).
  explicit WriterLock(const std::string& output);
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;
  // Releases the lock; a lock file this lock created goes too, so that a
  // refused or failed command leaves the directory as it found it.
  ~WriterLock();
  // After the sweep closed its results file: the lock file goes, even one
  // that an earlier, killed sweep left behind.
  void remove_file();

 private:
  std::string path_;
  int descriptor_ = -1;
  bool created_ = false;
};

}  // namespace orgsim
