// Progress of a sweep on stderr: a redrawn bar with done/total runs, runs per second and ETA on a
// terminal; otherwise (a log file, a batch job) a plain line at most every few seconds. The same
// counts go to the caller's callback (SweepOptions::on_progress), at most every 200 ms.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>

namespace clipsim::sweep::detail {

class Progress {
 public:
  using Callback = std::function<void(std::int64_t done, std::int64_t total)>;
  Progress(std::int64_t total, std::int64_t already_done, bool enabled, Callback callback = {});
  // Called from one thread (the coordinator) with the runs done so far in this invocation.
  void Update(std::int64_t done_now, bool force = false);
  void Finish(std::int64_t done_now);

 private:
  void Print(std::int64_t done_now);

  std::int64_t total_;
  std::int64_t already_;
  bool enabled_;
  bool tty_;
  Callback callback_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  std::chrono::steady_clock::time_point last_callback_;
};

}  // namespace clipsim::sweep::detail
