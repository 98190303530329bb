// The floor figure of a real sweep of Clip-SGD runs (claims/floor_sweeps.hpp, the runs of the
// floor claim's tests), and none for a sweep without floor cells. Moved here from
// analysis/claims_floor_test.cpp, which then linked plots (issue 18, item 5).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "../claims/floor_sweeps.hpp"
#include "clipsim/plots/sweep_plots.hpp"
#include "common/temp_files.hpp"

namespace clipsim::plots {
namespace {

using claims::testing::Deterministic;
using claims::testing::Stochastic;
using clipsim::testing::TempDir;

// The floor figure (plots/src/floor_plot.cpp) of the runs of the floor claim's tests: the cells of
// the bounds' premise (p = 2; not the p = 1.5 cell), the points against c at the most frequent
// sigma and against sigma at the most frequent c, the three curves; a sweep of other runs gets
// none.
TEST(FloorPlot, FloorFigureOfTheFloorClaimsRuns) {
  TempDir dir("floor-plot");
  const plots::PlotReport report =
      plots::WriteSweepPlots(Stochastic().results, Stochastic().analysis, dir.str(), {false});
  const auto floor =
      std::find_if(report.figures.begin(), report.figures.end(),
                   [](const FigureFiles& f) { return f.name.rfind("floor_", 0) == 0; });
  ASSERT_NE(floor, report.figures.end());
  const std::string data = clipsim::testing::ReadText(floor->data.at(0));
  const std::string script = clipsim::testing::ReadText(floor->script);
  EXPECT_NE(data.find("# two-point, the construction"), std::string::npos);
  EXPECT_NE(data.find("# gaussian, against c"), std::string::npos);
  EXPECT_NE(data.find("x lower_bound upper_bound construction_floor"), std::string::npos);
  // The construction at (sigma, c) = (1, 2) with its exact floor 1/8 nearby.
  EXPECT_NE(data.find("\n2 0.12"), std::string::npos) << data;
  EXPECT_NE(script.find("layout 1, 2"), std::string::npos);
  EXPECT_NE(script.find("against sigma, c = 1"), std::string::npos);
  const plots::PlotReport none = plots::WriteSweepPlots(
      Deterministic().results, Deterministic().analysis, dir / "none", {false});
  for (const FigureFiles& f : none.figures) EXPECT_NE(f.name.rfind("floor_", 0), 0u) << f.name;
}

}  // namespace
}  // namespace clipsim::plots
