// Laws with exactly computable clipped moments, and simple heavy-tailed samplers, for the theory
// tests (issue 6). Independent of clipsim's noise library on purpose: the bounds are checked
// against expectations computed here from first principles.
//
// Two-point laws. xi = a u with probability q and xi = -b u with probability 1 - q, u a unit
// vector, b = q a / (1 - q) so that E xi = 0; E||xi||^p = q a^p + (1 - q) b^p (central = raw).
// Everything about clip(mu + xi) happens in the plane spanned by mu and u, so a 2-vector computes
// the exact moments in any dimension d >= 2; u parallel to mu is the one-dimensional case.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <boost/math/distributions/binomial.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/theory/bounds.hpp"

namespace clipsim::theory_test {

using Vec2 = Eigen::Vector2d;

template <class V>
V Clip(const V& x, double lambda) {
  const double norm = x.norm();
  return norm > lambda ? V(x * (lambda / norm)) : x;
}

// A mean-zero two-point law in the plane.
struct TwoPointLaw {
  double q = 0.5;      // probability of the atom a u
  double a = 1.0;      // the atom a u; the other is -b u, b = q a / (1 - q)
  double angle = 0.0;  // angle between u and mu (0: parallel, pi: antiparallel)

  double b() const { return q * a / (1.0 - q); }
  Vec2 u() const { return {std::cos(angle), std::sin(angle)}; }
  // E||xi||^p: the central moment (the law has mean zero).
  double MomentP(double p) const { return q * std::pow(a, p) + (1.0 - q) * std::pow(b(), p); }
  double Sigma(double p) const { return std::pow(MomentP(p), 1.0 / p); }
};

// Exact bias ||E clip(X) - mu|| and variance E||clip(X) - E clip(X)||^2 of X = mu + xi, with mu
// = mu_norm e_1.
struct ExactClipMoments {
  double bias = 0.0;
  double variance = 0.0;
  Vec2 mean_shift = Vec2::Zero();  // E clip(X) - mu
};

inline ExactClipMoments ClipMoments(const TwoPointLaw& law, double mu_norm, double lambda) {
  const Vec2 mu(mu_norm, 0.0);
  // clip(x) - mu, formed without cancellation: an unclipped atom contributes xi itself, so that
  // laws with q down to 1e-40 (and b = q a / (1 - q) as small) keep their relative accuracy.
  const auto shift = [&](const Vec2& xi) -> Vec2 {
    const Vec2 x = mu + xi;
    const double norm = x.norm();
    return norm > lambda ? Vec2(x * (lambda / norm) - mu) : xi;
  };
  const Vec2 d1 = shift(law.a * law.u());
  const Vec2 d2 = shift(-law.b() * law.u());
  ExactClipMoments out;
  out.mean_shift = law.q * d1 + (1.0 - law.q) * d2;
  out.bias = out.mean_shift.norm();
  // Var of a two-point vector law: q (1 - q) ||c1 - c2||^2.
  out.variance = law.q * (1.0 - law.q) * (d1 - d2).squaredNorm();
  return out;
}

// Exact E||g_hat - mu||^2 of PS-Clip's estimator g_hat = (1/n) sum_k clip(mu + xi_k, lambda_k)
// under a two-point law: ||(1/n) sum_k (E c_k - mu)||^2 + (1/n^2) sum_k Var c_k.
inline double PsClipExactMeanSquaredError(const TwoPointLaw& law, double mu_norm, double clip_scale,
                                          double clip_power, std::int64_t n) {
  Vec2 shift = Vec2::Zero();
  double variance = 0.0;
  for (std::int64_t k = 1; k <= n; ++k) {
    const double lambda = clip_scale * std::pow(static_cast<double>(k), 1.0 / clip_power);
    const ExactClipMoments m = ClipMoments(law, mu_norm, lambda);
    shift += m.mean_shift;
    variance += m.variance;
  }
  const double nn = static_cast<double>(n);
  return (shift / nn).squaredNorm() + variance / (nn * nn);
}

// The law with mass 1 - q at 0 and q at x > 0, with q x^p = u (raw moment exactly u), under the
// truncated mean of Bubeck et al.: sample k counts iff x <= B_k. Every sample with k >= k_x counts,
// so the estimate is x N / n with N ~ Binomial(n - k_x + 1, q): its law is exact.
struct TruncatedTwoPoint {
  double x = 1.0;
  double q = 0.5;
  std::int64_t counted = 0;  // n - k_x + 1, the number of positions where x is kept
  std::int64_t n = 1;
};

// thresholds(k) is the threshold of position k (1-based), non-decreasing in k.
template <class Thresholds>
TruncatedTwoPoint MakeTruncatedTwoPoint(double x, double u, double p, std::int64_t n,
                                        Thresholds thresholds) {
  TruncatedTwoPoint t;
  t.x = x;
  t.q = u / std::pow(x, p);
  t.n = n;
  // First position whose threshold keeps x (binary search on a monotone predicate).
  std::int64_t lo = 1, hi = n + 1;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (x <= thresholds(mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  t.counted = n + 1 - lo;
  return t;
}

// P(estimate - mean > t) and P(mean - estimate > t), exactly.
inline double UpperTailProbability(const TruncatedTwoPoint& law, double t) {
  if (law.counted == 0) return -law.q * law.x > t ? 1.0 : 0.0;  // the estimate is always 0
  const boost::math::binomial_distribution<double> bin(static_cast<double>(law.counted), law.q);
  // x N / n - q x > t  <=>  N > n (t + q x) / x.
  const double level = static_cast<double>(law.n) * (t + law.q * law.x) / law.x;
  if (level < 0.0) return 1.0;
  const double k = std::floor(level);
  if (k >= static_cast<double>(law.counted)) return 0.0;
  return boost::math::cdf(boost::math::complement(bin, k));
}

inline double LowerTailProbability(const TruncatedTwoPoint& law, double t) {
  const double mean = law.q * law.x;
  if (law.counted == 0) return mean > t ? 1.0 : 0.0;
  const boost::math::binomial_distribution<double> bin(static_cast<double>(law.counted), law.q);
  // q x - x N / n > t  <=>  N < n (q x - t) / x.
  const double level = static_cast<double>(law.n) * (mean - t) / law.x;
  if (level <= 0.0) return 0.0;
  const double k = std::ceil(level) - 1.0;  // largest integer strictly below level
  if (k >= static_cast<double>(law.counted)) return 1.0;
  return boost::math::cdf(bin, k);
}

// The exact (1 - delta)-quantile of the upper (or lower) deviation: the smallest attainable value
// v of the deviation with P(deviation > v) <= delta. The upper deviation x N / n - q x grows with
// N, the lower one falls, so a binary search on N finds it.
inline double DeviationQuantile(const TruncatedTwoPoint& law, double delta, bool upper) {
  const double mean = law.q * law.x;
  const double step = law.x / static_cast<double>(law.n);
  if (law.counted == 0) return upper ? -mean : mean;
  const boost::math::binomial_distribution<double> bin(static_cast<double>(law.counted), law.q);
  const std::int64_t m = law.counted;
  if (upper) {
    // Smallest j with P(N > j) <= delta.
    std::int64_t lo = 0, hi = m;
    while (lo < hi) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      if (boost::math::cdf(boost::math::complement(bin, static_cast<double>(mid))) <= delta) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return static_cast<double>(lo) * step - mean;
  }
  // Largest j with P(N < j) = P(N <= j - 1) <= delta (j = 0 always qualifies).
  std::int64_t lo = 0, hi = m;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo + 1) / 2;
    if (boost::math::cdf(bin, static_cast<double>(mid - 1)) <= delta) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return mean - static_cast<double>(lo) * step;
}

// Symmetric Pareto: sign * scale * U^(-1/tail); E|X|^p = tail scale^p / (tail - p) for p < tail.
inline double ParetoMoment(double tail, double scale, double p) {
  return tail * std::pow(scale, p) / (tail - p);
}

inline double SamplePareto(Rng& rng, double tail, double scale) {
  const double u = UniformOpen01(rng());
  return scale * std::pow(u, -1.0 / tail);
}

inline double SampleSymmetricPareto(Rng& rng, double tail, double scale) {
  const double sign = (rng() >> 63) != 0 ? 1.0 : -1.0;
  return sign * SamplePareto(rng, tail, scale);
}

// Radial Pareto in R^d: ||X|| ~ Pareto(tail, scale), direction uniform on the sphere (a normalized
// Gaussian vector). Mean zero; E||X||^p = ParetoMoment(tail, scale, p).
inline void SampleRadialPareto(Rng& rng, double tail, double scale, Eigen::Ref<Vector> out) {
  boost::random::normal_distribution<double> normal;
  double norm = 0.0;
  do {
    for (Eigen::Index i = 0; i < out.size(); ++i) out[i] = normal(rng);
    norm = out.norm();
  } while (norm == 0.0);
  out *= SamplePareto(rng, tail, scale) / norm;
}

}  // namespace clipsim::theory_test
