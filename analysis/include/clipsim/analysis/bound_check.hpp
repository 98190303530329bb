// The bound with its constants, checked: at every testable budget of a theory cell (regime.hpp),
// the theorem's quantity against the entry's in-expectation bound at its prescription.
//
// The bound (analysis/THEORY.md, "Which bound each entry is checked against") is on
// sqrt((1/T) sum_{t<T} E||grad f(x_t)||^2), which is at least E||grad f(x_R)|| for R uniform on
// {0, ..., T-1}. Two quantities of the run's final checkpoint estimate these without the variance
// of drawing R:
//   mean_grad_norm     (1/T) sum_t ||grad f(x_t)|| = E[||grad f(x_R)|| | path], whose mean over
//                      seeds estimates E||grad f(x_R)||; it lies in [0, G];
//   mean_sq_grad_norm  (1/T) sum_t ||grad f(x_t)||^2, whose mean estimates the square of what the
//                      bound bounds; it lies in [0, G^2].
// With G = sup ||grad f|| finite, the empirical Bernstein / Hoeffding bounds of
// stats/confidence_bounds.hpp are valid for both means at every seed count. Per testable (cell,
// budget) four one-sided hypotheses are tested:
//   below(m):  E mean_grad_norm >= bound     rejected: E||grad f(x_R)|| is below the bound
//   below(s):  E mean_sq_grad_norm >= bound^2 rejected: the bounded quantity is below the bound
//   above(m):  E mean_grad_norm <= bound     rejected: the bound is violated
//   above(s):  E mean_sq_grad_norm <= bound^2 rejected: the bound is violated
// with the p-values of BernsteinHoeffding{Below,Above}PValue, and Holm's step-down procedure over
// every hypothesis of the family (all cells and testable budgets of an `analyze` run, or of one
// claim), at familywise level a = 1 - confidence. A budget "holds" when below(m) is rejected:
// E||grad f(x_R)|| is below the bound, the quantity of the in-expectation theorem; it is
// "violated" when either above-hypothesis is rejected. below(s) is reported (sq_holds) and does
// not decide: its range G^2 makes its confidence radius, dominated by the 7 log(2/a) / (3 (n-1))
// term of Maurer & Pontil, far wider than bound^2 once the bound is small, so that requiring it
// would only measure the seed count. A cell's bound **holds** when it holds at every
// testable budget, is **violated** when it is violated at some testable budget, is inconclusive
// otherwise, and is **not testable** without a testable budget or without a finite G. The intervals
// shown are the one-sided bounds at level a / m, m the family's size (Bonferroni, the first Holm
// step: wherever a shown interval clears the bound, Holm rejects too).
//
// A diverged run counts at the top of the range (G, G^2): the least favourable value for "holds".
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clipsim/analysis/regime.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/stats/confidence_bounds.hpp"

namespace clipsim::analysis {

enum class BoundVerdict { kHolds, kViolated, kInconclusive, kNotTestable };
std::string_view ToString(BoundVerdict verdict);

struct BudgetBoundCheck {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::int64_t budget = 0;
  bool testable = false;
  double bound = kNaN;
  int seeds = 0;
  int diverged = 0;
  stats::MeanConfidence mean;     // of mean_grad_norm: E||grad f(x_R)||
  stats::MeanConfidence mean_sq;  // of mean_sq_grad_norm
  double ratio = kNaN;            // mean / bound
  double rms_ratio = kNaN;        // sqrt(mean_sq) / bound
  // Raw p-values (below: the quantity is below the bound; above: it is above).
  double p_below = 1.0, p_below_sq = 1.0, p_above = 1.0, p_above_sq = 1.0;
  // Holm-adjusted, set by DecideBoundFamily.
  double holm_below = 1.0, holm_below_sq = 1.0, holm_above = 1.0, holm_above_sq = 1.0;
  BoundVerdict verdict = BoundVerdict::kNotTestable;
  bool sq_holds = false;  // below(s) rejected: the root-mean-square form is certified too
  // The draws the intervals are computed from, clamped to [0, G] and [0, G^2].
  double gradient_bound = kNaN;
  std::vector<double> draws, draws_sq;
};

struct CellBoundCheck {
  std::string cell;
  BoundVerdict verdict = BoundVerdict::kNotTestable;
  std::string note;                       // why not testable, or which budget decided
  std::vector<BudgetBoundCheck> budgets;  // every budget of the cell, ascending
  // The largest mean / bound over testable budgets.
  double worst_ratio = std::numeric_limits<double>::quiet_NaN();
  // The level of the one-sided bounds shown (a / m over the family it was decided in).
  double shown_alpha = std::numeric_limits<double>::quiet_NaN();
  std::size_t family_size = 0;  // m: hypotheses of that family
};

// Per-budget estimates and raw p-values of one cell. `mean_metric` / `sq_metric` index the
// finals of mean_grad_norm and mean_sq_grad_norm in `cell`. Verdicts are set by
// DecideBoundFamily.
CellBoundCheck CheckCellBound(const CellResults& cell, const CellRegime& regime,
                              std::size_t mean_metric, std::size_t sq_metric);

// Holm over every hypothesis of the testable budgets of the given cells at familywise level
// 1 - confidence; sets the adjusted p-values, the shown intervals (level a / m) and the verdicts.
void DecideBoundFamily(std::span<CellBoundCheck* const> family, double confidence);

// The two halves of DecideBoundFamily, for a caller whose Holm family holds other hypotheses too
// (a claim: bound and slope hypotheses in one family). Collect appends the raw p-values of the
// cell's testable budgets and where each adjusted value goes; once those are set, SetBoundVerdicts
// decides at 1 - confidence and shows intervals at level a / family_size.
void CollectBoundHypotheses(CellBoundCheck& cell, std::vector<double>& raw,
                            std::vector<double*>& adjusted);
void SetBoundVerdicts(std::span<CellBoundCheck* const> family, double confidence,
                      std::size_t family_size);

}  // namespace clipsim::analysis
