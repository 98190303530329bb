// The figure builders behind WriteSweepPlots, one per kind of figure. Each returns the Figure
// (data + gnuplot body) for one group of cells; none renders anything itself.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "clipsim/analysis/ode_agreement.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/plots/figure.hpp"

namespace clipsim::plots::detail {

using CellGroup = std::vector<const analysis::CellAnalysis*>;

// Risk ODE against simulation for one setting of streaming_least_squares runs: per dimension the
// mean over seeds with its 10%-90% band and the ODE's prediction, against samples per dimension.
Figure OdePlot(const std::string& name, const std::vector<const analysis::OdeCurve*>& curves);
// Theorem quantity against N per method: MoM with band, quantiles dashed, theory reference.
Figure RatePlot(const std::string& name, const CellGroup& cells,
                const analysis::SweepAnalysis& analysis);
// (1 - delta) quantile against 1/delta at the largest N, per method.
Figure DeltaPlot(const std::string& name, const CellGroup& cells,
                 const analysis::SweepAnalysis& analysis);
// Empirical CCDF of the noise norms with the fitted tail.
Figure NoiseTailPlot(const std::string& name, const analysis::NoiseNorms& norms,
                     const analysis::NoiseCheck& check);
// Median paired ratio against N per pair of cells, with intervals and the 10%-90% band.
Figure ComparisonPlot(const std::string& name, const std::string& title,
                      const std::vector<const analysis::PairedComparison*>& pairs,
                      const analysis::SweepAnalysis& analysis);

// The bound check of one setting, two panels over N: on top, per theory cell (regime.applicable)
// E||grad f(x_R)|| with its shown one-sided interval (bound_check.hpp) and each distinct bound of
// the entries once, with ||grad f(x0)||; below, measured / bound with its interval and the line 1.
// Testable budgets filled, the others open. Requires HasTheoryCell(cells).
Figure BoundPlot(const std::string& name, const CellGroup& cells,
                 const analysis::SweepAnalysis& analysis);
inline bool HasTheoryCell(const CellGroup& cells) {
  for (const analysis::CellAnalysis* c : cells) {
    if (c->regime.applicable && !c->bound.budgets.empty()) return true;
  }
  return false;
}

// The columns a sensitivity figure varies, as the grid names them.
inline constexpr const char* kSensitivityColumns[] = {"schedule.batch_factor",
                                                      "schedule.clip_factor", "p", "problem.dim"};

struct SensitivityAxis {
  std::string column;   // one of kSensitivityColumns
  double centre = 0.0;  // its most frequent value among the group's cells
  bool log_x = true;    // false for p
};

// Theory cells (regime.applicable, not controls) of one entry and method that agree on every grid
// column but kSensitivityColumns, with at least one of those varying.
struct SensitivityGroup {
  std::string entry;
  CellGroup cells;
  std::vector<SensitivityAxis> axes;        // the varied columns, in kSensitivityColumns order
  std::vector<std::vector<double>> values;  // values[c][k]: cell c's value of axes[k] (NaN: none)
};

// Every group with a varied column, in order of first appearance. A cell's value of a column is
// its grid value; an unset factor is 1 (the prescription), an unset p or dim the resolved one. The
// centre of a column is its most frequent value among the group's cells, the first met in cell
// order among equally frequent ones.
std::vector<SensitivityGroup> SensitivityGroups(const analysis::SweepAnalysis& analysis);
// One panel per varied column: measured / bound at each cell's largest budget against the value,
// over the cells whose other varied columns are at their centre; the prescription marked.
Figure SensitivityPlot(const std::string& name, const SensitivityGroup& group,
                       const analysis::SweepAnalysis& analysis);

// One cell of the floor figure (analysis/clip_floor.hpp): Clip-SGD with batch 1 at a fixed
// threshold c on a problem of dimension 1, with p = 2 (sigma = sigma(2) finite): the premise of
// the floor's bounds. The mean of grad_norm over seeds at the largest budget, its interval, and its
// ratio to the budget before.
struct FloorPoint {
  const analysis::CellAnalysis* cell = nullptr;
  double c = 0.0;
  double sigma = 0.0;
  double atom = 0.0;   // the two-point law's atom, NaN for other laws
  std::string family;  // the noise kind
  std::int64_t budget = 0;
  double mean = 0.0, lower = 0.0, upper = 0.0;
  // The mean at the largest budget / the mean at the one before (NaN with one budget).
  double ratio = std::numeric_limits<double>::quiet_NaN();
};
// The sweep's floor cells; empty unless there are at least two.
std::vector<FloorPoint> FloorPoints(const analysis::SweepResults& results,
                                    const analysis::SweepAnalysis& analysis);
// Two panels: the floor against c at the most frequent sigma, and against sigma at the most
// frequent c, each with the lower bound, the upper bound and the construction's exact floor.
Figure FloorPlot(const std::string& name, const std::vector<FloorPoint>& points);
// Iterations to eps against M for a sweep with hitting.csv (hitting_time.hpp), one figure per
// problem family with at least two values of M; none when the folder has no hitting.csv. Reads
// the folder again for the final iterations and ||grad f||.
std::vector<Figure> HittingPlots(const std::string& dir);

}  // namespace clipsim::plots::detail
