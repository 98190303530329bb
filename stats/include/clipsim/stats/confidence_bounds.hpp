// One-sided confidence bounds that are valid without any shape assumption on the law, for the
// theory checks (issue 6): the mean of a quantity known to lie in a range, and a quantile.
//
// Every bound here holds for every law satisfying its stated premise, at every sample size; none
// uses a normal approximation (the quantities the checks look at are heavy-tailed or bounded).
//
//   Hoeffding (1963, Theorem 2): X_1..X_n iid in [lo, hi]. With probability >= 1 - alpha,
//     E X <= mean + (hi - lo) sqrt(log(1/alpha) / (2 n))   (and the mirror image for the lower).
//   Empirical Bernstein (Maurer & Pontil 2009, "Empirical Bernstein bounds and sample variance
//   penalization", Theorem 4): X_1..X_n iid in [0, 1], n >= 2. With probability >= 1 - alpha,
//     E X <= mean + sqrt(2 V_n log(2/alpha) / n) + 7 log(2/alpha) / (3 (n - 1)),
//   V_n the unbiased sample variance; rescaled here to [lo, hi] (V_n / (hi - lo)^2 in, the radius
//   times (hi - lo) out). Tighter than Hoeffding when the variance is much below (hi - lo)^2 / 4.
//   Order statistics (David & Nagaraja, "Order Statistics", 3rd ed., section 7.1): for n iid draws
//   from any law F with q-quantile xi_q = inf{x : F(x) >= q}, the number of draws < xi_q is
//   Binomial(n, F(xi_q-)) with F(xi_q-) <= q, so
//     P(X_(s) < xi_q) <= P(Binomial(n, q) >= s),
//   and the upper confidence limit is X_(s) with s the smallest rank making the right side
//   <= alpha. Likewise the number of draws <= xi_q is Binomial(n, F(xi_q)) with F(xi_q) >= q, so
//     P(X_(r) > xi_q) <= P(Binomial(n, q) <= r - 1),
//   and the lower confidence limit is X_(r) with r the largest such rank. Ties and +infinity are
//   allowed. An upper limit needs q^n <= alpha, a lower one (1 - q)^n <= alpha; with fewer draws
//   the limit is "not supported".
//
// How the checks read them: "the bound holds" is certified when the upper confidence bound of
// the measured quantity is below it (wrong with probability <= alpha if the bound is false), and
// "the bound is violated" (broken twins) when the lower confidence bound is above it.
#pragma once

#include <cstdint>
#include <span>

namespace clipsim::stats {

// Radius of the one-sided Hoeffding bound for the mean of n draws with range width `range`.
// Requires n >= 1, range >= 0, alpha in (0, 1).
double HoeffdingRadius(std::int64_t n, double range, double alpha);

// Radius of the one-sided empirical Bernstein bound (Maurer & Pontil 2009, Theorem 4) for the
// mean of n >= 2 draws with range width `range` and unbiased sample variance `sample_variance`.
double EmpiricalBernsteinRadius(std::int64_t n, double sample_variance, double range, double alpha);

// A mean with its one-sided confidence bounds: P(E X < lower) <= alpha and
// P(E X > upper) <= alpha, each on its own (use alpha/2 for a two-sided statement).
struct MeanConfidence {
  double mean = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  double sample_variance = 0.0;  // unbiased; 0 for n = 1
  std::int64_t n = 0;
};

// Draws must lie in [lo, hi] (checked: a draw outside, or NaN, is a caller bug and aborts).
// The bounds are clamped to [lo, hi].
MeanConfidence HoeffdingMean(std::span<const double> draws, double lo, double hi, double alpha);
// The smaller radius of the empirical Bernstein bound and the Hoeffding bound, each at alpha/2
// (a union bound, so that taking the better of the two keeps the level alpha).
MeanConfidence BernsteinHoeffdingMean(std::span<const double> draws, double lo, double hi,
                                      double alpha);

// The p-values of the one-sided tests behind BernsteinHoeffdingMean, for a mean compared with a
// fixed threshold c: the smallest alpha in (0, 1) at which its upper bound lies below c (evidence
// that E X < c), respectively its lower bound above c (evidence that E X > c); 1 when no alpha
// below 1 gets there. The bounds widen as alpha falls, so the set of such alpha is an interval
// (alpha*, 1), and alpha* is found by bisection on log alpha (to relative 1e-9), down to 1e-300.
// A test that rejects when the p-value is <= a has level a, because the bound at a is valid.
double BernsteinHoeffdingBelowPValue(std::span<const double> draws, double lo, double hi,
                                     double threshold);
double BernsteinHoeffdingAbovePValue(std::span<const double> draws, double lo, double hi,
                                     double threshold);

// 1-based rank s of the order-statistic upper confidence limit of the q-quantile of n draws at
// level alpha (the smallest s with P(Binomial(n, q) >= s) <= alpha), or 0 when q^n > alpha.
int QuantileUpperLimitRank(std::int64_t n, double q, double alpha);
// 1-based rank r of the lower confidence limit (the largest r with
// P(Binomial(n, q) <= r - 1) <= alpha), or 0 when (1 - q)^n > alpha.
int QuantileLowerLimitRank(std::int64_t n, double q, double alpha);
// The smallest n for which an upper confidence limit of the q-quantile exists at level alpha.
std::int64_t MinDrawsForQuantileUpperLimit(double q, double alpha);

struct QuantileLimit {
  bool supported = false;  // false: too few draws for this q and alpha
  int rank = 0;            // 1-based rank of the order statistic used (0 when unsupported)
  double limit = 0.0;      // X_(rank); NaN when unsupported
  double estimate = 0.0;   // X_(ceil(n q)), the type-1 point estimate
};

// sorted: the draws in ascending order (no NaN; +infinity allowed), at least one.
QuantileLimit QuantileUpperLimit(std::span<const double> sorted, double q, double alpha);
QuantileLimit QuantileLowerLimit(std::span<const double> sorted, double q, double alpha);

}  // namespace clipsim::stats
