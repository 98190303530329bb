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
// plus index.md, which lists every figure with its caption. Titles name problem, noise and
// dimension; legends sit outside the plot area.
#pragma once

#include <string>
#include <vector>

#include "clipsim/analysis/results_table.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/plots/figure.hpp"

namespace clipsim::plots {

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
