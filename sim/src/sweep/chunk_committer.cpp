#include "sweep/chunk_committer.hpp"

#include <algorithm>
#include <utility>

namespace clipsim::sim::detail {

ChunkCommitter::ChunkCommitter(std::string dir, Published published, std::size_t max_chunks,
                               std::size_t max_bytes)
    : log_(std::move(dir)),
      published_(std::move(published)),
      max_chunks_(std::max<std::size_t>(max_chunks, 1)),
      max_bytes_(max_bytes),
      thread_([this] { Loop(); }) {}

ChunkCommitter::~ChunkCommitter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ChunkCommitter::Commit(std::string name, std::string content, std::size_t tag) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    RethrowLocked();
    changed_.wait(lock, [this, &content] {
      const bool room = queue_.size() < max_chunks_ &&
                        (queue_.empty() || queued_bytes_ + content.size() <= max_bytes_);
      return room || error_;
    });
    RethrowLocked();
    queued_bytes_ += content.size();
    queue_.push_back({std::move(name), std::move(content), tag});
  }
  changed_.notify_all();
}

void ChunkCommitter::Drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return (queue_.empty() && !busy_) || error_; });
  RethrowLocked();
}

void ChunkCommitter::RethrowLocked() {
  if (error_) std::rethrow_exception(error_);
}

void ChunkCommitter::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
    if (queue_.empty()) return;  // closing, nothing left
    Pending chunk = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= chunk.content.size();
    busy_ = true;
    lock.unlock();
    std::exception_ptr failed;
    // After a failure nothing more is written: the log ends at the failed record, and what is
    // committed is always a prefix of what was handed over.
    if (error_ == nullptr) {
      try {
        const ChunkRecord record = log_.Append(chunk.name, chunk.content);
        if (published_) published_(chunk.tag, chunk.content, record);
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
