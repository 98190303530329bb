// The sweep's background committer (sim/src/sweep/file_committer.hpp): every handed-over file ends
// up whole under its name, and a failed write surfaces at Drain and stops later ones.
#include "sweep/file_committer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "common/temp_files.hpp"

namespace clipsim::sim::detail {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;

TEST(FileCommitter, PublishesEveryFileWholeAndLeavesNoTemporaries) {
  TempDir dir("committer");
  FileCommitter committer;
  // More files than the queue holds, so Commit also blocks and resumes.
  for (int i = 0; i < 200; ++i) {
    committer.Commit(dir / ("f" + std::to_string(i)), std::string(1000 + i, 'a' + i % 26));
  }
  committer.Drain();
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.str())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos);
    ++files;
  }
  EXPECT_EQ(files, 200);
  for (int i = 0; i < 200; i += 37) {
    EXPECT_EQ(ReadText(dir / ("f" + std::to_string(i))), std::string(1000 + i, 'a' + i % 26));
  }
}

TEST(FileCommitter, FilesLargerThanTheByteBoundPassOneAtATime) {
  TempDir dir("committer");
  FileCommitter committer(/*published=*/nullptr, /*max_files=*/4, /*max_bytes=*/10);
  for (int i = 0; i < 50; ++i) {
    committer.Commit(dir / ("b" + std::to_string(i)), std::string(100, 'b'));
  }
  committer.Drain();
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(ReadText(dir / ("b" + std::to_string(i))), std::string(100, 'b'));
  }
}

// The published hook (the sweep's results assembly) sees each file once it is on disk, with its
// tag and content, in the order handed over; a hook that throws fails like a write.
TEST(FileCommitter, PublishedHookSeesEachFileOnDiskInOrder) {
  TempDir dir("committer");
  std::vector<std::size_t> tags;
  bool all_on_disk = true;
  FileCommitter committer([&](std::size_t tag, std::string_view content) {
    all_on_disk = all_on_disk && ReadText(dir / ("h" + std::to_string(tag))) == content;
    tags.push_back(tag);
  });
  for (std::size_t i = 0; i < 20; ++i) {
    committer.Commit(dir / ("h" + std::to_string(i)), std::string(10 + i, 'h'), i);
  }
  committer.Drain();
  ASSERT_EQ(tags.size(), 20u);
  for (std::size_t i = 0; i < tags.size(); ++i) EXPECT_EQ(tags[i], i);
  EXPECT_TRUE(all_on_disk);

  FileCommitter failing([](std::size_t, std::string_view) { throw InputError("hook", {"x"}); });
  failing.Commit(dir / "k", "k");
  EXPECT_THROW(failing.Drain(), InputError);
}

TEST(FileCommitter, DestructorPublishesWhatIsQueued) {
  TempDir dir("committer");
  {
    FileCommitter committer;
    for (int i = 0; i < 10; ++i) committer.Commit(dir / ("g" + std::to_string(i)), "x");
  }
  for (int i = 0; i < 10; ++i) EXPECT_EQ(ReadText(dir / ("g" + std::to_string(i))), "x");
}

TEST(FileCommitter, FailedPublishSurfacesAtDrainAndStopsLaterFiles) {
  TempDir dir("committer");
  // A non-empty folder under the target name: writing the temporary works, the rename cannot.
  std::filesystem::create_directories(dir / "taken/inside");
  FileCommitter committer;
  committer.Commit(dir / "first", "1");
  committer.Commit(dir / "taken", "2");
  EXPECT_THROW(committer.Drain(), InputError);
  EXPECT_THROW(committer.Commit(dir / "after", "3"), InputError);
  EXPECT_EQ(ReadText(dir / "first"), "1");
  EXPECT_FALSE(std::filesystem::exists(dir / "after"));
  for (const auto& entry : std::filesystem::directory_iterator(dir.str())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
  }
}

TEST(FileCommitter, UnwritableFolderSurfacesAtDrain) {
  TempDir dir("committer");
  FileCommitter committer;
  committer.Commit(dir / "missing/sub/file", "x");
  EXPECT_THROW(committer.Drain(), InputError);
}

TEST(FileCommitter, NothingQueuedDrainsAtOnce) {
  FileCommitter committer;
  committer.Drain();
}

}  // namespace
}  // namespace clipsim::sim::detail
