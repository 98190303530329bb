// The hitting-time figures (plots/src/hitting_plot.cpp) on a real small sweep whose runs stop at
// ||grad f|| <= eps: one figure per problem family with at least two values of M, the best count
// per method and M, Theorem 3's bound only where clipped GD runs Theorem 3's step and threshold,
// and no figure against the budget for such a sweep.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/plots/sweep_plots.hpp"
#include "clipsim/sweep/config.hpp"
#include "clipsim/sweep/engine.hpp"
#include "common/temp_files.hpp"
#include "figures.hpp"

namespace clipsim::plots {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;
using clipsim::testing::WriteText;

TEST(HittingPlot, OneFigurePerFamilyWithTheBestCountsAndTheBound) {
  TempDir dir("hitting-plot");
  // wall_plateau at three M (clipped GD at Theorem 3's step 0.1 and threshold 1, GD at two
  // steps) and exp_type at one start (a family of one M: no figure).
  const std::string cfg = WriteText(dir / "s.yaml", R"(seeds: 1
budgets: [200000]
stop_at_grad_norm: 0.01
problem: [{kind: wall_plateau, dim: 2, level_set_gradient: 30},
          {kind: wall_plateau, dim: 2, level_set_gradient: 100},
          {kind: wall_plateau, dim: 2, level_set_gradient: 300},
          {kind: exp_type, dim: 1}]
optimizer: [{method: clip_sgd, clip_threshold: 1}, {method: sgd}, {method: sgd}]
schedule: {kind: constant, eta0: [0.1, 0.1, 0.05]}
zip: [[optimizer, schedule.eta0]]
)");
  sweep::SweepOptions o;
  o.out_dir = dir / "out";
  o.threads = 1;
  o.progress = false;
  ASSERT_TRUE(sweep::RunSweep(sweep::LoadSweepConfig(cfg), o).complete);
  const std::vector<Figure> figures = detail::HittingPlots(dir / "out");
  ASSERT_EQ(figures.size(), 1u);
  const Figure& f = figures[0];
  EXPECT_NE(f.name.find("hitting_01_wall_plateau"), std::string::npos) << f.name;
  ASSERT_EQ(f.data.size(), 1u);
  std::stringstream lines(f.data[0].second);
  std::vector<std::vector<double>> rows;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream fields(line);
    std::vector<double> row;
    for (std::string v; fields >> v;) row.push_back(v == "nan" ? -1.0 : std::stod(v));
    rows.push_back(row);
  }
  ASSERT_EQ(rows.size(), 3u);  // M = 30, 100, 300 in order
  const double ms[] = {30, 100, 300};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 4u);  // M, bound, clip_sgd, sgd
    EXPECT_NEAR(rows[i][0], ms[i], 1e-9 * ms[i]);
    EXPECT_GT(rows[i][1], rows[i][2]) << "the bound is above clipped GD's count";
    EXPECT_GT(rows[i][2], 5000) << "clipped GD crosses the plateau in ~5000 iterations";
  }
  // At M = 300 the steps 0.1 and 0.05 are above the wall's limit 2 x0 / M ~ 0.043: GD never
  // reaches eps there, a gap (nan) rather than a count.
  EXPECT_EQ(rows[2][3], -1.0);
  EXPECT_GT(rows[0][3], 0.0);
  // The sweep's figures: the hitting figure only, none against the budget.
  const analysis::SweepResults results = analysis::ReadSweepDir(dir / "out");
  analysis::AnalysisOptions a;
  a.bootstrap_resamples = 100;
  PlotOptions p;
  p.render = false;
  const PlotReport report =
      WriteSweepPlots(results, analysis::AnalyzeSweep(results, a), dir / "plots", p);
  ASSERT_EQ(report.figures.size(), 1u);
  EXPECT_EQ(report.figures[0].name, f.name);
}

}  // namespace
}  // namespace clipsim::plots
