#include "results_assembler.hpp"

#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include "atomic_file.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/results_folder.hpp"
#include "output.hpp"

namespace clipsim::sweep::detail {

using results_folder::ResultsFileName;

// One output file growing under a temporary name: plain or gzip, with the XXH3 hash and size of
// the bytes given (uncompressed). XXH3 runs at memory speed, where FNV-1a took ~8 ms per 5 MB.
class ResultsAssembler::Output {
 public:
  Output(std::string path, bool gzip) : file_(std::move(path)) {
    if (gzip) {
      // zlib writes through its own descriptor (closed by gzclose), the file's stays open for the
      // flush. The gzip header has no name or time stamp, so equal content gives equal bytes.
      const int gz_fd = ::dup(file_.fd());
      gz_ = gz_fd < 0 ? nullptr : gzdopen(gz_fd, "wb6");
      if (gz_ == nullptr) {
        if (gz_fd >= 0) ::close(gz_fd);
        Fail("cannot start gzip output");
      }
    }
    if (hash_ == nullptr) Fail("out of memory for the hash state");
    XXH3_64bits_reset(hash_.get());
  }

  ~Output() {
    if (gz_ != nullptr) gzclose(gz_);
  }
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void Write(std::string_view bytes) {
    XXH3_64bits_update(hash_.get(), bytes.data(), bytes.size());
    size_ += bytes.size();
    if (gz_ == nullptr) {
      file_.Write(bytes);
    } else {
      while (!bytes.empty()) {
        const auto part = static_cast<unsigned>(std::min<std::size_t>(bytes.size(), 1u << 30));
        if (gzwrite(gz_, bytes.data(), part) != static_cast<int>(part)) Fail("cannot write");
        bytes.remove_prefix(part);
      }
    }
    if (size_ - started_ >= (std::size_t{1} << 20)) {
      file_.StartWriteBack();
      started_ = size_;
    }
  }

  void Publish() {
    if (gz_ != nullptr) {
      const int rc = gzclose(gz_);
      gz_ = nullptr;
      if (rc != Z_OK) Fail("cannot write");
    }
    file_.Publish();
  }

  std::size_t size() const { return size_; }
  std::string HashText() const { return Hex16(XXH3_64bits_digest(hash_.get())); }

 private:
  [[noreturn]] void Fail(const char* what) const {
    throw InputError(std::string(what) + ": " + std::strerror(errno), {file_.temporary_path()});
  }

  AtomicFileWriter file_;
  gzFile gz_ = nullptr;
  struct FreeState {
    void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
  };
  std::unique_ptr<XXH3_state_t, FreeState> hash_{XXH3_createState()};
  std::size_t size_ = 0;
  std::size_t started_ = 0;  // bytes whose write-back has been started
};

ResultsAssembler::ResultsAssembler(const SweepConfig& config, std::string dir,
                                   const ChunkIndex& on_disk, std::size_t max_held_bytes,
                                   BufferPool* pool)
    : config_(config),
      plan_(config),
      dir_(std::move(dir)),
      on_disk_(on_disk),
      max_held_bytes_(max_held_bytes),
      pool_(pool) {
  results_ = std::make_unique<Output>(
      results_folder::PathIn(dir_, ResultsFileName(config_.compress)), config_.compress);
  timings_ =
      std::make_unique<Output>(results_folder::PathIn(dir_, results_folder::kTimingsFile), false);
  results_->Write(ResultsHeader(config_));
  timings_->Write(results_folder::HeaderLine(results_folder::kTimingsColumns) + "\n");
}

ResultsAssembler::~ResultsAssembler() = default;

void ResultsAssembler::Add(std::size_t index, std::string_view content, const std::string& log,
                           const ChunkRecord& record) {
  if (log_.empty()) log_ = log;
  // Chunks committed before a resume may come first: appended first, they let this one through
  // (they are read, and refused when damaged, as soon as the chunks before them are in).
  AppendReady();
  if (index == next_) {
    Append(index, content, log);
  } else {
    Ahead& ahead = ahead_[index];
    ahead.record = record;
    if (held_bytes_ + content.size() <= max_held_bytes_) {
      if (pool_ != nullptr) ahead.content = pool_->Take();
      ahead.content.assign(content);
      ahead.held = true;
      held_bytes_ += content.size();
    }
  }
  AppendReady();
}

void ResultsAssembler::AppendReady() {
  std::string text;
  while (next_ < plan_.size()) {
    if (!ahead_.empty() && ahead_.begin()->first == next_) {
      Ahead ahead = std::move(ahead_.begin()->second);
      ahead_.erase(ahead_.begin());
      if (ahead.held) {
        held_bytes_ -= ahead.content.size();
        Append(next_, ahead.content, log_);
        if (pool_ != nullptr) pool_->Give(std::move(ahead.content));
      } else {
        text.clear();
        ReadRecord(log_, ahead.record, plan_.Name(plan_[next_]), text);
        Append(next_, text, log_);
      }
      continue;
    }
    if (on_disk_.empty()) return;
    const std::string name = plan_.Name(plan_[next_]);
    const std::string* log = nullptr;
    const ChunkRecord* record = on_disk_.Find(name, &log);
    if (record == nullptr) return;
    text.clear();
    ReadRecord(*log, *record, name, text);
    Append(next_, text, *log);
  }
}

void ResultsAssembler::Append(std::size_t index, std::string_view content, const std::string& log) {
  const Chunk chunk = plan_[index];
  const ChunkParts parts = SplitChunk(content, log + ": chunk " + plan_.Name(chunk));
  results_->Write(parts.rows);
  timings_->Write(parts.timings);
  rows_ += std::count(parts.rows.begin(), parts.rows.end(), '\n');
  // Timing lines end in the run's termination type.
  for (std::size_t pos = parts.timings.find("diverged"); pos != std::string_view::npos;
       pos = parts.timings.find("diverged", pos + 1)) {
    ++diverged_;
  }
  runs_ += chunk.runs();
  next_ = index + 1;
}

std::string ResultsAssembler::Finish(const std::string& command_line) {
  AppendReady();
  if (next_ < plan_.size()) {
    throw InputError("chunk " + plan_.Name(plan_[next_]) + " is not committed; run the sweep again",
                     {dir_});
  }
  // Leave only one form of the results, so a reader never picks up a stale one.
  std::filesystem::remove(results_folder::PathIn(dir_, ResultsFileName(!config_.compress)));
  results_->Publish();
  timings_->Publish();
  ResultsSummary summary;
  summary.file = ResultsFileName(config_.compress);
  summary.runs = runs_;
  summary.rows = rows_;
  summary.diverged = diverged_;
  summary.bytes_uncompressed = results_->size();
  summary.xxh3_64 = results_->HashText();
  WriteSweepTables(config_, dir_, command_line, summary);
  return results_folder::PathIn(dir_, summary.file);
}

}  // namespace clipsim::sweep::detail
