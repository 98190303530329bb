#include "sweep/file_committer.hpp"

#include <algorithm>
#include <utility>

#include "sweep/atomic_file.hpp"

namespace clipsim::sim::detail {

FileCommitter::FileCommitter(Published published, std::size_t max_files, std::size_t max_bytes)
    : published_(std::move(published)),
      max_files_(std::max<std::size_t>(max_files, 1)),
      max_bytes_(max_bytes),
      thread_([this] { Loop(); }) {}

FileCommitter::~FileCommitter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void FileCommitter::Commit(std::string path, std::string content, std::size_t tag) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    RethrowLocked();
    changed_.wait(lock, [this, &content] {
      const bool room = queue_.size() < max_files_ &&
                        (queue_.empty() || queued_bytes_ + content.size() <= max_bytes_);
      return room || error_;
    });
    RethrowLocked();
    queued_bytes_ += content.size();
    queue_.push_back({std::move(path), std::move(content), tag});
  }
  changed_.notify_all();
}

void FileCommitter::Drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return (queue_.empty() && !busy_) || error_; });
  RethrowLocked();
}

void FileCommitter::RethrowLocked() {
  if (error_) std::rethrow_exception(error_);
}

void FileCommitter::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
    if (queue_.empty()) return;  // closing, nothing left
    File file = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= file.content.size();
    busy_ = true;
    lock.unlock();
    std::exception_ptr failed;
    // After a failure nothing more is written: later files must not appear without the earlier
    // ones, so that what is on disk is always a prefix of what was handed over.
    if (error_ == nullptr) {
      try {
        WriteFileAtomically(file.path, file.content);
        if (published_) published_(file.tag, file.content);
      } catch (...) {
        failed = std::current_exception();
      }
    }
    lock.lock();
    busy_ = false;
    if (failed && !error_) error_ = failed;
    changed_.notify_all();
  }
}

}  // namespace clipsim::sim::detail
