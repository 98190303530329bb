// Writing an analysis: DIR/analysis/summary.md (the tables a person reads) and one CSV per table
// or figure (numbers in shortest round-trip form, "inf"/"nan" spelled out, so that a reader gets
// the exact doubles back), plus the verdict table printed by `clipsim analyze`.
//
// Files under out_dir:
//   summary.md      verdicts, per-budget tables, rates, delta dependence, paired comparisons,
//                   noise check, and how each was computed
//   budgets.csv     cell x metric x budget: seeds, diverged, mean [CI] and its status, the
//                   metric's tail index across seeds, median-of-means [CI]
//   quantiles.csv   cell x metric x budget x delta: (1 - delta) quantile [exact CI] or
//                   "not enough seeds"
//   rates.csv       cell x metric x statistic: slope [CI], R^2 [CI], theory slope, p-values,
//                   verdict (theorem metric)
//   verdicts.csv    the rates of the theorem metric only (the verdict table)
//   delta_fits.csv  cell x metric: exponent of log q in log(1/delta) and in log(log(1/delta))
//   regime.csv      theory cell x budget: each regime rule's numbers and whether it is testable
//   bounds.csv      theory cell x budget: the theorem quantity against the bound with its
//                   constants, p-values and verdicts
//   paired.csv      pairs of cells on common seeds x budget: ratio quantiles [CI], P(a < b) [CI]
//   noise_tail.csv  noise stream x estimator: tail index [CI] next to the assumed p
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "clipsim/analysis/sweep_analysis.hpp"

namespace clipsim::analysis {

// The file names above, declared once for the writer and every reader (the Python package's
// clipsim.load): kAnalysisFolder is the default out_dir, a subfolder of the sweep folder.
inline constexpr std::string_view kAnalysisFolder = "analysis";
inline constexpr std::string_view kSummaryFile = "summary.md";
inline constexpr std::string_view kBudgetsFile = "budgets.csv";
inline constexpr std::string_view kQuantilesFile = "quantiles.csv";
inline constexpr std::string_view kRatesFile = "rates.csv";
inline constexpr std::string_view kVerdictsFile = "verdicts.csv";
inline constexpr std::string_view kDeltaFitsFile = "delta_fits.csv";
inline constexpr std::string_view kRegimeFile = "regime.csv";
inline constexpr std::string_view kBoundsFile = "bounds.csv";
inline constexpr std::string_view kPairedFile = "paired.csv";
inline constexpr std::string_view kNoiseTailFile = "noise_tail.csv";
// Every CSV table, in the order WriteAnalysisReport writes them.
inline constexpr std::array<std::string_view, 9> kAnalysisTables = {
    kBudgetsFile, kQuantilesFile, kRatesFile,  kVerdictsFile, kDeltaFitsFile,
    kRegimeFile,  kBoundsFile,    kPairedFile, kNoiseTailFile};

// Writes every file above into out_dir (created when missing), each from a function of its own
// (report.cpp), summary.md last; returns the paths written, in that order.
std::vector<std::string> WriteAnalysisReport(const SweepAnalysis& analysis,
                                             const std::string& out_dir);

// The verdict table of the theorem metric as aligned plain text (what `clipsim analyze` prints).
std::string VerdictTable(const SweepAnalysis& analysis);

// "[lo, hi]" with `digits` significant digits, or the status text when there is no interval.
std::string FormatInterval(double lower, double upper, int digits = 3);

}  // namespace clipsim::analysis
