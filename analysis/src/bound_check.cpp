#include "clipsim/analysis/bound_check.hpp"

#include <algorithm>
#include <cmath>

#include "clipsim/analysis/format.hpp"
#include "clipsim/analysis/verdict.hpp"

namespace clipsim::analysis {
namespace {

// Clamps draws into [0, hi] (rounding can put a value a hair above a proven supremum); a
// diverged run (+inf or NaN) counts at the top of the range.
std::vector<double> Clamped(const std::vector<double>& values, double hi, int* diverged) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double x : values) {
    if (!std::isfinite(x)) {
      ++*diverged;
      out.push_back(hi);
    } else {
      out.push_back(std::clamp(x, 0.0, hi));
    }
  }
  return out;
}

}  // namespace

std::string_view ToString(BoundVerdict verdict) {
  switch (verdict) {
    case BoundVerdict::kHolds:
      return "bound holds";
    case BoundVerdict::kViolated:
      return "bound violated";
    case BoundVerdict::kInconclusive:
      return "inconclusive";
    case BoundVerdict::kNotTestable:
      return "not testable";
  }
  return "?";
}

CellBoundCheck CheckCellBound(const CellResults& cell, const CellRegime& regime,
                              std::size_t mean_metric, std::size_t sq_metric) {
  CellBoundCheck out;
  out.cell = cell.info.id;
  if (!regime.applicable) {
    out.note = regime.why_not;
    return out;
  }
  for (std::size_t j = 0; j < cell.budgets.size() && j < regime.budgets.size(); ++j) {
    const BudgetRuns& runs = cell.budgets[j];
    const BudgetRegime& g = regime.budgets[j];
    BudgetBoundCheck b;
    b.budget = runs.budget;
    b.testable = g.testable;
    b.bound = g.bound;
    b.seeds = static_cast<int>(runs.seeds.size());
    const double G = runs.has_resolved ? runs.resolved.gradient_bound : regime.gradient_bound;
    b.gradient_bound = G;
    if (std::isfinite(G) && G > 0.0 && std::isfinite(b.bound) && b.seeds >= 2) {
      int diverged_sq = 0;
      b.draws = Clamped(runs.finals[mean_metric], G, &b.diverged);
      b.draws_sq = Clamped(runs.finals[sq_metric], G * G, &diverged_sq);
      b.diverged = std::max(b.diverged, diverged_sq);
      b.p_below = stats::BernsteinHoeffdingBelowPValue(b.draws, 0.0, G, b.bound);
      b.p_above = stats::BernsteinHoeffdingAbovePValue(b.draws, 0.0, G, b.bound);
      b.p_below_sq =
          stats::BernsteinHoeffdingBelowPValue(b.draws_sq, 0.0, G * G, b.bound * b.bound);
      b.p_above_sq =
          stats::BernsteinHoeffdingAbovePValue(b.draws_sq, 0.0, G * G, b.bound * b.bound);
      // Shown at the family's level later; the point estimates now.
      b.mean = stats::BernsteinHoeffdingMean(b.draws, 0.0, G, 0.05);
      b.mean_sq = stats::BernsteinHoeffdingMean(b.draws_sq, 0.0, G * G, 0.05);
      b.ratio = b.mean.mean / b.bound;
      b.rms_ratio = std::sqrt(b.mean_sq.mean) / b.bound;
    } else if (b.testable) {
      // Testable by the regime, but no valid confidence bound: the verdict cannot be reached.
      b.testable = false;
    }
    out.budgets.push_back(std::move(b));
  }
  if (!std::isfinite(regime.gradient_bound)) {
    out.note = "no finite gradient bound G: the confidence bounds of a mean need a bounded range";
  } else if (regime.TestableIndices().empty()) {
    out.note = "no testable budget: " + regime.FailedSummary();
  }
  return out;
}

void CollectBoundHypotheses(CellBoundCheck& cell, std::vector<double>& raw,
                            std::vector<double*>& adjusted) {
  for (BudgetBoundCheck& b : cell.budgets) {
    if (!b.testable) continue;
    for (auto [p, holm] :
         {std::pair{&b.p_below, &b.holm_below}, std::pair{&b.p_below_sq, &b.holm_below_sq},
          std::pair{&b.p_above, &b.holm_above}, std::pair{&b.p_above_sq, &b.holm_above_sq}}) {
      raw.push_back(*p);
      adjusted.push_back(holm);
    }
  }
}

void DecideBoundFamily(std::span<CellBoundCheck* const> family, double confidence) {
  std::vector<double*> adjusted;
  std::vector<double> raw;
  for (CellBoundCheck* cell : family) CollectBoundHypotheses(*cell, raw, adjusted);
  const std::vector<double> holm = HolmAdjust(raw);
  for (std::size_t i = 0; i < holm.size(); ++i) *adjusted[i] = holm[i];
  SetBoundVerdicts(family, confidence, raw.size());
}

void SetBoundVerdicts(std::span<CellBoundCheck* const> family, double confidence,
                      std::size_t family_size) {
  const double a = 1.0 - confidence;
  const double shown_alpha = family_size == 0 ? a : a / static_cast<double>(family_size);

  for (CellBoundCheck* cell : family) {
    cell->shown_alpha = shown_alpha;
    cell->family_size = family_size;
    bool any_testable = false, all_hold = true, violated = false;
    double worst = -1.0;
    std::int64_t worst_at = 0, violated_at = 0;
    for (BudgetBoundCheck& b : cell->budgets) {
      if (b.draws.empty()) continue;
      const double G = b.gradient_bound;
      b.mean = stats::BernsteinHoeffdingMean(b.draws, 0.0, G, shown_alpha);
      b.mean_sq = stats::BernsteinHoeffdingMean(b.draws_sq, 0.0, G * G, shown_alpha);
      if (!b.testable) continue;
      any_testable = true;
      // Holds: E||grad f(x_R)|| (the mean of mean_grad_norm) is below the bound. The root-mean-
      // square form is reported beside it (sq_holds); its range G^2 makes its confidence bound
      // much wider than the bound squared at large N, so requiring it would only ask for seeds.
      // Either form above the bound is a violation.
      const bool holds = b.holm_below <= a;
      b.sq_holds = b.holm_below_sq <= a;
      const bool above = b.holm_above <= a || b.holm_above_sq <= a;
      b.verdict = above   ? BoundVerdict::kViolated
                  : holds ? BoundVerdict::kHolds
                          : BoundVerdict::kInconclusive;
      if (above && !violated) {
        violated = true;
        violated_at = b.budget;
      }
      all_hold = all_hold && holds;
      if (b.ratio > worst) {
        worst = b.ratio;
        worst_at = b.budget;
      }
    }
    if (!any_testable) {
      cell->verdict = BoundVerdict::kNotTestable;
      continue;
    }
    cell->worst_ratio = worst;
    if (violated) {
      cell->verdict = BoundVerdict::kViolated;
      cell->note = "violated at N=" + std::to_string(violated_at);
    } else if (all_hold) {
      cell->verdict = BoundVerdict::kHolds;
      int sq = 0, tested = 0;
      for (const BudgetBoundCheck& b : cell->budgets) {
        tested += b.testable ? 1 : 0;
        sq += b.testable && b.sq_holds ? 1 : 0;
      }
      cell->note = "holds at every testable budget; largest mean/bound " + Sig(worst, 3) +
                   " at N=" + std::to_string(worst_at) +
                   "; the root-mean-square form certified at " + std::to_string(sq) + " of " +
                   std::to_string(tested);
    } else {
      cell->verdict = BoundVerdict::kInconclusive;
      cell->note = "neither holds at every testable budget nor violated at one";
    }
  }
}

}  // namespace clipsim::analysis
