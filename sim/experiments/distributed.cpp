#include "experiments/distributed.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <limits>
#include <mutex>
#include <new>
#include <optional>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "experiments/outcome_codec.hpp"

#ifdef ORGSIM_WITH_MPI
#include <mpi.h>
#endif

namespace orgsim::distributed {

bool launched_by_mpi() noexcept {
  // Open MPI's mpirun, PMIx launchers (srun --mpi=pmix), MPICH's Hydra and PMI-2.
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(variable) != nullptr) return true;
  }
  return false;
}

namespace {
int launcher_value(std::initializer_list<const char*> variables, int otherwise) {
  for (const char* variable : variables) {
    if (const char* text = std::getenv(variable)) return std::atoi(text);
  }
  return otherwise;
}
}  // namespace

int launcher_rank() noexcept {
  return launcher_value({"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"}, 0);
}

int launcher_size() noexcept {
  return launcher_value({"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"}, 1);
}

std::optional<int> agree_on_failure(const Session& session, const std::exception_ptr& failure, int exit_code,
                                    const std::function<void()>& report) {
  const auto first = session.first_failure(failure, exit_code);
  if (!first) return std::nullopt;
  if (first->rank == session.rank()) report();
  session.barrier();
  return first->rank == session.rank() ? first->exit_code : 0;
}

#ifndef ORGSIM_WITH_MPI

bool built_with_mpi() noexcept {
  return false;
}

Session::Session() {
  throw OrgsimError(
      "this orgsim was built without MPI: install an MPI library (scripts/install-dependencies) and "
      "configure with -DORGSIM_WITH_MPI=ON, or run the sweep without mpirun");
}
Session::~Session() = default;
std::optional<Session::Failure> Session::first_failure(const std::exception_ptr& failure,
                                                       int exit_code) const {
  return failure ? std::optional(Failure{0, exit_code}) : std::nullopt;
}
void Session::barrier() const {}
void Session::abort(int exit_code) const noexcept {
  std::_Exit(exit_code);
}
void coordinate(const Session&, const RunQueue&, const std::function<void(RunOutcome&&)>&) {
  throw std::logic_error("coordinate() without MPI");
}
void serve(const Session&, const RunQueue&) {
  throw std::logic_error("serve() without MPI");
}

#else

namespace {

enum Tag : int {
  kHello = 1,   // rank → 0: how many threads the rank runs (std::uint32_t)
  kResult = 2,  // rank → 0: one finished run (encode_outcome)
  kAssign = 3,  // 0 → rank: {more, run, run, ...} (std::uint64_t); more = 0: nothing will follow
};

// Ranks wait by polling, not in a blocking receive: Open MPI's blocking
// calls spin, on cores the computing threads need. The pause between polls
// grows while nothing arrives, so a rank that waits long costs little, and
// starts short again after each message.
class Backoff {
 public:
  explicit Backoff(std::chrono::microseconds longest) : longest_(longest) {}
  void wait() {
    std::this_thread::sleep_for(pause_);
    pause_ = std::min(pause_ * 2, longest_);
  }
  void reset() { pause_ = kShortest; }

 private:
  static constexpr std::chrono::microseconds kShortest{50};
  std::chrono::microseconds longest_;
  std::chrono::microseconds pause_ = kShortest;
};

int checked_count(std::size_t size) {
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::length_error("an MPI message of more than 2 GB");
  return static_cast<int>(size);
}

// The runs rank 0 has handed to this rank and no thread has taken yet.
class Feed {
 public:
  void add(const std::vector<std::uint64_t>& runs, bool more) {
    const std::lock_guard lock(mutex_);
    runs_.insert(runs_.end(), runs.begin(), runs.end());
    closed_ = closed_ || !more;
    changed_.notify_all();
  }
  void close() {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  std::optional<std::uint64_t> take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !runs_.empty() || closed_; });
    if (runs_.empty()) return std::nullopt;
    const auto run = runs_.front();
    runs_.pop_front();
    return run;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::uint64_t> runs_;
  bool closed_ = false;
};

}  // namespace

bool built_with_mpi() noexcept {
  return true;
}

Session::Session() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw OrgsimError("the MPI library does not support threads within ranks (MPI_THREAD_FUNNELED)");
  }
}

Session::~Session() {
  MPI_Finalize();
}

std::optional<Session::Failure> Session::first_failure(const std::exception_ptr& failure,
                                                       int exit_code) const {
  int mine = failure ? rank_ : size_;
  int lowest = size_;
  MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (lowest == size_) return std::nullopt;
  MPI_Bcast(&exit_code, 1, MPI_INT, lowest, MPI_COMM_WORLD);
  return Failure{lowest, exit_code};
}

void Session::barrier() const {
  MPI_Barrier(MPI_COMM_WORLD);
}

void Session::abort(int exit_code) const noexcept {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);
}

void coordinate(const Session& session, const RunQueue& queue,
                const std::function<void(RunOutcome&&)>& consume) {
  std::deque<std::uint64_t> todo(queue.runs.begin(), queue.runs.end());
  struct Peer {
    std::uint64_t in_flight = 0;  // handed out, not yet sent back
    bool closed = false;          // told that nothing more will follow
    bool finished = false;        // closed, and everything sent back
  };
  std::vector<Peer> peers(static_cast<std::size_t>(session.size()));
  int open = session.size() - 1;
  std::exception_ptr failure;
  const auto stopping = [&] {
    return failure || (queue.stop_requested != nullptr && queue.stop_requested->load());
  };
  const auto guarded = [&](const auto& task) {
    try {
      task();
    } catch (...) {
      if (!failure) failure = std::current_exception();
    }
  };
  const auto assign = [&](int rank, std::uint64_t wanted) {
    auto& peer = peers[static_cast<std::size_t>(rank)];
    std::vector<std::uint64_t> message{0};
    for (; wanted > 0 && !todo.empty() && !stopping() && !peer.closed; --wanted) {
      message.push_back(todo.front());
      todo.pop_front();
    }
    message[0] = (todo.empty() || stopping() || peer.closed) ? 0 : 1;
    peer.in_flight += message.size() - 1;
    peer.closed = message[0] == 0;
    MPI_Send(message.data(), checked_count(message.size()), MPI_UINT64_T, rank, kAssign, MPI_COMM_WORLD);
    if (peer.closed && peer.in_flight == 0 && !peer.finished) {
      peer.finished = true;
      --open;
    }
  };

  try {
    auto last_activity = std::chrono::steady_clock::now();
    std::vector<std::uint8_t> buffer;
    Backoff backoff(std::chrono::microseconds(1000));
    while (open > 0) {
      int arrived = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
      if (arrived == 0) {
        const auto now = std::chrono::steady_clock::now();
        if (queue.on_idle && !failure && now - last_activity >= queue.idle_interval) {
          guarded(queue.on_idle);
          last_activity = now;
        }
        backoff.wait();
        continue;
      }
      backoff.reset();
      int size = 0;
      MPI_Get_count(&status, MPI_BYTE, &size);
      if (size < 0) throw std::runtime_error("a message of unknown size");
      buffer.resize(static_cast<std::size_t>(size));
      MPI_Recv(buffer.data(), size, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      const int rank = status.MPI_SOURCE;
      if (status.MPI_TAG == kHello) {
        std::uint32_t threads = 1;
        if (buffer.size() == sizeof threads) std::memcpy(&threads, buffer.data(), sizeof threads);
        // One run more than threads: a thread that finishes finds its next run waiting.
        assign(rank, std::uint64_t{std::max<std::uint32_t>(threads, 1)} + 1);
      } else if (status.MPI_TAG == kResult) {
        --peers[static_cast<std::size_t>(rank)].in_flight;
        assign(rank, 1);  // before writing: the rank goes on while this one writes
        if (!failure) guarded([&] { consume(decode_outcome(buffer)); });
        last_activity = std::chrono::steady_clock::now();
      }
    }
  } catch (...) {
    // The ranks still wait for replies that will not come: only ending the job frees them.
    std::throw_with_nested(ExchangeBroken("rank 0 lost track of the runs it handed out"));
  }
  if (failure) std::rethrow_exception(failure);
}

void serve(const Session& /*session*/, const RunQueue& queue) {
  const std::uint32_t threads = std::max<std::uint32_t>(queue.threads, 1);
  MPI_Send(&threads, sizeof threads, MPI_BYTE, 0, kHello, MPI_COMM_WORLD);
  Feed feed;
  std::vector<std::uint64_t> message;
  const auto receive_assignment = [&] {
    // Polled, not a blocking receive, which would spin on a core the threads compute on.
    MPI_Status status;
    Backoff backoff(std::chrono::microseconds(500));  // the answer is on its way
    for (int arrived = 0; arrived == 0; backoff.wait()) {
      MPI_Iprobe(0, kAssign, MPI_COMM_WORLD, &arrived, &status);
      if (arrived != 0) break;
    }
    int count = 0;
    MPI_Get_count(&status, MPI_UINT64_T, &count);
    if (count < 1) throw std::runtime_error("an empty assignment from rank 0");
    message.resize(static_cast<std::size_t>(count));
    MPI_Recv(message.data(), count, MPI_UINT64_T, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    feed.add(std::vector<std::uint64_t>(message.begin() + 1, message.end()), message[0] != 0);
  };
  receive_assignment();

  RunQueue local;
  local.threads = threads;
  local.keep_going = true;
  local.execute = queue.execute;
  local.prepare = queue.prepare;
  local.next_run = [&] { return feed.take(); };
  // Whatever stops the local queue (out of memory, a failed send), no thread
  // may be left waiting for runs the stopped consumer will never ask for.
  local.on_stop = [&] { feed.close(); };
  run_queue(local, [&](RunOutcome&& outcome) {
    const auto bytes = encode_outcome(outcome);
    MPI_Send(bytes.data(), checked_count(bytes.size()), MPI_BYTE, 0, kResult, MPI_COMM_WORLD);
    receive_assignment();
  });
}

#endif

}  // namespace orgsim::distributed
