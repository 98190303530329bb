// Whole-file reads for user-facing commands (core/file_text.hpp): the bytes as they are, appended
// in place, and a missing file or a folder refused with its path and what it was meant to be.
#include "clipsim/core/file_text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "clipsim/core/input_error.hpp"
#include "common/temp_files.hpp"

namespace clipsim {
namespace {

using clipsim::testing::TempDir;
using clipsim::testing::WriteText;

TEST(FileText, ReadsAndAppendsTheBytesAsTheyAre) {
  TempDir dir("file_text");
  const std::string text = std::string("a,b\r\n\0tail", 10);
  const std::string path = WriteText(dir / "f.csv", text);
  EXPECT_EQ(ReadFileText(path), text);
  std::string out = "head:";
  AppendFileText(path, out);
  EXPECT_EQ(out, "head:" + text);
  EXPECT_EQ(ReadFileText(WriteText(dir / "empty", "")), "");
}

TEST(FileText, AMissingFileOrAFolderIsNamedWithWhatItShouldBe) {
  TempDir dir("file_text");
  std::string out = "kept";
  try {
    AppendFileText(dir / "nope.yaml", out, "sweep file");
    FAIL() << "read a missing file";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(dir / "nope.yaml"), std::string::npos) << msg;
    EXPECT_NE(msg.find("sweep file"), std::string::npos) << msg;
  }
  EXPECT_EQ(out, "kept");
  EXPECT_THROW(ReadFileText(dir.str(), "claims file"), InputError);
}

}  // namespace
}  // namespace clipsim
