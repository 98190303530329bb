// Quantiles over seeds with exact, distribution-free confidence intervals from order statistics.
//
// Implementation: for n iid draws with order statistics X_(1) <= ... <= X_(n) from any law F with
// q-quantile xi_q, the count of draws <= xi_q is Binomial(n, F(xi_q)) with F(xi_q) >= q and the
// count of draws < xi_q is Binomial(n, F(xi_q-)) with F(xi_q-) <= q, hence
//   P(X_(r) <= xi_q <= X_(s)) >= P(r <= B <= s - 1),  B ~ Binomial(n, q),
// with equality for continuous F (David & Nagaraja, "Order Statistics", 3rd ed., section 7.1;
// Conover, "Practical Nonparametric Statistics", 3rd ed., section 3.2). The two ranks are chosen
// so that each tail has at most a/2 of binomial mass, a = 1 - confidence:
//   r = max{ r >= 1 : P(B <= r - 1) <= a/2 },  s = min{ s <= n : P(B >= s) <= a/2 },
// so coverage >= confidence for every law (ties and +infinity included: a diverged run counts as
// +infinity and may be X_(s)). The ranks are the one-sided limits of confidence_bounds.hpp at
// level a/2 each; binomial tails come from Boost.Math (binomial_distribution, an
// incomplete-beta evaluation). When no such r or s exists, i.e. (1 - q)^n > a/2 or q^n > a/2, the
// data cannot support the quantile at that confidence: the interval is "not enough seeds". For
// q = 1 - delta the upper side binds: n >= log(a/2) / log(1 - delta) seeds are needed (e.g. 72 for
// delta = 0.05, 368 for delta = 0.01, 3688 for delta = 0.001 at 95%).
//
// The point estimate is X_(ceil(n q)), the left-continuous inverse of the empirical CDF (Hyndman &
// Fan type 1): it is always one of the data, so it is +infinity exactly when more than n(1 - q)
// runs diverged, and no interpolation mixes a finite value with an infinite one.
#pragma once

#include <span>
#include <string_view>

namespace clipsim::stats {

enum class IntervalStatus {
  kOk,              // the interval has the stated coverage
  kNotEnoughSeeds,  // too few draws for an exact interval at this level and confidence
};
std::string_view ToString(IntervalStatus status);

// 1-based ranks (r, s) of the order statistics bounding the q-quantile, and the exact binomial
// coverage P(r <= B <= s - 1) for continuous laws (a lower bound otherwise).
struct OrderStatisticRanks {
  IntervalStatus status = IntervalStatus::kNotEnoughSeeds;
  int lower_rank = 0;  // r, in [1, n]; 0 when not enough seeds
  int upper_rank = 0;  // s, in [r, n]; 0 when not enough seeds
  double coverage = 0.0;
};

// Requires n >= 1, 0 < q < 1, 0 < confidence < 1 (aborts otherwise: callers validate options).
OrderStatisticRanks QuantileCiRanks(int n, double q, double confidence);

// The smallest n for which QuantileCiRanks(n, q, confidence) has status kOk.
int MinDrawsForQuantileCi(double q, double confidence);

// 1-based rank of the type-1 point estimate: ceil(n q), clamped to [1, n]. Rounding guards keep
// n q that is an integer up to floating error (e.g. 1000 * 0.95) on that integer.
int QuantileRank(int n, double q);

struct QuantileEstimate {
  double level = 0.0;     // q
  double estimate = 0.0;  // X_(ceil(n q)); may be +infinity
  double lower = 0.0;     // X_(r); NaN when not enough seeds
  double upper = 0.0;     // X_(s); NaN when not enough seeds
  double coverage = 0.0;  // exact binomial coverage of [lower, upper] (>= confidence)
  IntervalStatus status = IntervalStatus::kNotEnoughSeeds;
};

// sorted: the draws in ascending order (+infinity allowed, no NaN), at least one.
QuantileEstimate QuantileWithCi(std::span<const double> sorted, double q, double confidence);

}  // namespace clipsim::stats
