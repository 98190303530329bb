// The analysis of a sweep: for every cell, metric and budget the summaries over seeds, the rate
// fits across budgets with the theory's slope and a verdict, the dependence on delta at the largest
// budget, paired comparisons of methods on common seeds, and the noise tail check.
//
// Per (cell, metric, budget), on the final value of every seed (diverged runs = +infinity):
//   - fraction diverged (never dropped);
//   - the (1 - delta) quantiles with exact order-statistic intervals (stats/quantile_ci.hpp),
//     "not enough seeds" where the seed count cannot support delta;
//   - the mean with a percentile-bootstrap interval, and the metric's own tail index across seeds
//     (Hill with k = floor(sqrt(n)) and its exact-under-Pareto interval, stats/tail_index.hpp): the
//     mean's interval is "unreliable" when that interval reaches below 2 - in particular whenever
//     the estimate is below 2 - because the bootstrap of a mean fails under infinite variance
//     (Athreya 1987) and finite variance has then not been shown; "infinite" when a run diverged;
//   - the median-of-means with its exact block interval (stats/median_of_means.hpp).
// Per (cell, metric): least-squares slopes of log(statistic) against log(N) for the mean, the
// median-of-means and every quantile supported at all budgets, with bootstrap-over-seeds intervals
// for the slope and R^2 (stats/rate_fit.hpp). For the theorem metric, every slope with a theory
// value is tested against it (verdict.hpp), Holm-corrected across the cells of the sweep, one
// family per statistic. The mean's slope is tested only where its interval is reliable at every
// budget. At the largest budget: log(quantile) against log(1/delta) and against log(log(1/delta)).
//
// Deterministic: each (cell, metric) bootstraps with its own generator keyed by (bootstrap_seed,
// cell id, metric name), so the output is bit-identical for any thread count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clipsim/analysis/bound_check.hpp"
#include "clipsim/analysis/regime.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/analysis/verdict.hpp"
#include "clipsim/stats/bootstrap.hpp"
#include "clipsim/stats/median_of_means.hpp"
#include "clipsim/stats/quantile_ci.hpp"
#include "clipsim/stats/rate_fit.hpp"
#include "clipsim/stats/statistic.hpp"

namespace clipsim::analysis {

struct AnalysisOptions {
  // The (1 - delta) quantiles to report, each in (0, 1).
  std::vector<double> deltas = {0.5, 0.1, 0.05, 0.01, 0.001};
  // Coverage of every interval (quantiles, bootstrap, median-of-means, tail indices).
  double confidence = 0.95;
  // Familywise confidence and equivalence margin of the verdicts (verdict.hpp); the bound checks
  // (bound_check.hpp) use the same familywise confidence.
  VerdictOptions verdict;
  // Where a theorem is testable (regime.hpp): rate verdicts and bound checks use only the
  // testable budgets of a theory cell.
  RegimeRules regime;
  // Bootstrap replicates B (>= 100) and the fixed seed that makes them reproducible.
  int bootstrap_resamples = 2000;
  std::uint64_t bootstrap_seed = 20260501;
  // Median-of-means blocks: ceil(8 log(1 / mom_failure)) (37 for 0.01), at most the seed count.
  double mom_failure = 0.01;
  // The theorem quantity: rate verdicts and paired comparisons use it. The default is the path
  // average (1/T) sum_t ||grad f(x_t)||, which is E[||grad f(x_R)|| | path] for R uniform on
  // {0, ..., T-1}: the same expectation as one draw `grad_norm_at_R`, without the variance of R
  // (which puts an atom of mass 1/T on ||grad f(x_0)||).
  std::string theorem_metric = "mean_grad_norm";
  // The high-probability verdicts rest on the quantiles of this metric, not of theorem_metric:
  // R is 0 with probability 1/T, so a (1 - delta) quantile of ||grad f(x_R)|| with delta < 1/T is
  // ||grad f(x_0)|| at every budget where the theory schedule makes T small (large batches). The
  // path average (1/T) sum_t ||grad f(x_t)|| has the same expectation, and it is what
  // high-probability bounds control (analysis/THEORY.md, Part II, sections 3-4).
  std::string hp_metric = "mean_grad_norm";
  // Worker threads over (cell, metric); 0: every core. Does not change any output.
  int threads = 0;

  // Empty when valid; otherwise "field is value, but must ...".
  std::string Validate() const;
};

// Tail index of a sample (the metric across seeds, or the noise norms).
struct TailEstimate {
  std::string method;  // "hill", ...
  double estimate = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  int k = 0;        // upper order statistics used
  bool ok = false;  // false when the sample is too small (estimate etc. are NaN)
  std::string note;
};

enum class MeanStatus {
  kBounded,     // the metric lies in a known bounded range (a gradient norm of a problem with a
                // finite G = sup ||grad f||): finite variance by construction
  kReliable,    // the tail index interval across seeds lies above 2 (finite variance shown)
  kUnreliable,  // it reaches below 2: the bootstrap interval of the mean is not supported
  kInfinite,    // a run diverged: the mean is +infinity
  kUnchecked,   // too few finite draws to estimate a tail index
};
std::string_view ToString(MeanStatus status);

struct BudgetSummary {
  std::int64_t budget = 0;
  int n = 0;
  int diverged = 0;
  double diverged_fraction = 0.0;
  double mean = 0.0;
  stats::PercentileInterval mean_ci;
  MeanStatus mean_status = MeanStatus::kUnchecked;
  TailEstimate tail;  // of the metric across seeds (finite, positive values)
  stats::MedianOfMeans mom;
  std::vector<stats::QuantileEstimate> quantiles;  // one per AnalysisOptions::deltas
};

struct RateResult {
  stats::Statistic statistic;
  stats::LogLineFit fit;  // over every budget (descriptive)
  // The fit the verdict is decided on: over the testable budgets of a theory cell (regime.hpp),
  // over every budget otherwise. test_budgets lists them.
  stats::LogLineFit test_fit;
  std::vector<std::int64_t> test_budgets;
  std::optional<double> theory_slope;  // from the theory registry, when it has one
  std::string theory_note;             // source or why there is none
  SlopeTest test;                      // meaningful when verdict is not kNoTheory / kNoFit
  Verdict verdict = Verdict::kNoFit;
  std::string note;  // why no verdict (unreliable mean, no fit, ...)
};

struct DeltaFit {
  std::string transform;  // "log(1/delta)" or "log(log(1/delta))"
  std::int64_t budget = 0;
  std::vector<double> deltas;  // the deltas used (supported, finite quantiles)
  stats::LogLineFit fit;
};

struct MetricAnalysis {
  std::string metric;
  std::vector<BudgetSummary> budgets;  // ascending budget
  std::vector<RateResult> rates;       // mean, mom, then quantiles in deltas order
  DeltaFit delta_power;                // log q against log(1/delta)
  DeltaFit delta_polylog;              // log q against log(log(1/delta))
};

struct CellAnalysis {
  CellInfo info;
  std::string label;     // the method: optimizer columns, or the resolved method
  std::string setting;   // everything else (problem, noise, p, ...): cells compared in one figure
  CellRegime regime;     // where the theorem of its registry entry is testable
  CellBoundCheck bound;  // the theorem quantity against the bound (bound_check.hpp)
  std::vector<MetricAnalysis> metrics;  // SweepResults::metrics order
  const MetricAnalysis* Find(const std::string& metric) const;
};

// Per-seed ratios a/b of the theorem quantity of two cells that share their noise (they differ only
// in optimizer parameters), at one budget, over their common seeds.
struct PairedComparison {
  std::string setting;
  std::string cell_a, cell_b;
  std::string label_a, label_b;
  std::int64_t budget = 0;
  int n = 0;                             // common seeds
  int both_diverged = 0;                 // ratio taken as 1 (a tie)
  stats::QuantileEstimate median_ratio;  // exact interval for the median of a/b
  stats::QuantileEstimate q10_ratio;     // and for its 0.1 and 0.9 quantiles
  stats::QuantileEstimate q90_ratio;
  int a_better = 0;  // seeds with a < b
  int b_better = 0;  // seeds with a > b
  // P(a < b | not a tie) with its Clopper-Pearson interval.
  double p_a_better = 0.0;
  double p_a_better_lower = 0.0;
  double p_a_better_upper = 0.0;
  std::vector<double> ratios;  // per common seed, ascending seed (for the comparison plot)
};

// Tail index of the saved noise norms next to the moment order p the runs assumed.
struct NoiseCheck {
  std::string noise_stream;
  std::string noise;
  std::string dim;
  int count = 0;
  std::vector<TailEstimate> estimates;  // Hill, then the second estimator
  std::vector<std::string> assumed_p;   // distinct p of the cells drawing from this noise
  std::string assessment;               // one line per assumed p
};

struct SweepAnalysis {
  AnalysisOptions options;
  std::string dir;
  std::string manifest_summary;
  std::vector<std::string> param_columns;
  std::vector<std::string> metrics;
  std::vector<CellAnalysis> cells;
  std::vector<PairedComparison> paired;
  std::vector<NoiseCheck> noise;
};

// Throws InputError when options are invalid (naming the option).
SweepAnalysis AnalyzeSweep(const SweepResults& results, const AnalysisOptions& options);

}  // namespace clipsim::analysis
