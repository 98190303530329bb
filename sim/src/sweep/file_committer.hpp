// Commits chunk files without making the workers wait for the disk. A worker hands over a file's
// path and content; one background thread writes each file with WriteFileAtomically (temporary
// name, fsync, rename), in the order handed over. A chunk is committed once renamed, exactly as
// before, but the ~1.5 ms that creating, flushing and renaming a file blocks for on this kind of
// machine (measured with strace: create ~0.7 ms, fsync ~0.6 ms, rename ~0.3 ms) is spent while the
// workers go on computing; in the workers the fsyncs alone were ~86 ms of a ~1.2 s bench sweep.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace clipsim::sim::detail {

class FileCommitter {
 public:
  // Called on the background thread after each file is published, with the tag it was committed
  // with and its content (the sweep's results assembly); what it throws counts as a write error.
  using Published = std::function<void(std::size_t tag, std::string_view content)>;

  // At most max_files files or max_bytes of content wait at a time (see Commit).
  explicit FileCommitter(Published published = nullptr, std::size_t max_files = 64,
                         std::size_t max_bytes = std::size_t{256} << 20);
  // Publishes what is queued (errors are dropped here: call Drain to see them).
  ~FileCommitter();
  FileCommitter(const FileCommitter&) = delete;
  FileCommitter& operator=(const FileCommitter&) = delete;

  // Queues the file. Blocks while max_files files or max_bytes wait (a single larger file still
  // passes alone), so that memory stays bounded when the disk is slow. Throws the
  // InputError of an earlier file that could not be written.
  void Commit(std::string path, std::string content, std::size_t tag = 0);

  // Waits until every queued file is published; rethrows the first publish error.
  void Drain();

 private:
  const Published published_;
  const std::size_t max_files_;
  const std::size_t max_bytes_;
  void Loop();
  void RethrowLocked();

  std::mutex mutex_;
  std::condition_variable changed_;
  struct File {
    std::string path;
    std::string content;
    std::size_t tag = 0;
  };
  std::deque<File> queue_;
  std::size_t queued_bytes_ = 0;
  bool busy_ = false;  // the thread holds a file taken from the queue
  bool closing_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace clipsim::sim::detail
