#include "sweep/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/rng.hpp"

namespace clipsim::sim::detail {

void WriteFileAtomically(const std::string& path, std::string_view content) {
  static std::atomic<unsigned> counter{0};
  const std::string tmp =
      path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError(std::string("cannot write: ") + std::strerror(errno), {tmp});
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw InputError(std::string("cannot write: ") + std::strerror(err), {tmp});
    }
    done += static_cast<std::size_t>(n);
  }
  // Data must reach the disk before the rename makes the file visible under its final name:
  // otherwise a machine that goes down can leave an empty file under the final name. EINVAL: a
  // file system that cannot flush (some special mounts); the rename is all there is.
  if (::fsync(fd) != 0 && errno != EINVAL) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw InputError(std::string("cannot flush to disk: ") + std::strerror(err), {tmp});
  }
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw InputError(std::string("cannot rename into place: ") + std::strerror(err), {path});
  }
}

void AppendWholeFile(const std::string& path, std::string& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open (missing or unreadable)", {path});
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    throw InputError("cannot read", {path});
  }
  const std::size_t start = out.size();
  out.resize(start + static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  while (done < static_cast<std::size_t>(info.st_size)) {
    const ssize_t n = ::read(fd, out.data() + start + done, out.size() - start - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // error, or the file shrank under us
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (done != static_cast<std::size_t>(info.st_size)) {
    out.resize(start);
    throw InputError("cannot read (short read)", {path});
  }
}

std::string ReadWholeFile(const std::string& path) {
  std::string out;
  AppendWholeFile(path, out);
  return out;
}

std::string HashHex(std::string_view bytes) {
  return Hex16(XXH3_64bits(bytes.data(), bytes.size()));
}

}  // namespace clipsim::sim::detail
