#include "chunk_committer.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace clipsim::sweep::detail {

ChunkCommitter::ChunkCommitter(std::string dir, Published published, std::size_t max_chunks,
                               std::size_t max_bytes, BufferPool* pool,
                               std::chrono::steady_clock::duration flush_every)
    : log_(std::move(dir)),
      published_(std::move(published)),
      max_chunks_(std::max<std::size_t>(max_chunks, 1)),
      max_bytes_(max_bytes),
      pool_(pool),
      flush_every_(flush_every),
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
      const bool idle = queue_.empty() && in_flight_ == 0;
      const bool room = queue_.size() + in_flight_ < max_chunks_ &&
                        (idle || queued_bytes_ + content.size() <= max_bytes_);
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
  ++draining_;
  changed_.notify_all();  // the thread may be waiting for the pace with records unflushed
  changed_.wait(lock,
                [this] { return (queue_.empty() && in_flight_ == 0 && !unflushed_) || error_; });
  --draining_;
  RethrowLocked();
}

std::size_t ChunkCommitter::flushes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return flushes_;
}

void ChunkCommitter::RethrowLocked() {
  if (error_) std::rethrow_exception(error_);
}

void ChunkCommitter::Loop() {
  using Clock = std::chrono::steady_clock;
  std::unique_lock<std::mutex> lock(mutex_);
  std::vector<Pending> batch;
  std::vector<ChunkRecord> records;
  Clock::time_point last_flush = Clock::now();
  for (;;) {
    // Chunks to write, or with records unflushed: the pace's due time, a Drain or the close.
    if (unflushed_) {
      changed_.wait_until(lock, last_flush + flush_every_,
                          [this] { return !queue_.empty() || closing_ || draining_ > 0; });
    } else {
      changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
    }
    if (queue_.empty() && !unflushed_) return;  // closing, nothing left
    // Everything waiting is appended at once, and flushed once when the flush is due (group
    // commit): where a flush is slow (a network file system: tens of ms) the committer keeps up
    // with any rate of chunks instead of making the workers wait.
    batch.clear();
    while (!queue_.empty()) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    in_flight_ = batch.size();
    const bool flush = closing_ || draining_ > 0 || Clock::now() - last_flush >= flush_every_;
    bool unflushed = unflushed_;
    lock.unlock();
    std::exception_ptr failed;
    // After a failure nothing more is written: the log ends at the failed record, and what is
    // committed is always a prefix of what was handed over.
    if (error_ == nullptr) {
      try {
        records.clear();
        for (const Pending& chunk : batch) {
          records.push_back(log_.Append(chunk.name, chunk.content, /*flush=*/false));
          unflushed = true;
        }
        for (std::size_t i = 0; published_ && i < batch.size(); ++i) {
          published_(batch[i].tag, batch[i].content, log_.path(), records[i]);
        }
        if (flush && unflushed) {
          log_.Flush();
          last_flush = Clock::now();
          unflushed = false;
          std::lock_guard<std::mutex> count(mutex_);
          ++flushes_;
        }
      } catch (...) {
        failed = std::current_exception();
      }
    }
    std::size_t bytes = 0;
    for (Pending& chunk : batch) {
      bytes += chunk.content.size();
      if (pool_ != nullptr) pool_->Give(std::move(chunk.content));
    }
    batch.clear();  // free (or pool) the contents before taking more
    lock.lock();
    queued_bytes_ -= bytes;
    in_flight_ = 0;
    if (failed && !error_) error_ = failed;
    unflushed_ = unflushed && !error_;  // after a failure nothing is flushed any more
    changed_.notify_all();
  }
}

}  // namespace clipsim::sweep::detail
