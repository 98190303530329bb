// Deciding a paper's claims from sweeps: each claim names a sweep folder, a kind of decision and
// one or more tests ("rows"); every row yields an estimate with a confidence interval and an
// outcome against a stated region, and the claim's verdict follows from its rows:
//   "not reproduced"  some row contradicts the claim (its interval lies outside the region, or the
//                     rate verdict is "slower than theory");
//   "reproduced"      every row supports it (its interval lies inside the region, or the rate
//                     verdict is "at least as fast as theory");
//   "inconclusive"    otherwise (an interval straddles a boundary, a statistic is undefined, or
//                     no cell matched).
// Contradiction wins over support, so a claim cannot be rescued by its other rows.
//
// Kinds (how a row's interval is computed; rows of one claim share a confidence by Bonferroni:
// with m rows and confidence 1 - a, each interval has level 1 - a / m):
//   rate            the existing slope verdicts of sweep_analysis.hpp (Holm over the sweep's
//                   cells, margin in slope units), for the first statistic in the preference list
//                   that carries a verdict; one row per selected cell.
//   delta_exponent  the local exponent e of the (1 - delta) quantile in 1/delta between two deltas
//                   d1 > d2 at the largest budget, q(d) ~ d^(-e): e = log(q2 / q1) / log(d1 / d2),
//                   with the conservative interval from the exact order-statistic intervals of both
//                   quantiles (each at level 1 - a / (2 m)). A power law in 1/delta has e = its
//                   exponent; a polylogarithmic growth log(1/delta)^c has e ~ c / log(1/delta).
//   paired_ratio    the median over common seeds of the ratio a / b of the metric of two cells
//                   that share their noise stream (common random numbers), with its exact
//                   order-statistic interval, at the claim's budget (default: the largest common
//                   one). With equal_time, also the ratio at equal compute time (see below).
//   slope_region    the least-squares slope of log(statistic) against log N across budgets with
//                   its bootstrap interval (rate_fit.hpp), e.g. the median: a floor is a slope
//                   near 0, convergence a clearly negative slope.
//
// Equal compute time (paired_ratio with equal_time): per cell and budget the median seconds per run
// from timings.csv and the median of the metric over seeds; both medians are interpolated linearly
// in (log seconds, log metric) at the largest time both cells reached, t = min(a's largest, b's
// largest), within both measured ranges (no extrapolation). That ratio has no interval, so its row
// supports the claim when it lies in the region and is inconclusive otherwise: timing alone can
// never make a claim "not reproduced".
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clipsim/analysis/results_table.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"

namespace clipsim::analysis {

enum class ClaimKind { kRate, kDeltaExponent, kPairedRatio, kSlopeRegion };
std::string_view ToString(ClaimKind kind);
// "rate", "delta_exponent", "paired_ratio", "slope_region"; false when unknown.
bool ClaimKindFromString(std::string_view text, ClaimKind& kind);

enum class ClaimVerdict { kReproduced, kNotReproduced, kInconclusive };
std::string_view ToString(ClaimVerdict verdict);

enum class RowOutcome { kSupports, kContradicts, kInconclusive };
std::string_view ToString(RowOutcome outcome);

// Cells whose columns (grid axes or resolved cells.csv columns) equal the given values.
struct CellSelector {
  std::vector<std::pair<std::string, std::string>> match;  // column -> value; empty: every cell
  bool Matches(const CellInfo& info) const;
  std::string Describe() const;  // "method=sgd, optimizer.accumulation=2" or "every cell"
};

// Closed region [lower, upper] of the estimate in which it supports the claim.
struct Region {
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  std::string Describe() const;  // "[0.9, 1.1]", "< 1", ">= 0.909"
};

// Outcome of an interval [lower, upper] against a region: inside -> supports, disjoint ->
// contradicts, straddling or undefined (NaN) -> inconclusive.
RowOutcome OutcomeOf(double lower, double upper, const Region& region);

struct ClaimRowSpec {
  std::string name;
  CellSelector select;   // the cells tested (paired_ratio: the numerator a)
  CellSelector against;  // paired_ratio: the denominator b (same noise stream as a)
  Region region;         // unused by rate
};

struct ClaimSpec {
  std::string id;
  std::string title;
  std::string statement;  // what the paper claims and how the rows test it (free text)
  ClaimKind kind = ClaimKind::kRate;
  std::string sweep;  // folder name under the results root
  std::string metric = "grad_norm_at_R";
  // rate: statistics in order of preference ("mean", "mom", "q(1-0.5)"); slope_region: the first.
  std::vector<std::string> statistics = {"mean", "mom"};
  double margin = 0.05;              // rate: equivalence margin in slope units (verdict.hpp)
  double delta_high = 0.01;          // delta_exponent: d1
  double delta_low = 0.001;          // delta_exponent: d2 < d1
  std::int64_t budget = 0;           // paired_ratio, delta_exponent: 0 = the largest
  bool equal_time = false;           // paired_ratio: add the equal-compute-time rows
  std::vector<ClaimRowSpec> rows;    // rate: one spec, expanded to one row per cell
  std::vector<std::string> figures;  // plot file name patterns (claims_report.hpp); empty: all
  int max_figures = 4;               // at most this many figures in the report
  std::vector<std::string> include;  // markdown files (relative to the results root) to show
};

struct ClaimsFile {
  std::string path;
  std::string title;
  double confidence = 0.95;  // familywise per claim: 1 - a
  int bootstrap = 2000;      // bootstrap replicates of the rate and slope fits
  std::uint64_t bootstrap_seed = 20260501;
  std::vector<ClaimSpec> claims;
};

struct ClaimRowResult {
  std::string name;
  std::string cells;  // the cell(s) behind the row (labels and setting)
  double estimate = std::numeric_limits<double>::quiet_NaN();
  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = std::numeric_limits<double>::quiet_NaN();
  std::string target;  // the region or the theory value it is compared with
  std::string detail;  // further numbers (seeds, p-values, timings)
  RowOutcome outcome = RowOutcome::kInconclusive;
};

struct ClaimResult {
  std::string id;
  ClaimVerdict verdict = ClaimVerdict::kInconclusive;
  std::string rule;  // how the rows were computed and decided, in words
  std::vector<ClaimRowResult> rows;
  std::vector<std::string> notes;
};

// The verdict from row outcomes as described at the top (no rows: inconclusive).
ClaimVerdict CombineOutcomes(const std::vector<ClaimRowResult>& rows);

// Median seconds per run of one (cell, budget), from a sweep's timings.csv.
struct CellTiming {
  std::string cell;
  std::int64_t budget = 0;
  double median_seconds = 0.0;
  int runs = 0;
};
// Reads DIR/timings.csv; empty when the file is missing. Throws InputError when malformed.
std::vector<CellTiming> ReadTimings(const std::string& dir);

// Decides one claim. `results` holds at least spec.metric; `analysis` is AnalyzeSweep of it
// (used by rate and slope_region); `timings` by equal_time. confidence: the file's. `steps`, when
// given, holds the `iterations` column of the same sweep: rate rows then state the number of
// steps T at the smallest and largest budget, because a slope measured where the prescribed
// batch leaves only a handful of steps is a pre-asymptotic fact, and the reader should see it.
ClaimResult DecideClaim(const ClaimSpec& spec, const SweepResults& results,
                        const SweepAnalysis& analysis, const std::vector<CellTiming>& timings,
                        double confidence, const SweepResults* steps = nullptr);

// The analysis options a claim needs: the file's bootstrap settings, the claim's margin, and for
// slope_region the Bonferroni-adjusted interval level.
AnalysisOptions ClaimAnalysisOptions(const ClaimSpec& spec, const ClaimsFile& file);

}  // namespace clipsim::analysis
