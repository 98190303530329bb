// Tail index of a positive sample (P(X > x) ~ x^-alpha): the Hill estimator and the moment
// estimator of Dekkers, Einmahl & de Haan, each from the k largest order statistics, with 95%
// intervals. The run uses them on per-sample gradient noise norms ||g_k - mean|| pooled over a
// window (>= 10^4 samples by default), to check the heavy-tail premise of PS-Clip-SGD: moments of
// order p are finite for p < alpha, so alpha <= 2 means infinite variance.
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
  // Interval: for a Pareto tail above X_(k+1), 2k gamma_hat / gamma ~ chi^2(2k) exactly; the
  // chi^2 quantiles use the Wilson-Hilferty cube-root approximation (relative error < 1e-3 for
  // 2k >= 20).
  TailEstimate hill;
  // Moment estimator (Dekkers, Einmahl & de Haan 1989, Ann. Statist. 17:1833): with
  // M_j = (1/k) sum ln(X_(i)/X_(k+1))^j, gamma = M1 + 1 - 1/(2 (1 - M1^2/M2)); valid for any sign
  // of gamma (gamma <= 0: light tail, alpha = inf). Interval: the asymptotic normal law of gamma
  // with variance (1 + gamma^2)/k for gamma > 0 (their Theorem 3.1).
  TailEstimate moment;
};

// samples: any values; non-positive and non-finite ones are dropped (counted out of n).
// k = 0 picks ceil(sqrt(n)), the common rule of thumb. Needs k >= 10 and k < n, else the
// estimates are NaN.
TailReport EstimateTail(std::vector<double> samples, int64_t k = 0);

}  // namespace clipsim::replay
