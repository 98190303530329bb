#include "clipsim/stats/confidence_bounds.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <limits>

#include "clipsim/core/check.hpp"

namespace clipsim::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool ValidAlpha(double alpha) {
  return alpha > 0.0 && alpha < 1.0;
}

// Mean and unbiased variance (Welford), after checking every draw is in [lo, hi].
void MeanAndVariance(std::span<const double> draws, double lo, double hi, double* mean,
                     double* variance) {
  Require(!draws.empty(), "confidence bound of an empty sample");
  Require(lo <= hi, "confidence bound needs lo <= hi");
  double m = 0.0, s = 0.0;
  std::int64_t k = 0;
  for (double x : draws) {
    Require(x >= lo && x <= hi, "a draw lies outside the range stated for a confidence bound");
    ++k;
    const double d = x - m;
    m += d / static_cast<double>(k);
    s += d * (x - m);
  }
  *mean = m;
  *variance = k > 1 ? std::max(0.0, s / static_cast<double>(k - 1)) : 0.0;
}

MeanConfidence WithRadius(double mean, double variance, std::int64_t n, double radius, double lo,
                          double hi) {
  MeanConfidence out;
  out.mean = mean;
  out.sample_variance = variance;
  out.n = n;
  out.lower = std::max(lo, mean - radius);
  out.upper = std::min(hi, mean + radius);
  return out;
}

// P(B >= s) for B ~ Binomial(n, q).
double UpperTail(const boost::math::binomial_distribution<double>& law, std::int64_t s) {
  if (s <= 0) return 1.0;
  return boost::math::cdf(boost::math::complement(law, static_cast<double>(s - 1)));
}

int TypeOneRank(std::int64_t n, double q) {
  // ceil(n q) with a guard so that an integer n q (up to rounding) stays on that integer.
  const double nq = static_cast<double>(n) * q;
  const double r = std::ceil(nq - 1e-9 * std::max(1.0, nq));
  return static_cast<int>(std::clamp(r, 1.0, static_cast<double>(n)));
}

}  // namespace

double HoeffdingRadius(std::int64_t n, double range, double alpha) {
  Require(n >= 1 && range >= 0.0 && ValidAlpha(alpha), "HoeffdingRadius: bad arguments");
  return range * std::sqrt(std::log(1.0 / alpha) / (2.0 * static_cast<double>(n)));
}

double EmpiricalBernsteinRadius(std::int64_t n, double sample_variance, double range,
                                double alpha) {
  Require(n >= 2 && range >= 0.0 && sample_variance >= 0.0 && ValidAlpha(alpha),
          "EmpiricalBernsteinRadius: bad arguments");
  if (range == 0.0) return 0.0;
  const double nn = static_cast<double>(n);
  const double log_term = std::log(2.0 / alpha);
  // Theorem 4 of Maurer & Pontil on X / range in [0, 1]: V_n scales by 1 / range^2.
  const double v = sample_variance / (range * range);
  return range * (std::sqrt(2.0 * v * log_term / nn) + 7.0 * log_term / (3.0 * (nn - 1.0)));
}

namespace {

// The smallest alpha at which `reached(alpha)` holds, given that it holds on an interval
// (alpha*, 1) (or nowhere): bisection on log alpha; 1 when it fails just below 1.
template <class Reached>
double SmallestAlpha(const Reached& reached) {
  constexpr double kTop = 1.0 - 1e-12;
  constexpr double kBottom = 1e-300;
  if (!reached(kTop)) return 1.0;
  if (reached(kBottom)) return kBottom;
  double lo = std::log(kBottom), hi = std::log(kTop);
  while (hi - lo > 1e-9 * std::max(1.0, std::abs(lo))) {
    const double mid = 0.5 * (lo + hi);
    if (reached(std::exp(mid))) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return std::exp(hi);
}

// The radius of BernsteinHoeffdingMean at alpha from the sample's mean and variance.
double BernsteinHoeffdingRadius(std::int64_t n, double variance, double range, double alpha) {
  double radius = HoeffdingRadius(n, range, 0.5 * alpha);
  if (n >= 2) radius = std::min(radius, EmpiricalBernsteinRadius(n, variance, range, 0.5 * alpha));
  return radius;
}

}  // namespace

MeanConfidence HoeffdingMean(std::span<const double> draws, double lo, double hi, double alpha) {
  double mean = 0.0, variance = 0.0;
  MeanAndVariance(draws, lo, hi, &mean, &variance);
  const auto n = static_cast<std::int64_t>(draws.size());
  return WithRadius(mean, variance, n, HoeffdingRadius(n, hi - lo, alpha), lo, hi);
}

MeanConfidence BernsteinHoeffdingMean(std::span<const double> draws, double lo, double hi,
                                      double alpha) {
  double mean = 0.0, variance = 0.0;
  MeanAndVariance(draws, lo, hi, &mean, &variance);
  const auto n = static_cast<std::int64_t>(draws.size());
  return WithRadius(mean, variance, n, BernsteinHoeffdingRadius(n, variance, hi - lo, alpha), lo,
                    hi);
}

namespace {

// Both one-sided p-values: below = the upper bound under the threshold, else the lower bound over
// it.
double BernsteinHoeffdingPValue(std::span<const double> draws, double lo, double hi,
                                double threshold, bool below) {
  double mean = 0.0, variance = 0.0;
  MeanAndVariance(draws, lo, hi, &mean, &variance);
  const auto n = static_cast<std::int64_t>(draws.size());
  return SmallestAlpha([&](double alpha) {
    const double radius = BernsteinHoeffdingRadius(n, variance, hi - lo, alpha);
    return below ? std::min(hi, mean + radius) < threshold
                 : std::max(lo, mean - radius) > threshold;
  });
}

}  // namespace

double BernsteinHoeffdingBelowPValue(std::span<const double> draws, double lo, double hi,
                                     double threshold) {
  return BernsteinHoeffdingPValue(draws, lo, hi, threshold, true);
}

double BernsteinHoeffdingAbovePValue(std::span<const double> draws, double lo, double hi,
                                     double threshold) {
  return BernsteinHoeffdingPValue(draws, lo, hi, threshold, false);
}

int QuantileUpperLimitRank(std::int64_t n, double q, double alpha) {
  Require(n >= 1 && n <= std::numeric_limits<int>::max() && q > 0.0 && q < 1.0 && ValidAlpha(alpha),
          "QuantileUpperLimitRank needs n >= 1, q and alpha in (0, 1)");
  const boost::math::binomial_distribution<double> law(static_cast<double>(n), q);
  // P(B >= s) falls with s; the largest rank n works iff P(B = n) = q^n <= alpha.
  if (UpperTail(law, n) > alpha) return 0;
  std::int64_t lo = 1, hi = n;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (UpperTail(law, mid) <= alpha) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return static_cast<int>(lo);
}

int QuantileLowerLimitRank(std::int64_t n, double q, double alpha) {
  Require(n >= 1 && n <= std::numeric_limits<int>::max() && q > 0.0 && q < 1.0 && ValidAlpha(alpha),
          "QuantileLowerLimitRank needs n >= 1, q and alpha in (0, 1)");
  const boost::math::binomial_distribution<double> law(static_cast<double>(n), q);
  const auto cdf = [&](std::int64_t k) { return boost::math::cdf(law, static_cast<double>(k)); };
  // P(B <= r - 1) grows with r; the smallest rank 1 works iff P(B = 0) = (1 - q)^n <= alpha.
  if (cdf(0) > alpha) return 0;
  std::int64_t lo = 1, hi = n;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo + 1) / 2;
    if (cdf(mid - 1) <= alpha) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return static_cast<int>(lo);
}

std::int64_t MinDrawsForQuantileUpperLimit(double q, double alpha) {
  Require(q > 0.0 && q < 1.0 && ValidAlpha(alpha),
          "MinDrawsForQuantileUpperLimit needs q and alpha in (0, 1)");
  // q^n <= alpha; start one below the logarithm and step up past floating rounding.
  auto n = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(std::ceil(std::log(alpha) / std::log(q))) - 1);
  while (QuantileUpperLimitRank(n, q, alpha) == 0) ++n;
  return n;
}

namespace {

QuantileLimit MakeLimit(std::span<const double> sorted, double q, int rank) {
  QuantileLimit out;
  out.estimate = sorted[static_cast<std::size_t>(TypeOneRank(std::ssize(sorted), q) - 1)];
  out.rank = rank;
  out.supported = rank > 0;
  out.limit = rank > 0 ? sorted[static_cast<std::size_t>(rank - 1)] : kNaN;
  return out;
}

void RequireSorted(std::span<const double> sorted) {
  Require(!sorted.empty(), "quantile limit of an empty sample");
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    Require(!std::isnan(sorted[i]), "quantile limit of a sample with NaN");
    if (i > 0) Require(sorted[i - 1] <= sorted[i], "quantile limit needs sorted draws");
  }
}

}  // namespace

QuantileLimit QuantileUpperLimit(std::span<const double> sorted, double q, double alpha) {
  RequireSorted(sorted);
  return MakeLimit(sorted, q, QuantileUpperLimitRank(std::ssize(sorted), q, alpha));
}

QuantileLimit QuantileLowerLimit(std::span<const double> sorted, double q, double alpha) {
  RequireSorted(sorted);
  return MakeLimit(sorted, q, QuantileLowerLimitRank(std::ssize(sorted), q, alpha));
}

}  // namespace clipsim::stats
