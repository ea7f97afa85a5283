#pragma once
// A sweep over MPI ranks. Rank 0 owns the results file and hands out runs
// one at a time as ranks ask for them (so a slow run or a slow node never
// holds the others up); every other rank computes runs on its own threads
// and sends each back as soon as it is done. A run's result depends only on
// its key, so the file is the same for any number of ranks.
//
// Only the calling thread of each rank talks to MPI (MPI_THREAD_FUNNELED).
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "experiments/replicates.hpp"

namespace orgsim::distributed {

// Whether this build has MPI (the ORGSIM_WITH_MPI build option).
bool built_with_mpi() noexcept;
// Whether an MPI launcher (mpirun, mpiexec, srun) started this process, read
// from the environment the launchers set.
bool launched_by_mpi() noexcept;
// This process's rank and the job's size as the launcher's environment gives
// them (0 and 1 without a launcher), known before MPI starts: so that only
// rank 0 reports what every rank would find alike, a bad option for one.
int launcher_rank() noexcept;
int launcher_size() noexcept;

class Session {
 public:
  // MPI_Init_thread; throws OrgsimError when the build has no MPI.
  Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();  // MPI_Finalize

  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }

  // Every rank calls it, with what its own setup threw (or nothing) and the
  // exit status that goes with it: the lowest rank that failed and its exit
  // status, so that one rank reports and every rank exits alike.
  struct Failure {
    int rank = -1;
    int exit_code = 0;
  };
  std::optional<Failure> first_failure(const std::exception_ptr& failure, int exit_code) const;
  // Every rank waits here for all the others.
  void barrier() const;
  // Ends the whole job at once, when a rank can no longer keep its part of
  // the exchange (rank 0 would otherwise wait for it forever).
  [[noreturn]] void abort(int exit_code) const noexcept;

 private:
  int rank_ = 0;
  int size_ = 1;
};

// Every rank calls it after a step that any rank may fail (reading the
// scenario, opening the file), with what the step threw here, if anything,
// and the exit status that goes with it. Nothing when no rank failed;
// otherwise the lowest failed rank calls `report` while every other rank
// waits for it (a launcher ends the job at the first non-zero exit, and a
// line not yet written would be lost), and the exit status each rank gives
// comes back: the failure's on the rank that reported it, 0 on the others.
std::optional<int> agree_on_failure(const Session& session, const std::exception_ptr& failure, int exit_code,
                                    const std::function<void()>& report);

// What coordinate() throws when it could not finish the exchange (the nested
// exception says why): the other ranks still wait for it, so the job must end.
class ExchangeBroken : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Rank 0: hands out queue.runs to the other ranks and calls `consume` for each
// run they send back, on this thread, in arrival order; calls queue.on_idle
// when nothing arrived for queue.idle_interval; hands out nothing more once
// *queue.stop_requested. An exception from `consume` stops the hand-out; the
// runs in flight are received and dropped, then it is rethrown.
void coordinate(const Session& session, const RunQueue& queue,
                const std::function<void(RunOutcome&&)>& consume);

// Every other rank: runs what rank 0 hands out with queue.execute and
// queue.prepare on queue.threads threads until rank 0 has nothing more.
void serve(const Session& session, const RunQueue& queue);

}  // namespace orgsim::distributed
