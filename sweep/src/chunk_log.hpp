// Where committed chunks live: append-only log files under DIR/chunks/, one per process that
// committed any, instead of one file per chunk. A sweep of 1000 cells x 6 budgets x 10,000 seeds
// in chunks of 50 is 1.2 million chunks, as many files as many cluster scratch quotas allow in
// all; and creating a file per chunk was the largest part of committing it here (perf, bench
// sweep: ~0.46 ms of CPU per chunk in inode allocation), which an append does not pay. The flush
// (~0.35 ms per chunk) remains.
//
// A record is one line "#chunk NAME SIZE XXH3\n" (XXH3 of the content, 16 hex digits) followed by
// SIZE bytes of content: the chunk's results rows, kTimingsMarker, its timing lines. A chunk is
// committed once its record is complete in a log (the writer flushes it to disk before the
// sweep counts it done). A process killed while writing leaves its log's last record cut short;
// that record is not committed and the next process, which writes a log of its own, redoes it.
// Content is checked against its hash whenever it is read, so a record damaged on disk is
// refused by log and chunk name instead of being assembled; a scan with verify checks every
// record and leaves damaged ones out, so that the sweep computes those chunks again. Logs are
// named <20-digit ns since the epoch>-<pid>.log, so name order is time order, and of two records
// of one chunk the later wins: a chunk computed again supersedes its damaged record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clipsim::sweep::detail {

inline constexpr std::string_view kTimingsMarker = "#timings\n";

// One committed chunk: where its content lies in its log.
struct ChunkRecord {
  std::uint64_t offset = 0;  // of the content (past the header line)
  std::uint64_t size = 0;
  std::uint64_t hash = 0;  // XXH3 (64 bit) of the content
};

// Appends the content of the record of chunk `name` in `log` to out after checking its hash;
// InputError naming the log and the chunk when it is unreadable or damaged (out is then left as
// it was).
void ReadRecord(const std::string& log, const ChunkRecord& record, std::string_view name,
                std::string& out);

// The committed chunks of a sweep folder, by name. What a resumed sweep holds for the chunks on
// disk, so it is kept compact: ~40 bytes and the name's bytes per chunk, log paths once in a
// table (a std::map of names to records with their paths took ~250 bytes per chunk).
class ChunkIndex {
 public:
  // Every complete record of every log under DIR/chunks, logs in name (= time) order; of two
  // records of one name the later is kept. Reads the header lines only; with verify, reads every
  // record and leaves out those whose content does not match its hash (counted in damaged()).
  static ChunkIndex Scan(const std::string& dir, bool verify = false);

  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  // The chunk's record, or nullptr when it is not committed; with log, also the path of the log
  // holding it (one lookup for both).
  const ChunkRecord* Find(std::string_view name, const std::string** log = nullptr) const;
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Records left out by a verifying scan.
  std::size_t damaged() const { return damaged_; }

  // Calls f(name, log path, record) for every chunk, in name order.
  template <typename F>
  void ForEach(F&& f) const {
    for (const Entry& e : entries_) f(NameOf(e), logs_[e.log], e.record);
  }

  // Appends the chunk's content to out (ReadRecord); InputError also when it is not committed.
  void Read(std::string_view name, std::string& out) const;
  // The path of the log holding the chunk (which must be committed).
  const std::string& LogOf(std::string_view name) const;

 private:
  struct Entry {
    ChunkRecord record;
    std::size_t name_at = 0;  // in names_
    std::uint32_t name_size = 0;
    std::uint32_t log = 0;  // in logs_
  };
  std::string_view NameOf(const Entry& e) const {
    return std::string_view(names_).substr(e.name_at, e.name_size);
  }
  const Entry* FindEntry(std::string_view name) const;

  std::vector<std::string> logs_;  // paths
  std::string names_;              // every name, back to back
  std::vector<Entry> entries_;     // sorted by name, one per name
  std::size_t damaged_ = 0;
};

// Appends records to a new log file of this process under DIR/chunks (created at the first
// Append, so a process that commits nothing leaves no file). One writer per log.
class ChunkLog {
 public:
  explicit ChunkLog(std::string dir) : dir_(std::move(dir)) {}
  ~ChunkLog();
  ChunkLog(const ChunkLog&) = delete;
  ChunkLog& operator=(const ChunkLog&) = delete;

  // Appends the record; with flush, returns once it is on disk (the commit point). InputError
  // naming the log when it cannot be written.
  ChunkRecord Append(std::string_view name, std::string_view content, bool flush = true);
  // Flushes what was appended without flush.
  void Flush();
  // The log's path (empty before the first Append).
  const std::string& path() const { return path_; }

 private:
  void Open();

  std::string dir_;
  std::string path_;
  int fd_ = -1;
  std::uint64_t end_ = 0;
};

// The two parts of a chunk's content; InputError naming `where` when the marker is missing.
struct ChunkParts {
  std::string_view rows;
  std::string_view timings;
};
ChunkParts SplitChunk(std::string_view content, const std::string& where);

}  // namespace clipsim::sweep::detail
