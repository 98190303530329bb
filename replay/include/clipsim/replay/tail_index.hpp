// Tail index of a positive sample (P(X > x) ~ x^-alpha): the Hill estimator and the moment
// estimator of Dekkers, Einmahl & de Haan, each from the k largest order statistics, with 95%
// intervals. The run uses them on per-sample gradient noise norms ||g_k - mean|| pooled over a
// window (>= 10^4 samples by default), to check the heavy-tail premise of PS-Clip-SGD: moments of
// order p are finite for p < alpha, so alpha <= 2 means infinite variance.
//
// The estimators and their intervals are clipsim's own (stats/tail_index.hpp, the ones `clipsim
// analyze` reports), so that the same sample and k give the same numbers in both; this file only
// drops unusable values, picks k and turns "no estimate" into NaN.
#pragma once

#include <cstdint>
#include <vector>

namespace clipsim::replay {

struct TailEstimate {
  double alpha = 0.0;  // tail index estimate (+inf when the estimate says "no heavy tail")
  double lo = 0.0;     // 95% interval for alpha
  double hi = 0.0;
};

struct TailReport {
  int64_t n = 0;  // usable (positive, finite) samples
  int64_t k = 0;  // upper order statistics used
  // Hill (1975): gamma = (1/k) sum_{i<=k} ln(X_(i) / X_(k+1)), alpha = 1/gamma (X_(1) largest).
  // Interval: for a Pareto tail above X_(k+1), k alpha / alpha_hat ~ Gamma(k, 1) exactly, with
  // the Gamma quantiles from Boost.Math.
  TailEstimate hill;
  // Moment estimator (Dekkers, Einmahl & de Haan 1989, Ann. Statist. 17:1833): with
  // M_j = (1/k) sum ln(X_(i)/X_(k+1))^j, gamma = M1 + 1 - 1/(2 (1 - M1^2/M2)); valid for any sign
  // of gamma (gamma <= 0: light tail, alpha = inf). Interval: the asymptotic normal law of gamma,
  // variance (1 + gamma^2)/k for gamma >= 0 (their Theorem 3.1) and their formula for gamma < 0,
  // mapped to alpha = 1/gamma.
  TailEstimate moment;
};

// samples: any values; non-positive and non-finite ones are dropped (counted out of n).
// k = 0 picks ceil(sqrt(n)), the common rule of thumb (analysis' default is floor(sqrt(n)); the
// two agree when n is a square, as for the default window of 10^4). Needs k >= 10 and k < n, else
// the estimates are NaN; so are they when the k + 1 largest values tie.
TailReport EstimateTail(std::vector<double> samples, int64_t k = 0);

}  // namespace clipsim::replay
