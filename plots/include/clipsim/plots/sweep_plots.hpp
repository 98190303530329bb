// The figures of a sweep analysis, written under DIR/plots/ as data + gnuplot script + PNG + PDF:
//   rate_NN_*        per setting (problem, noise, other non-optimizer axes): log-log theorem
//                    quantity against N for each method, median-of-means with its interval band,
//                    the (1 - delta) quantiles dashed, the fitted slope in the legend and the
//                    theory slope as a reference line through the first point
//   delta_NN_*       per setting: (1 - delta) quantile against 1/delta at the largest N, log-log,
//                    one line per method with exact intervals, exponents in the legend
//   noise_tail_NN_*  per noise stream: empirical complementary CDF of ||xi|| with the Hill fit
//   compare_NN_*     per setting with paired cells: median per-seed ratio a/b against N with its
//                    exact interval and the 10%-90% band of the seeds' ratios
//   bound_NN_*       per setting with a theory cell (regime.applicable, analysis/regime.hpp): the
//                    bound check (analysis/bound_check.hpp) in two panels over N, log-log. Top:
//                    per theory cell E||grad f(x_R)|| (mean over seeds of mean_grad_norm) with its
//                    shown one-sided interval [mean.lower, mean.upper], each distinct bound of the
//                    registry entries once ("ps_clip_sgd bound (THEORY.md)"), ||grad f(x0)|| as a
//                    horizontal reference. Bottom: measured / bound with [lower, upper] / bound
//                    and the line 1. Testable budgets filled, the others open; controls and
//                    variants named so in the legend. NAME.dat: one block per cell (N bound mean
//                    mean_lower mean_upper ratio ratio_lower ratio_upper testable seeds
//                    start_grad_norm), then one per distinct bound (N bound)
//   sensitivity_NN_* per group of theory cells (not controls) of one entry that agree on every grid
//                    column but schedule.batch_factor, schedule.clip_factor, p and problem.dim,
//                    when at least one of those varies: one panel per varied column, measured /
//                    bound at each cell's largest budget with its interval against the column's
//                    value (log x but for p), over the cells whose other varied columns sit at
//                    their centre: the most frequent value of the column among the group's cells,
//                    the first met in cell order among equally frequent ones (an unset factor
//                    counts as 1). The prescription (factor 1; the centre for p and dim) is
//                    marked. NAME.dat: one block per varied column (value N ratio ratio_lower
//                    ratio_upper testable mean mean_lower mean_upper bound seeds cell)
//   ode_NN_*         per setting of streaming_least_squares cells (every grid column but
//                    problem.dim; analysis/ode_agreement.hpp): the risk (value_gap) against
//                    samples per dimension, log-log, one colour per dimension: the mean over
//                    seeds (points) with the 10%-90% band and the risk ODE's prediction (line).
//                    NAME.dat: one block per dimension (k/d mean q10 q90 ode)
// plus index.md, which lists every figure with its caption. Titles name problem, noise and
// dimension; legends sit outside the plot area.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/plots/figure.hpp"

namespace clipsim::plots {

// The default out_dir of WriteSweepPlots: this subfolder of the sweep folder.
inline constexpr std::string_view kPlotsFolder = "plots";

struct PlotOptions {
  bool render = true;  // false: data and scripts only
};

struct PlotReport {
  std::vector<FigureFiles> figures;
  std::string index;  // path of index.md
  std::string note;   // gnuplot status ("gnuplot 5.4 ..., pngcairo + pdfcairo" or why none)
};

PlotReport WriteSweepPlots(const analysis::SweepResults& results,
                           const analysis::SweepAnalysis& analysis, const std::string& out_dir,
                           const PlotOptions& options = {});

}  // namespace clipsim::plots
