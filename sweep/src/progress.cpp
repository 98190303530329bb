#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>

namespace clipsim::sweep::detail {
namespace {

std::string Duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "?";
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

Progress::Progress(std::int64_t total, std::int64_t already_done, bool enabled, Callback callback)
    : total_(total),
      already_(already_done),
      enabled_(enabled),
      tty_(::isatty(STDERR_FILENO) != 0),
      callback_(std::move(callback)),
      start_(std::chrono::steady_clock::now()),
      last_(start_),
      last_callback_(start_) {
  if (callback_) callback_(already_, total_);
}

void Progress::Update(std::int64_t done_now, bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (callback_ && (force || now - last_callback_ >= std::chrono::milliseconds(200))) {
    last_callback_ = now;
    callback_(already_ + done_now, total_);
  }
  if (!enabled_) return;
  // A terminal is redrawn often; a log gets one line every five seconds at most.
  const auto every = tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000);
  if (!force && now - last_ < every) return;
  last_ = now;
  Print(done_now);
}

void Progress::Finish(std::int64_t done_now) {
  if (callback_) callback_(already_ + done_now, total_);
  if (!enabled_) return;
  Print(done_now);
  if (tty_) std::fputc('\n', stderr);
}

void Progress::Print(std::int64_t done_now) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::int64_t done = already_ + done_now;
  const double rate = elapsed > 0 ? static_cast<double>(done_now) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : -1.0;
  const double frac = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  if (tty_) {
    constexpr int kWidth = 30;
    const int filled = std::clamp(static_cast<int>(frac * kWidth), 0, kWidth);
    std::fprintf(stderr, "\r[%s%s] %lld/%lld runs  %.0f runs/s  ETA %s   ",
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(),
                 static_cast<long long>(done), static_cast<long long>(total_), rate,
                 Duration(eta).c_str());
  } else {
    std::fprintf(stderr, "sweep: %lld/%lld runs (%.1f%%), %.0f runs/s, ETA %s\n",
                 static_cast<long long>(done), static_cast<long long>(total_), 100.0 * frac, rate,
                 Duration(eta).c_str());
  }
  std::fflush(stderr);
}

}  // namespace clipsim::sweep::detail
