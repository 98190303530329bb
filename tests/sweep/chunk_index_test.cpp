// The compact index of committed chunks (sweep/src/chunk_log.hpp's ChunkIndex): names sorted and
// found exactly (names that are prefixes of others, names absent between present ones), each
// record with its own log's path, the later record of a chunk winning across logs, and a verifying
// scan that leaves damaged records out and falls back to an earlier intact one.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "chunk_log.hpp"
#include "clipsim/core/input_error.hpp"
#include "common/temp_files.hpp"

namespace clipsim::sweep::detail {
namespace {

using clipsim::testing::TempDir;

std::string ReadBack(const ChunkIndex& index, const std::string& name) {
  std::string out;
  index.Read(name, out);
  return out;
}

// Changes one byte of a record's content on disk.
void Damage(const std::string& log, const ChunkRecord& record) {
  std::fstream f(log, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(record.offset));
  const char c = static_cast<char>(f.get());
  f.seekp(static_cast<std::streamoff>(record.offset));
  f.put(c == 'X' ? 'Y' : 'X');
}

struct TwoLogs {
  TempDir dir{"index"};
  std::string first_log;
  std::string second_log;
  ChunkRecord first_b;   // "b" in the first log, superseded by the second
  ChunkRecord second_d;  // "d" in the second log, superseding the first's
  ChunkRecord first_ab;  // "ab", only in the first log
  TwoLogs() {
    std::filesystem::create_directories(dir / "chunks");
    {
      ChunkLog log(dir.str());
      log.Append("c", "c1");
      first_b = log.Append("b", "b1");
      log.Append("d", "d1");
      first_ab = log.Append("ab", "ab1");
      log.Append("a", "a1");
      first_log = log.path();
    }
    {
      ChunkLog log(dir.str());
      log.Append("b", "b2");
      second_d = log.Append("d", "d2");
      log.Append("e", "e2");
      second_log = log.path();
    }
  }
};

TEST(ChunkIndex, FindsEveryNameOnceWithItsLatestRecordAndLog) {
  TwoLogs logs;
  ASSERT_LT(logs.first_log, logs.second_log);  // name order is time order
  const ChunkIndex index = ChunkIndex::Scan(logs.dir.str());
  EXPECT_EQ(index.size(), 6u);
  EXPECT_EQ(index.damaged(), 0u);
  std::vector<std::string> names;
  std::vector<std::string> logs_of;
  index.ForEach([&](std::string_view name, const std::string& log, const ChunkRecord&) {
    names.emplace_back(name);
    logs_of.push_back(log);
  });
  EXPECT_EQ(names, (std::vector<std::string>{"a", "ab", "b", "c", "d", "e"}));
  EXPECT_EQ(logs_of, (std::vector<std::string>{logs.first_log, logs.first_log, logs.second_log,
                                               logs.first_log, logs.second_log, logs.second_log}));
  for (const char* name : {"a", "ab", "b", "c", "d", "e"}) {
    EXPECT_TRUE(index.Has(name)) << name;
    EXPECT_EQ(index.LogOf(name),
              name[0] == 'a' || name[0] == 'c' ? logs.first_log : logs.second_log);
  }
  for (const char* name : {"", "0", "aa", "abc", "bb", "f", "A"}) {
    EXPECT_FALSE(index.Has(name)) << name;
    EXPECT_EQ(index.Find(name), nullptr) << name;
  }
  EXPECT_EQ(ReadBack(index, "a"), "a1");
  EXPECT_EQ(ReadBack(index, "ab"), "ab1");
  EXPECT_EQ(ReadBack(index, "b"), "b2");
  EXPECT_EQ(ReadBack(index, "c"), "c1");
  EXPECT_EQ(ReadBack(index, "d"), "d2");
  EXPECT_EQ(ReadBack(index, "e"), "e2");
  ASSERT_NE(index.Find("d"), nullptr);
  EXPECT_EQ(index.Find("d")->offset, logs.second_d.offset);
  EXPECT_EQ(index.Find("d")->hash, logs.second_d.hash);
  EXPECT_THROW(ReadBack(index, "f"), InputError);
}

// A damaged superseded record is never read; a damaged latest one is refused by a plain scan's
// read, left out by a verifying scan, and then the earlier intact record of that chunk stands.
TEST(ChunkIndex, VerifyLeavesDamagedRecordsOutAndKeepsAnEarlierIntactOne) {
  TwoLogs logs;
  Damage(logs.first_log, logs.first_b);
  Damage(logs.second_log, logs.second_d);
  Damage(logs.first_log, logs.first_ab);

  const ChunkIndex plain = ChunkIndex::Scan(logs.dir.str());
  EXPECT_EQ(plain.size(), 6u);
  EXPECT_EQ(ReadBack(plain, "b"), "b2");
  EXPECT_THROW(ReadBack(plain, "d"), InputError);
  EXPECT_THROW(ReadBack(plain, "ab"), InputError);

  const ChunkIndex verified = ChunkIndex::Scan(logs.dir.str(), /*verify=*/true);
  EXPECT_EQ(verified.damaged(), 3u);
  EXPECT_EQ(verified.size(), 5u);
  EXPECT_FALSE(verified.Has("ab"));
  EXPECT_EQ(ReadBack(verified, "b"), "b2");
  EXPECT_EQ(ReadBack(verified, "d"), "d1");
  EXPECT_EQ(verified.LogOf("d"), logs.first_log);
  EXPECT_EQ(ReadBack(verified, "a"), "a1");
  EXPECT_EQ(ReadBack(verified, "e"), "e2");
}

TEST(ChunkIndex, AFolderWithoutLogsIsEmpty) {
  TempDir dir("index");
  const ChunkIndex index = ChunkIndex::Scan(dir.str());
  EXPECT_TRUE(index.empty());
  EXPECT_FALSE(index.Has("a"));
}

}  // namespace
}  // namespace clipsim::sweep::detail
