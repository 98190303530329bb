// Files that appear whole or not at all: written to a temporary name in the same folder, flushed
// to disk, then renamed, so a sweep killed at any moment (kill -9 included) never leaves a
// half-written chunk under its final name.
#pragma once

#include <string>
#include <string_view>

namespace clipsim::sweep::detail {

// A file written in pieces under the temporary name PATH.tmp.<pid>.<n> and renamed to PATH by
// Publish once flushed to disk. Destroyed unpublished (an error, an interrupted sweep), it removes
// the temporary; a killed process leaves it for the next sweep in the folder to delete.
class AtomicFileWriter {
 public:
  // InputError naming the temporary when it cannot be created.
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void Write(std::string_view bytes);
  // Starts writing back what was written so far without waiting, so that Publish's flush waits
  // for the tail only.
  void StartWriteBack();
  // Flushes to disk, then renames into place: data must be on disk before the name appears, or a
  // machine that goes down can leave an empty file under the final name.
  void Publish();

  // The open descriptor, for a writer that adds its own buffering (gzip).
  int fd() const { return fd_; }
  const std::string& temporary_path() const { return tmp_; }

 private:
  [[noreturn]] void Fail(const std::string& what, const std::string& path);

  std::string path_;
  std::string tmp_;
  int fd_ = -1;
  bool published_ = false;
};

// The whole file at once. Throws InputError when the folder is not writable.
void WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace clipsim::sweep::detail
