#include "buffer_pool.hpp"

#include <utility>

namespace clipsim::sweep::detail {

std::string BufferPool::Take() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (free_.empty()) return {};
  std::string buffer = std::move(free_.back());
  free_.pop_back();
  bytes_ -= buffer.capacity();
  return buffer;
}

void BufferPool::Give(std::string&& buffer) {
  buffer.clear();
  std::string freed;  // destroyed outside the lock
  std::lock_guard<std::mutex> lock(mutex_);
  if (free_.size() < max_buffers_ && bytes_ + buffer.capacity() <= max_bytes_) {
    bytes_ += buffer.capacity();
    free_.push_back(std::move(buffer));
  } else {
    freed = std::move(buffer);
  }
}

std::size_t BufferPool::kept() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return free_.size();
}

}  // namespace clipsim::sweep::detail
