// Strings the sweep's threads hand to one another, kept for reuse. A chunk's content (its rows:
// ~100 KB for 50 runs of a d = 1 sweep) is built by a worker, written by the committer thread and
// perhaps held by the results assembler; freed there, glibc gave its pages back to the system
// (madvise) and the next chunk's worker faulted them in again: more than 0.1 s of system time in
// a 0.8 s sweep of short runs. Given back instead, the buffers circulate and the sweep allocates
// no content memory in its steady state.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace clipsim::sweep::detail {

class BufferPool {
 public:
  // Keeps at most max_buffers strings of at most max_bytes of capacity in all; what is given
  // beyond that is freed.
  BufferPool(std::size_t max_buffers, std::size_t max_bytes)
      : max_buffers_(max_buffers), max_bytes_(max_bytes) {}

  // An empty string: one given back earlier (its capacity kept) where there is one. Thread-safe.
  std::string Take();
  // Keeps `buffer` for a later Take, emptied. Thread-safe.
  void Give(std::string&& buffer);

  std::size_t kept() const;

 private:
  const std::size_t max_buffers_;
  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::vector<std::string> free_;
  std::size_t bytes_ = 0;  // capacity of the strings in free_
};

}  // namespace clipsim::sweep::detail
