// Progress of a sweep on stderr: a redrawn bar with done/total runs, runs per second and ETA on a
// terminal; otherwise (a log file, a batch job) a plain line at most every few seconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace clipsim::sweep::detail {

class Progress {
 public:
  Progress(std::int64_t total, std::int64_t already_done, bool enabled);
  // Called from one thread (the coordinator) with the runs done so far in this invocation.
  void Update(std::int64_t done_now, bool force = false);
  void Finish(std::int64_t done_now);

 private:
  void Print(std::int64_t done_now);

  std::int64_t total_;
  std::int64_t already_;
  bool enabled_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace clipsim::sweep::detail
