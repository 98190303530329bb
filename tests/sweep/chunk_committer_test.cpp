// The sweep's background committer and its log (sweep/src/chunk_committer.hpp,
// chunk_log.hpp): every handed-over chunk is committed whole and read back byte for byte, a
// record cut short is not committed, a damaged one is refused by name, and a failed commit
// surfaces at Drain and stops later ones.
#include "chunk_committer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "chunk_log.hpp"
#include "clipsim/core/input_error.hpp"
#include "common/temp_files.hpp"

namespace clipsim::sweep::detail {
namespace {

using clipsim::testing::TempDir;

std::string Content(int i) {
  return std::string(1000 + i, static_cast<char>('a' + i % 26));
}

std::vector<std::string> Logs(const std::string& dir) {
  std::vector<std::string> logs;
  for (const auto& e : std::filesystem::directory_iterator(dir + "/chunks")) {
    logs.push_back(e.path().string());
  }
  return logs;
}

std::string ReadBack(const ChunkIndex& index, const std::string& name) {
  std::string out;
  index.Read(name, out);
  return out;
}

TEST(ChunkCommitter, CommitsEveryChunkIntoOneLogAndReadsItBack) {
  TempDir dir("committer");
  std::filesystem::create_directories(dir / "chunks");
  {
    ChunkCommitter committer(dir.str());
    // More chunks than the queue holds, so Commit also blocks and resumes.
    for (int i = 0; i < 200; ++i) committer.Commit("c" + std::to_string(i), Content(i));
    committer.Drain();
  }
  EXPECT_EQ(Logs(dir.str()).size(), 1u);
  const ChunkIndex index = ChunkIndex::Scan(dir.str());
  EXPECT_EQ(index.size(), 200u);
  for (int i = 0; i < 200; i += 37) EXPECT_EQ(ReadBack(index, "c" + std::to_string(i)), Content(i));
}

TEST(ChunkCommitter, NothingCommittedLeavesNoLog) {
  TempDir dir("committer");
  std::filesystem::create_directories(dir / "chunks");
  {
    ChunkCommitter committer(dir.str());
    committer.Drain();
  }
  EXPECT_TRUE(Logs(dir.str()).empty());
}

TEST(ChunkCommitter, ChunksLargerThanTheByteBoundPassOneAtATime) {
  TempDir dir("committer");
  std::filesystem::create_directories(dir / "chunks");
  ChunkCommitter committer(dir.str(), /*published=*/nullptr, /*max_chunks=*/4, /*max_bytes=*/10);
  for (int i = 0; i < 50; ++i) committer.Commit("b" + std::to_string(i), std::string(100, 'b'));
  committer.Drain();
  EXPECT_EQ(ChunkIndex::Scan(dir.str()).size(), 50u);
}

// The published hook (the sweep's results assembly) sees each chunk once it is committed, with
// its tag, content and record, in the order handed over, also when chunks pile up while the
// thread is busy and are committed as one batch (the first hook call sleeps to make them pile
// up); a hook that throws fails like a write.
TEST(ChunkCommitter, PublishedHookSeesEachChunkCommittedInOrder) {
  TempDir dir("committer");
  std::filesystem::create_directories(dir / "chunks");
  std::vector<std::size_t> tags;
  bool all_readable = true;
  ChunkCommitter committer(dir.str(), [&](std::size_t tag, std::string_view content,
                                          const std::string& log, const ChunkRecord& record) {
    std::string back;
    ReadRecord(log, record, "x", back);
    all_readable = all_readable && back == content;
    tags.push_back(tag);
  });
  for (std::size_t i = 0; i < 20; ++i) {
    committer.Commit("h" + std::to_string(i), std::string(10 + i, 'h'), i);
  }
  committer.Drain();
  ASSERT_EQ(tags.size(), 20u);
  for (std::size_t i = 0; i < tags.size(); ++i) EXPECT_EQ(tags[i], i);
  EXPECT_TRUE(all_readable);

  ChunkCommitter failing(dir.str(), [](std::size_t, std::string_view, const std::string&,
                                       const ChunkRecord&) { throw InputError("hook", {"x"}); });
  failing.Commit("k", "k");
  EXPECT_THROW(failing.Drain(), InputError);
}

// Flushing is paced: chunks are written (and published) at once, but the log is flushed to disk
// at most once per flush_every, and always at Drain. With a pace of an hour, 200 chunks handed
// over one by one (many batches) are all published before any flush, and Drain flushes once; a
// committer that flushed each batch fails this.
TEST(ChunkCommitter, FlushesArePacedAndDrainFlushes) {
  TempDir dir("committer");
  std::filesystem::create_directories(dir / "chunks");
  std::atomic<int> published = 0;
  ChunkCommitter committer(
      dir.str(),
      [&](std::size_t, std::string_view, const std::string&, const ChunkRecord&) { ++published; },
      ChunkCommitter::kMaxChunks, ChunkCommitter::kMaxBytes, nullptr, std::chrono::hours(1));
  for (int i = 0; i < 200; ++i) {
    committer.Commit("p" + std::to_string(i), Content(i));
    if (i % 10 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // more batches
  }
  for (int wait = 0; published.load() < 200 && wait < 10000; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(published.load(), 200);
  EXPECT_EQ(committer.flushes(), 0u);                   // written and published, not yet flushed
  EXPECT_EQ(ChunkIndex::Scan(dir.str()).size(), 200u);  // a killed process loses none of them
  committer.Drain();
  EXPECT_EQ(committer.flushes(), 1u);
  committer.Drain();  // nothing new: no flush
  EXPECT_EQ(committer.flushes(), 1u);
}

// Records left unflushed are flushed once the pace is due, without a Drain or another chunk.
TEST(ChunkCommitter, UnflushedRecordsAreFlushedWhenDue) {
  TempDir dir("committer");
  std::filesystem::create_directories(dir / "chunks");
  ChunkCommitter committer(dir.str(), nullptr, ChunkCommitter::kMaxChunks,
                           ChunkCommitter::kMaxBytes, nullptr, std::chrono::milliseconds(20));
  committer.Commit("due", Content(1));
  // Generous: the flush is due after 20 ms; a loaded CI machine may take longer to schedule it.
  for (int wait = 0; committer.flushes() == 0 && wait < 20000; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(committer.flushes(), 1u);
}

TEST(ChunkCommitter, FailedCommitSurfacesAtDrainAndStopsLaterChunks) {
  TempDir dir("committer");  // no chunks/ folder: the log cannot be created
  ChunkCommitter committer(dir.str());
  committer.Commit("first", "1");
  EXPECT_THROW(committer.Drain(), InputError);
  EXPECT_THROW(committer.Commit("after", "2"), InputError);
}

// A process killed while writing leaves its last record short: every record before it is
// committed, that one is not.
TEST(ChunkLog, ARecordCutShortIsNotCommitted) {
  TempDir dir("log");
  std::filesystem::create_directories(dir / "chunks");
  {
    ChunkLog log(dir.str());
    log.Append("one", "1111");
    log.Append("two", "22222222");
  }
  const std::string path = Logs(dir.str()).front();
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(std::filesystem::file_size(path) - 3)), 0);
  const ChunkIndex index = ChunkIndex::Scan(dir.str());
  EXPECT_TRUE(index.Has("one"));
  EXPECT_FALSE(index.Has("two"));
  EXPECT_EQ(ReadBack(index, "one"), "1111");
}

// A record whose bytes changed on disk is refused, naming its log and chunk.
TEST(ChunkLog, ADamagedRecordIsRefusedByLogAndName) {
  TempDir dir("log");
  std::filesystem::create_directories(dir / "chunks");
  ChunkRecord record;
  std::string path;
  {
    ChunkLog log(dir.str());
    record = log.Append("victim", "rows\n#timings\ntimes\n");
    path = log.path();
  }
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(record.offset + 1));
    f.put('X');
  }
  const ChunkIndex index = ChunkIndex::Scan(dir.str());
  ASSERT_TRUE(index.Has("victim"));
  std::string out = "kept";
  try {
    index.Read("victim", out);
    FAIL() << "a damaged record was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("victim"), std::string::npos) << e.what();
  }
  EXPECT_EQ(out, "kept");
  // A verifying scan reads every record and leaves the damaged one out.
  const ChunkIndex verified = ChunkIndex::Scan(dir.str(), /*verify=*/true);
  EXPECT_FALSE(verified.Has("victim"));
  EXPECT_EQ(verified.damaged(), 1u);
}

// Logs are read in time order and the later record of a chunk wins: a chunk computed again (after
// a verifying scan left its damaged record out) supersedes the old record.
TEST(ChunkLog, TheLaterRecordOfAChunkWins) {
  TempDir dir("log");
  std::filesystem::create_directories(dir / "chunks");
  {
    ChunkLog first(dir.str());
    first.Append("x", "old");
    first.Append("y", "only");
  }
  {
    ChunkLog second(dir.str());
    second.Append("x", "new");
  }
  const ChunkIndex index = ChunkIndex::Scan(dir.str());
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(ReadBack(index, "x"), "new");
  EXPECT_EQ(ReadBack(index, "y"), "only");
}

}  // namespace
}  // namespace clipsim::sweep::detail
