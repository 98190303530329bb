// Straight-line fits on log scales with bootstrap-over-seeds intervals: the rate of a statistic
// in the budget N (log stat against log N) and its dependence on delta at the largest N (log
// quantile against log(1/delta) or log(log(1/delta))).
//
// Implementation: ordinary least squares y = a + b x on the transformed points, R^2 = 1 - SS_res /
// SS_tot. The interval for b (and for R^2) is the percentile interval of the same fit repeated on
// each bootstrap replicate of the statistics (bootstrap.hpp), so it accounts for the seed-to-seed
// spread at every budget (and, with joint resampling, for dependence between budgets). The fit does
// not weight points: the least-squares line of the issue, not a likelihood.
//
// A fit is "undefined" when a point estimate is +infinity (diverged runs), zero or negative (no
// logarithm), or when fewer than two distinct x remain; the reason says which. A replicate with
// such a point gives an undefined (NaN) replicate slope, which the interval counts against itself
// (bootstrap.hpp, PercentileBounds) and the verdict counts against every claim
// (analysis/verdict.hpp).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "clipsim/stats/bootstrap.hpp"

namespace clipsim::stats {

struct LineFit {
  double slope = 0.0;
  double intercept = 0.0;
  double r2 = 0.0;  // 1 for an exact fit (all residuals 0), NaN when all y are equal otherwise
  int points = 0;
};

// OLS on (x, y); requires at least two distinct x (returns slope NaN otherwise).
LineFit FitLine(std::span<const double> x, std::span<const double> y);

struct LogLineFit {
  bool defined = false;
  std::string reason;  // why not defined; empty when defined
  LineFit fit;         // on (x, log y)
  PercentileInterval slope_ci;
  PercentileInterval r2_ci;
  // One slope per bootstrap replicate (NaN where the replicate's fit is undefined); the verdict
  // tests read them.
  std::vector<double> slope_replicates;
};

// x: the (already transformed) abscissae; y: the positive point estimates (log is taken here);
// replicate_y(b, i): replicate b's value at point i, b < resamples. labels[i] names point i in
// the reason when it is undefined ("N=1000").
LogLineFit FitLogLine(std::span<const double> x, std::span<const double> y,
                      const std::function<double(int, int)>& replicate_y, int resamples,
                      double confidence, std::span<const std::string> labels);

}  // namespace clipsim::stats
