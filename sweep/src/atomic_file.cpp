#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

#include "clipsim/core/input_error.hpp"

namespace clipsim::sweep::detail {

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
  static std::atomic<unsigned> counter{0};
  tmp_ = path_ + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) Fail("cannot write", tmp_);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (published_) return;
  if (fd_ >= 0) ::close(fd_);
  ::unlink(tmp_.c_str());
}

void AtomicFileWriter::Fail(const std::string& what, const std::string& path) {
  throw InputError(what + ": " + std::strerror(errno), {path});
}

void AtomicFileWriter::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) Fail("cannot write", tmp_);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void AtomicFileWriter::StartWriteBack() {
  ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
}

void AtomicFileWriter::Publish() {
  // EINVAL: a file system that cannot flush (some special mounts); the rename is all there is.
  if (::fsync(fd_) != 0 && errno != EINVAL) Fail("cannot flush to disk", tmp_);
  ::close(fd_);
  fd_ = -1;
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) Fail("cannot rename into place", path_);
  published_ = true;
}

void WriteFileAtomically(const std::string& path, std::string_view content) {
  AtomicFileWriter file(path);
  file.Write(content);
  file.Publish();
}

}  // namespace clipsim::sweep::detail
