#include "chunk_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::sweep::detail {
namespace {

constexpr std::string_view kHeaderStart = "#chunk ";
// A header line is "#chunk " + a name of ~40 characters + two numbers: far below this.
constexpr std::size_t kMaxHeader = 512;

std::string Errno() {
  return std::strerror(errno);
}

// Parses "NAME SIZE HASH" (the header line past kHeaderStart, without its newline).
bool ParseHeader(std::string_view line, std::string& name, std::uint64_t& size,
                 std::uint64_t& hash) {
  const std::size_t a = line.find(' ');
  if (a == std::string_view::npos || a == 0) return false;
  const std::size_t b = line.find(' ', a + 1);
  if (b == std::string_view::npos) return false;
  name.assign(line.substr(0, a));
  const std::string_view size_text = line.substr(a + 1, b - a - 1);
  const std::string_view hash_text = line.substr(b + 1);
  return ParseUint64(size_text, size) && ParseHex16(hash_text, hash);
}

// Reads exactly n bytes at offset; false on a short read or an error.
bool ReadAt(int fd, char* out, std::size_t n, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

// Reads the record's content to out (r.size bytes) and says whether it matches its hash.
bool ReadIntact(int fd, const ChunkRecord& r, char* out) {
  const auto size = static_cast<std::size_t>(r.size);
  return ReadAt(fd, out, size, r.offset) && XXH3_64bits(out, size) == r.hash;
}

// A record found by Scan, before the index is sorted.
struct Found {
  ChunkRecord record;
  std::size_t name_at = 0;  // in Scan's names
  std::uint32_t name_size = 0;
  std::uint32_t log = 0;
};

void ScanLog(const std::string& path, std::uint32_t log, bool verify, std::string& names,
             std::vector<Found>& found, std::size_t& damaged) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open the chunk log: " + Errno(), {path});
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    throw InputError("cannot read the chunk log: " + Errno(), {path});
  }
  const auto file_size = static_cast<std::uint64_t>(info.st_size);
  std::uint64_t offset = 0;
  char buf[kMaxHeader];
  std::string name;
  std::string content_buffer;
  // Stops at the end, or at a record cut short (the last a killed process wrote).
  while (offset < file_size) {
    const auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kMaxHeader, file_size - offset));
    if (!ReadAt(fd, buf, want, offset)) break;
    const std::string_view head(buf, want);
    const std::size_t newline = head.find('\n');
    if (newline == std::string_view::npos || !head.starts_with(kHeaderStart)) break;
    std::uint64_t size = 0;
    std::uint64_t hash = 0;
    if (!ParseHeader(head.substr(kHeaderStart.size(), newline - kHeaderStart.size()), name, size,
                     hash)) {
      break;
    }
    const std::uint64_t content = offset + newline + 1;
    if (size > file_size || content > file_size - size) break;
    offset = content + size;
    const ChunkRecord record{content, size, hash};
    if (verify) {
      content_buffer.resize(static_cast<std::size_t>(size));
      if (!ReadIntact(fd, record, content_buffer.data())) {
        ++damaged;
        continue;
      }
    }
    found.push_back({record, names.size(), static_cast<std::uint32_t>(name.size()), log});
    names += name;
  }
  ::close(fd);
}

}  // namespace

ChunkIndex ChunkIndex::Scan(const std::string& dir, bool verify) {
  ChunkIndex index;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/chunks", ec)) {
    if (entry.path().extension() == ".log") index.logs_.push_back(entry.path().string());
  }
  std::sort(index.logs_.begin(), index.logs_.end());  // time order (see the header)
  std::string names;
  std::vector<Found> found;
  for (std::uint32_t log = 0; log < index.logs_.size(); ++log) {
    ScanLog(index.logs_[log], log, verify, names, found, index.damaged_);
  }
  // By name, each name's records in the order found; the last of each name wins. The names of
  // the records kept are copied into an arena of their own, so superseded ones take no room.
  const auto name_of = [&names](const Found& f) {
    return std::string_view(names).substr(f.name_at, f.name_size);
  };
  std::stable_sort(found.begin(), found.end(),
                   [&name_of](const Found& a, const Found& b) { return name_of(a) < name_of(b); });
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i + 1 < found.size() && name_of(found[i + 1]) == name_of(found[i])) continue;
    index.entries_.push_back(
        {found[i].record, index.names_.size(), found[i].name_size, found[i].log});
    index.names_ += name_of(found[i]);
  }
  index.entries_.shrink_to_fit();
  index.names_.shrink_to_fit();
  return index;
}

const ChunkIndex::Entry* ChunkIndex::FindEntry(std::string_view name) const {
  const auto it =
      std::lower_bound(entries_.begin(), entries_.end(), name,
                       [this](const Entry& e, std::string_view key) { return NameOf(e) < key; });
  return it != entries_.end() && NameOf(*it) == name ? &*it : nullptr;
}

const ChunkRecord* ChunkIndex::Find(std::string_view name, const std::string** log) const {
  const Entry* e = FindEntry(name);
  if (e == nullptr) return nullptr;
  if (log != nullptr) *log = &logs_[e->log];
  return &e->record;
}

const std::string& ChunkIndex::LogOf(std::string_view name) const {
  const Entry* e = FindEntry(name);
  if (e == nullptr) throw InputError("chunk " + std::string(name) + " is not committed");
  return logs_[e->log];
}

void ChunkIndex::Read(std::string_view name, std::string& out) const {
  const Entry* e = FindEntry(name);
  if (e == nullptr) throw InputError("chunk " + std::string(name) + " is not committed");
  ReadRecord(logs_[e->log], e->record, name, out);
}

void ReadRecord(const std::string& log, const ChunkRecord& record, std::string_view name,
                std::string& out) {
  const int fd = ::open(log.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open the chunk log: " + Errno(), {log});
  const std::size_t start = out.size();
  out.resize(start + static_cast<std::size_t>(record.size));
  const bool intact = ReadIntact(fd, record, out.data() + start);
  ::close(fd);
  if (!intact) {
    out.resize(start);
    throw InputError("damaged record of chunk " + std::string(name) +
                         " (its bytes do not match their hash); run the same sweep command "
                         "with --verify to check every record and compute the damaged ones again",
                     {log});
  }
}

ChunkLog::~ChunkLog() {
  if (fd_ >= 0) ::close(fd_);
}

void ChunkLog::Open() {
  const std::string folder = dir_ + "/chunks";
  const auto stamp = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  for (int attempt = 0; fd_ < 0; ++attempt) {
    char time_text[24];
    std::snprintf(time_text, sizeof time_text, "%020lld", static_cast<long long>(stamp + attempt));
    path_ = folder + "/" + time_text + "-" + std::to_string(::getpid()) + ".log";
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0 && (errno != EEXIST || attempt > 1000)) {
      throw InputError("cannot create the chunk log: " + Errno(), {path_});
    }
  }
  // The log's name must survive a machine going down as well as its records do.
  const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

ChunkRecord ChunkLog::Append(std::string_view name, std::string_view content, bool flush) {
  if (fd_ < 0) Open();
  const std::uint64_t hash = XXH3_64bits(content.data(), content.size());
  std::string header(kHeaderStart);
  header += name;
  header += ' ';
  AppendInteger(header, static_cast<std::int64_t>(content.size()));
  header += ' ';
  header += Hex16(hash);
  header += '\n';
  // One writev for header and content; a short write (rare: signals, full disks) goes on with
  // plain writes of what is left.
  iovec parts[2] = {{header.data(), header.size()},
                    {const_cast<char*>(content.data()), content.size()}};
  const std::size_t total = header.size() + content.size();
  std::size_t done = 0;
  while (done < total) {
    ssize_t n = 0;
    if (done == 0) {
      n = ::writev(fd_, parts, 2);
    } else if (done < header.size()) {
      n = ::write(fd_, header.data() + done, header.size() - done);
    } else {
      n = ::write(fd_, content.data() + (done - header.size()), total - done);
    }
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw InputError("cannot write the chunk log: " + Errno(), {path_});
    done += static_cast<std::size_t>(n);
  }
  if (flush) Flush();
  const ChunkRecord record{end_ + header.size(), content.size(), hash};
  end_ += total;
  return record;
}

void ChunkLog::Flush() {
  // EINVAL: a file system that cannot flush (some special mounts).
  if (fd_ >= 0 && ::fdatasync(fd_) != 0 && errno != EINVAL) {
    throw InputError("cannot flush the chunk log to disk: " + Errno(), {path_});
  }
}

ChunkParts SplitChunk(std::string_view content, const std::string& where) {
  // Timing lines never hold '#', so the last marker is the one.
  const std::size_t at = content.rfind(kTimingsMarker);
  if (at == std::string_view::npos || (at > 0 && content[at - 1] != '\n')) {
    throw InputError("damaged chunk (no timings section)", {where});
  }
  return {content.substr(0, at), content.substr(at + kTimingsMarker.size())};
}

}  // namespace clipsim::sweep::detail
