// Where a theorem says something: the regime of every (cell, budget) of a theory-schedule sweep,
// decided from the prescription and the clip counts only, never from the statistic being judged.
//
// The theorems are upper bounds with constants, E||grad f(x_R)|| <= bound(N) (analysis/THEORY.md).
// Data below a bound are consistent with any slope, so a verdict means something only where
//   - the prescription leaves enough steps: T >= min_steps (with T = 1 the iterate never moves and
//     the "slope" is that of a constant);
//   - the bound says something: bound(N) <= max_bound_ratio * ||grad f(x_0)|| (a bound above the
//     start's gradient norm holds for the algorithm that never moves);
//   - the bound already has its asymptotic slope: |d log bound / d log N - s_th| <=
//   slope_tolerance,
//     the local slope measured as log(bound(2N) / bound(N/2)) / log 4 (too small a sigma lets the
//     (2G / sigma)^p part of the bound dominate, too large a one averages the noise away);
//   - the mechanism is exercised: the median over seeds of the clipped samples per run is at least
//     min_clipped_per_run (a run that never clips is plain SGD, whatever it is called).
// A (cell, budget) meeting all four is testable. A rate needs at least min_rate_budgets testable
// budgets whose largest is at least min_rate_span times the smallest (a decade by default).
//
// A control (`schedule.prescription` naming another entry: e.g. plain SGD with PS-Clip-SGD's n and
// eta) is judged against its entry's bound, at that entry's prescription; its clip rule reads the
// clip counts of the clipped cell it controls (same noise stream, the entry's own method), because
// the control itself never clips by design.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/theory/registry.hpp"

namespace clipsim::analysis {

struct RegimeRules {
  std::int64_t min_steps = 30;       // T >= min_steps
  double max_bound_ratio = 0.5;      // bound(N) / ||grad f(x_0)|| <= max_bound_ratio
  double slope_tolerance = 0.05;     // |local slope of the bound - theory slope| <= this
  double min_clipped_per_run = 1.0;  // median clipped samples per run >= this
  int min_rate_budgets = 3;          // testable budgets a rate needs
  double min_rate_span = 10.0;       // largest / smallest testable budget of a rate

  // Empty when valid; otherwise "field is value, but must ...".
  std::string Validate() const;
  // The rules in one sentence, for reports.
  std::string Describe() const;
};

struct BudgetRegime {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::int64_t budget = 0;
  std::int64_t batch_size = 0;        // n as run
  std::int64_t iterations = 0;        // T as run
  double clipped_median = kNaN;       // median over seeds of the clipped samples per run
  double clipped_fraction = kNaN;     // clipped_median / samples per run
  bool clipped_from_partner = false;  // a control: the clipped cell's counts
  double bound = kNaN;                // the entry's in-expectation bound at its prescription
  double start_grad_norm = kNaN;      // ||grad f(x_0)||
  double bound_ratio = kNaN;          // bound / ||grad f(x_0)||
  double bound_slope = kNaN;          // local slope of the bound in N
  bool testable = false;
  std::vector<std::string> failed;  // each failed rule, with its numbers

  // "n 24, T 41, clipped 3 per run (0.31%), bound/||grad f(x0)|| 0.41, bound slope -0.19".
  std::string Describe() const;
};

struct CellRegime {
  bool applicable = false;  // a theory-schedule cell with a registry entry and resolved facts
  std::string why_not;      // when not applicable
  std::string entry;        // the registry entry whose bound and prescription apply
  std::string method;       // the cell's optimizer
  bool control = false;     // method differs from entry
  std::string partner;      // a control: the cell whose clip counts apply ("" if none)
  // A variant of the prescription (step_factor, batch_factor or clip_factor != 1: a broken twin
  // or a sensitivity cell): judged against the prescription's bound.
  bool twin = false;
  double theory_slope = std::numeric_limits<double>::quiet_NaN();
  double gradient_bound = std::numeric_limits<double>::quiet_NaN();
  std::vector<BudgetRegime> budgets;  // the cell's budgets, ascending

  bool rate_testable = false;
  std::string rate_reason;  // why the rate is not testable, with the arithmetic
  // The smallest budget at or above the cell's smallest at which the rules that depend on the
  // prescription alone (steps, bound ratio, bound slope) all hold, searched on a grid of 20 per
  // decade up to 1e15, with the facts of the largest budget; 0 when none. The clip rule needs
  // runs, so it is not part of this.
  std::int64_t prescription_testable_from = 0;

  // Indices into budgets of the testable ones.
  std::vector<std::size_t> TestableIndices() const;
  // "" when every budget is testable; else "N=1000: T = 12 < 30; ..." for the others.
  std::string FailedSummary() const;
};

// The theory registry's bound inputs of what a (cell, budget) ran with (resolved.csv), at N =
// budget: the one translation from a resolved run to the registry, for the regime and the claims.
theory::BoundInputs BoundInputsAt(const ResolvedRun& run, std::int64_t budget);

// The regime of every cell (same order as results.cells). Throws InputError for invalid rules.
std::vector<CellRegime> AssessRegimes(const SweepResults& results, const RegimeRules& rules);

}  // namespace clipsim::analysis
