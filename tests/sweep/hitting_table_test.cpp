// hitting.csv (core/hitting_table.hpp): a sweep whose runs stop at a gradient norm writes the
// stopping level and the (L0, L1) and level-set facts of every cell's start; any other sweep
// writes none (its folder is as before).
#include "clipsim/core/hitting_table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "clipsim/sweep/config.hpp"
#include "clipsim/sweep/engine.hpp"
#include "common/temp_files.hpp"

namespace clipsim::sweep {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;
using clipsim::testing::WriteText;

TEST(HittingTable, WrittenOnlyForSweepsThatStop) {
  TempDir dir("hitting");
  const std::string base = R"(seeds: 1
budgets: [5000]
problem: {kind: exp_type, dim: 1}
start_scale: [1, 2]
optimizer: {method: clip_sgd, clip_threshold: 1}
schedule: {kind: constant, eta0: 0.1}
)";
  SweepOptions o;
  o.threads = 1;
  o.progress = false;
  o.out_dir = dir / "stop";
  ASSERT_TRUE(
      RunSweep(LoadSweepConfig(WriteText(dir / "a.yaml", base + "stop_at_grad_norm: 0.01\n")), o)
          .complete);
  const std::string table = ReadText(dir / "stop/hitting.csv");
  std::vector<std::vector<std::string>> rows;
  std::stringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::stringstream cells(line);
    for (std::string f; std::getline(cells, f, ',');) fields.push_back(f);
    rows.push_back(fields);
  }
  ASSERT_EQ(rows.size(), 3u);  // header, two cells
  ASSERT_EQ(rows[0].size(), hitting_table::kColumns.size());
  for (std::size_t k = 0; k < rows[0].size(); ++k)
    EXPECT_EQ(rows[0][k], hitting_table::kColumns[k]);
  // exp_type in dimension 1 from x0 = 3 c: (L0, L1) = (1, 1), M = sinh(3 c).
  for (std::size_t r = 1; r < 3; ++r) {
    EXPECT_EQ(rows[r][1], "5000");
    EXPECT_EQ(rows[r][2], "0.01");
    EXPECT_EQ(rows[r][3], "1");
    EXPECT_EQ(rows[r][4], "1");
    const double m = std::stod(rows[r][5]);
    const double expected = std::sinh(3.0 * static_cast<double>(r));
    EXPECT_NEAR(m, expected, 1e-12 * expected) << r;
  }
  EXPECT_NE(ReadText(dir / "stop/timings.csv").find("reached"), std::string::npos);
  o.out_dir = dir / "free";
  ASSERT_TRUE(RunSweep(LoadSweepConfig(WriteText(dir / "b.yaml", base)), o).complete);
  EXPECT_FALSE(std::filesystem::exists(dir / "free/hitting.csv"));
}

}  // namespace
}  // namespace clipsim::sweep
