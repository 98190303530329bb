#include "clipsim/core/file_text.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "clipsim/core/input_error.hpp"

namespace clipsim {

void AppendFileText(const std::string& path, std::string& out, std::string_view what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw InputError("cannot open the " + std::string(what) + " (missing or unreadable)", {path});
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || S_ISDIR(info.st_mode)) {
    ::close(fd);
    throw InputError("cannot read the " + std::string(what) + " (not a regular file)", {path});
  }
  const std::size_t start = out.size();
  const auto size = static_cast<std::size_t>(info.st_size);
  out.resize(start + size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, out.data() + start + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // error, or the file shrank under us
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (done != size) {
    out.resize(start);
    throw InputError("cannot read the " + std::string(what) + " (short read)", {path});
  }
}

std::string ReadFileText(const std::string& path, std::string_view what) {
  std::string out;
  AppendFileText(path, out, what);
  return out;
}

}  // namespace clipsim
