// Files that appear whole or not at all (sweep/src/atomic_file.hpp): a writer publishes the
// pieces it was given under the final name, and one destroyed unpublished leaves nothing behind.
#include "atomic_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "clipsim/core/input_error.hpp"
#include "common/temp_files.hpp"

namespace clipsim::sweep::detail {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;

int FilesIn(const std::string& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicFileWriter, PublishesThePiecesUnderTheFinalNameOnly) {
  TempDir dir("atomic");
  AtomicFileWriter file(dir / "out.csv");
  file.Write("a,b\n");
  file.StartWriteBack();
  file.Write("1,2\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "out.csv"));  // not before Publish
  file.Publish();
  EXPECT_EQ(ReadText(dir / "out.csv"), "a,b\n1,2\n");
  EXPECT_EQ(FilesIn(dir.str()), 1);
}

TEST(AtomicFileWriter, DestroyedUnpublishedLeavesNothing) {
  TempDir dir("atomic");
  {
    AtomicFileWriter file(dir / "out.csv");
    file.Write("half of it");
    EXPECT_TRUE(std::filesystem::exists(file.temporary_path()));
  }
  EXPECT_EQ(FilesIn(dir.str()), 0);
}

TEST(AtomicFileWriter, AMissingFolderIsNamed) {
  TempDir dir("atomic");
  try {
    AtomicFileWriter file(dir / "no/such/out.csv");
    FAIL() << "created a file in a missing folder";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(dir / "no/such/out.csv"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace clipsim::sweep::detail
