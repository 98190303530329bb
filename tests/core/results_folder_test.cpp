// The config-text grammar of the results-folder contract (core/results_folder.hpp): the one reader
// and writer of cells.csv's `config` column and of the text every cell id hashes.
#include "clipsim/core/results_folder.hpp"

#include <gtest/gtest.h>

#include <string>

namespace clipsim::results_folder {
namespace {

TEST(ConfigText, SplitsAtSemicolonsAndTheFirstEqualsSign) {
  const std::string text =
      "batch_size=4;noise=kind=stable,alpha=1.5,scale=1;optimizer.method=sgd;"
      "problem=kind=quadratic,dim=3,instance=0";
  const ConfigEntries e = SplitConfigText(text);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0], (std::pair<std::string, std::string>{"batch_size", "4"}));
  EXPECT_EQ(e[1].first, "noise");
  EXPECT_EQ(e[1].second, "kind=stable,alpha=1.5,scale=1");
  EXPECT_EQ(e[3].second, "kind=quadratic,dim=3,instance=0");
  EXPECT_EQ(JoinConfigText(e), text);
  EXPECT_EQ(ConfigValue(text, "optimizer.method"), "sgd");
  EXPECT_EQ(ConfigValue(text, "noise"), "kind=stable,alpha=1.5,scale=1");
  // A key is matched whole: "method" is not "optimizer.method", "alpha" is inside a value.
  EXPECT_EQ(ConfigValue(text, "method"), std::nullopt);
  EXPECT_EQ(ConfigValue(text, "alpha"), std::nullopt);
}

TEST(ConfigText, JoinSortsByKeyAndEmptyIsEmpty) {
  EXPECT_EQ(JoinConfigText({{"p", "1.4"}, {"budget", "100"}, {"noise", "none"}}),
            "budget=100;noise=none;p=1.4");
  EXPECT_TRUE(SplitConfigText("").empty());
  EXPECT_EQ(JoinConfigText({}), "");
  // An entry without '=' is no entry (no writer writes one); an empty value is a value.
  const ConfigEntries e = SplitConfigText("a=;junk;b=2");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0], (std::pair<std::string, std::string>{"a", ""}));
  EXPECT_EQ(e[1], (std::pair<std::string, std::string>{"b", "2"}));
}

TEST(Columns, BookkeepingIsASubsetOfTheCheckpointColumns) {
  for (std::string_view c : kBookkeepingColumns) {
    EXPECT_TRUE(IsBookkeepingColumn(c));
    EXPECT_NE(std::find(kCheckpointColumns.begin(), kCheckpointColumns.end(), c),
              kCheckpointColumns.end())
        << c;
  }
  EXPECT_FALSE(IsBookkeepingColumn("grad_norm_at_R"));
  EXPECT_EQ(HeaderLine(kTimingsColumns), "cell,budget,seed,seconds,termination");
}

}  // namespace
}  // namespace clipsim::results_folder
