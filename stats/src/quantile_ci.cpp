#include "clipsim/stats/quantile_ci.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <limits>

#include "clipsim/core/check.hpp"
#include "clipsim/stats/confidence_bounds.hpp"

namespace clipsim::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::string_view ToString(IntervalStatus status) {
  switch (status) {
    case IntervalStatus::kOk:
      return "ok";
    case IntervalStatus::kNotEnoughSeeds:
      return "not enough seeds";
  }
  return "?";
}

OrderStatisticRanks QuantileCiRanks(int n, double q, double confidence) {
  Require(n >= 1 && q > 0.0 && q < 1.0 && confidence > 0.0 && confidence < 1.0,
          "QuantileCiRanks needs n >= 1, q and confidence in (0, 1)");
  // The two one-sided limits of confidence_bounds.hpp, each at level a/2: one rank search for
  // the whole toolkit.
  const double half = 0.5 * (1.0 - confidence);
  OrderStatisticRanks out;
  const int r = QuantileLowerLimitRank(n, q, half);
  const int s = QuantileUpperLimitRank(n, q, half);
  if (r == 0 || s == 0) return out;
  const boost::math::binomial_distribution<double> law(n, q);
  out.status = IntervalStatus::kOk;
  out.lower_rank = r;
  out.upper_rank = s;
  // P(r <= B <= s - 1) = 1 - P(B <= r - 1) - P(B >= s).
  out.coverage = 1.0 - boost::math::cdf(law, r - 1.0) -
                 boost::math::cdf(boost::math::complement(law, s - 1.0));
  return out;
}

int MinDrawsForQuantileCi(double q, double confidence) {
  Require(q > 0.0 && q < 1.0 && confidence > 0.0 && confidence < 1.0,
          "MinDrawsForQuantileCi needs q and confidence in (0, 1)");
  // The upper limit needs q^n <= a/2, the lower one (1 - q)^n <= a/2: start at the larger
  // logarithm and check the neighbours against the exact rank search (floating rounding).
  const double half = 0.5 * (1.0 - confidence);
  const double need = std::max(std::log(half) / std::log(q), std::log(half) / std::log1p(-q));
  int n = std::max(1, static_cast<int>(std::ceil(need)) - 1);
  while (QuantileCiRanks(n, q, confidence).status != IntervalStatus::kOk) ++n;
  while (n > 1 && QuantileCiRanks(n - 1, q, confidence).status == IntervalStatus::kOk) --n;
  return n;
}

int QuantileRank(int n, double q) {
  // n q within a few ulps of an integer is taken as that integer, so 1000 * 0.95 gives rank 950.
  const double nq = static_cast<double>(n) * q;
  const double nearest = std::round(nq);
  const double k = std::abs(nq - nearest) <= 1e-9 * std::max(1.0, nq) ? nearest : std::ceil(nq);
  return std::clamp(static_cast<int>(k), 1, n);
}

QuantileEstimate QuantileWithCi(std::span<const double> sorted, double q, double confidence) {
  const int n = static_cast<int>(sorted.size());
  Require(n >= 1, "QuantileWithCi needs at least one draw");
  QuantileEstimate out;
  out.level = q;
  out.estimate = sorted[static_cast<std::size_t>(QuantileRank(n, q) - 1)];
  const OrderStatisticRanks ranks = QuantileCiRanks(n, q, confidence);
  out.status = ranks.status;
  if (ranks.status == IntervalStatus::kOk) {
    out.lower = sorted[static_cast<std::size_t>(ranks.lower_rank - 1)];
    out.upper = sorted[static_cast<std::size_t>(ranks.upper_rank - 1)];
    out.coverage = ranks.coverage;
  } else {
    out.lower = kNaN;
    out.upper = kNaN;
  }
  return out;
}

}  // namespace clipsim::stats
