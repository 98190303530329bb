// Commits chunks without making the workers wait for the disk. A worker hands over a chunk's name
// and content; one background thread appends them to this process's chunk log (chunk_log.hpp) in
// the order handed over. A record complete in the log is committed: a killed process cannot lose
// it (the kernel holds it). Flushing the log to disk (fdatasync) guards only against the machine
// going down, so it is paced: at most once per flush_every and always before Drain returns and
// before the committer closes. A flush per batch of chunks, as before, cost ~6% of the CPU time of
// a sweep of short runs (~200 fdatasync/s at 0.3-0.5 ms of kernel time each on this VM, strace
// and perf); a machine going down now loses at most the chunks of the last flush_every, which a
// resume computes again like any missing chunk.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "buffer_pool.hpp"
#include "chunk_log.hpp"

namespace clipsim::sweep::detail {

class ChunkCommitter {
 public:
  // Called on the background thread after each chunk is committed (written, perhaps not yet
  // flushed), with the tag it was handed over with, its content and where it now lies: the path of
  // the log, the same for every chunk of one committer, and the record in it (the sweep's results
  // assembly); what it throws counts as a write error.
  using Published = std::function<void(std::size_t tag, std::string_view content,
                                       const std::string& log, const ChunkRecord& record)>;

  // Commits into DIR/chunks. At most max_chunks chunks or max_bytes of content wait at a time
  // (see Commit). With a pool, each chunk's content is given to it once committed and published.
  static constexpr std::size_t kMaxChunks = 64;
  static constexpr std::size_t kMaxBytes = std::size_t{256} << 20;
  static constexpr std::chrono::milliseconds kFlushEvery{100};
  explicit ChunkCommitter(std::string dir, Published published = nullptr,
                          std::size_t max_chunks = kMaxChunks, std::size_t max_bytes = kMaxBytes,
                          BufferPool* pool = nullptr,
                          std::chrono::steady_clock::duration flush_every = kFlushEvery);
  // Commits and flushes what is queued (errors are dropped here: call Drain to see them).
  ~ChunkCommitter();
  ChunkCommitter(const ChunkCommitter&) = delete;
  ChunkCommitter& operator=(const ChunkCommitter&) = delete;

  // Queues the chunk. Blocks while max_chunks chunks or max_bytes wait or are being written (a
  // single larger chunk still passes alone), so that memory stays bounded when the disk is slow.
  // Throws the InputError of an earlier chunk that could not be committed.
  void Commit(std::string name, std::string content, std::size_t tag = 0);

  // Waits until every queued chunk is committed and flushed to disk; rethrows the first error.
  void Drain();

  // How many times the log was flushed so far (tests).
  std::size_t flushes() const;

 private:
  void Loop();
  void RethrowLocked();

  ChunkLog log_;  // used by the background thread only
  const Published published_;
  const std::size_t max_chunks_;
  const std::size_t max_bytes_;
  BufferPool* const pool_;  // may be null
  const std::chrono::steady_clock::duration flush_every_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  struct Pending {
    std::string name;
    std::string content;
    std::size_t tag = 0;
  };
  std::deque<Pending> queue_;
  std::size_t queued_bytes_ = 0;  // of the chunks waiting and being written
  std::size_t in_flight_ = 0;     // chunks the thread took from the queue and is writing
  bool unflushed_ = false;        // records appended since the last flush
  std::size_t draining_ = 0;      // threads in Drain: flush without waiting for the pace
  std::size_t flushes_ = 0;
  bool closing_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace clipsim::sweep::detail
