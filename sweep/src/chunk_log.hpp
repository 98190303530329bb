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
#include <map>
#include <string>
#include <string_view>

namespace clipsim::sweep::detail {

inline constexpr std::string_view kTimingsMarker = "#timings\n";

// One committed chunk: where its content lies.
struct ChunkRecord {
  std::string log;           // path of the log file
  std::uint64_t offset = 0;  // of the content (past the header line)
  std::uint64_t size = 0;
  std::uint64_t hash = 0;  // XXH3 (64 bit) of the content
};

// The committed chunks of a sweep folder, by name.
class ChunkIndex {
 public:
  // Every complete record of every log under DIR/chunks, logs in name (= time) order; of two
  // records of one name the later is kept. Reads the header lines only; with verify, reads every
  // record and leaves out those whose content does not match its hash (counted in damaged()).
  static ChunkIndex Scan(const std::string& dir, bool verify = false);

  bool Has(const std::string& name) const { return records_.count(name) > 0; }
  std::size_t size() const { return records_.size(); }
  // Records left out by a verifying scan.
  std::size_t damaged() const { return damaged_; }
  const std::map<std::string, ChunkRecord>& records() const { return records_; }

  // Adds or replaces (a later record of the same chunk supersedes an earlier one).
  void Add(const std::string& name, ChunkRecord record);

  // Appends the chunk's content to out after checking its hash; InputError naming the log and
  // the chunk when the record is missing, unreadable or damaged (out is then left as it was).
  void Read(const std::string& name, std::string& out) const;

 private:
  std::map<std::string, ChunkRecord> records_;
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
  ChunkRecord Append(const std::string& name, std::string_view content, bool flush = true);
  // Flushes what was appended without flush.
  void Flush();

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
