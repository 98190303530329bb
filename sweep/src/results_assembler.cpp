#include "results_assembler.hpp"

#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

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

ResultsAssembler::ResultsAssembler(const SweepConfig& config, const std::vector<Chunk>& plan,
                                   std::string dir, ChunkIndex committed)
    : config_(config), plan_(plan), dir_(std::move(dir)), committed_(std::move(committed)) {
  results_ = std::make_unique<Output>(
      results_folder::PathIn(dir_, ResultsFileName(config_.compress)), config_.compress);
  timings_ =
      std::make_unique<Output>(results_folder::PathIn(dir_, results_folder::kTimingsFile), false);
  results_->Write(ResultsHeader(config_));
  timings_->Write(results_folder::HeaderLine(results_folder::kTimingsColumns) + "\n");
}

ResultsAssembler::~ResultsAssembler() = default;

void ResultsAssembler::Add(std::size_t index, std::string_view content, const ChunkRecord& record) {
  committed_.Add(plan_.at(index).name, record);
  if (index == next_) Append(index, content);
  AppendCommittedFromDisk();
}

void ResultsAssembler::AppendCommittedFromDisk() {
  std::string text;
  while (next_ < plan_.size() && committed_.Has(plan_[next_].name)) {
    text.clear();
    committed_.Read(plan_[next_].name, text);
    Append(next_, text);
  }
}

void ResultsAssembler::Append(std::size_t index, std::string_view content) {
  const std::string& name = plan_[index].name;
  const ChunkParts parts =
      SplitChunk(content, committed_.records().at(name).log + ": chunk " + name);
  results_->Write(parts.rows);
  timings_->Write(parts.timings);
  rows_ += std::count(parts.rows.begin(), parts.rows.end(), '\n');
  // Timing lines end in the run's termination type.
  for (std::size_t pos = parts.timings.find("diverged"); pos != std::string_view::npos;
       pos = parts.timings.find("diverged", pos + 1)) {
    ++diverged_;
  }
  runs_ += plan_[index].runs();
  next_ = index + 1;
}

std::string ResultsAssembler::Finish(const std::string& command_line) {
  AppendCommittedFromDisk();
  if (next_ < plan_.size()) {
    throw InputError("chunk " + plan_[next_].name + " is not committed; run the sweep again",
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
