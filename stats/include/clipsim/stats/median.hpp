// The sample medians, one definition each. They differ on purpose where the count of
// values is even, and every caller names the one it needs:
//
//   Median       the midpoint: the mean of the two middle values (Boost.Math's
//                boost::math::statistics::median), over the values that are not NaN. The usual
//                summary of a sample where nothing is ranked against an interval: clip counts
//                (regime.cpp, claims.cpp, claims_paired_ratio.cpp, claims_floor.cpp,
//                ode_agreement.cpp), run times (sweep_results.cpp: timings.csv;
//                claims_paired_ratio.cpp: equal-time curves) and tuning scores
//                (claims_tuning.cpp).
//   LowerMedian  the ceil(n/2)-th smallest value: QuantileRank(n, 0.5) of quantile_ci.hpp, the
//                point estimate of QuantileWithCi at q = 0.5, so that a median printed next to an
//                exact order-statistic interval is that interval's own estimate
//                (claims_paired_ratio.cpp, the median ratio at a paired_ratio row's other
//                budgets), and the median of the block means in the median-of-means
//                (median_of_means.cpp): the estimate is one of the block means, and the point of
//                the QuantileWithCi interval it comes with.
//   UpperMedian  the (floor(n/2) + 1)-th smallest value: the median of a censored count
//                (hitting_time.cpp, claims_hitting_time.cpp), where a run that never reached eps
//                counts +infinity. It is always an observed count, never the mean of two
//                (an iteration count stays an integer), and it errs towards more iterations, so
//                it is +infinity exactly when at least half the runs were censored.
//
// For an odd count all three are the middle value.
#pragma once

#include <algorithm>
#include <boost/math/statistics/univariate_statistics.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace clipsim::stats {

// The midpoint median of the values that are not NaN (the mean of the two middle ones for an even
// count); NaN when none is. A NaN marks a missing value (a clip count results.csv lacks), never a
// number to rank: ordering it would break std::nth_element's ordering.
inline double Median(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  return boost::math::statistics::median(v);
}

// The ceil(n/2)-th smallest of `v` (n = v.size()); NaN when empty. Reorders `v` (nth_element).
// The values must not be NaN.
inline double LowerMedian(std::span<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>((v.size() - 1) / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// The (floor(n/2) + 1)-th smallest of `v`; NaN when empty. Reorders `v` (nth_element). The values
// must not be NaN (+infinity is fine: a censored value).
inline double UpperMedian(std::span<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

}  // namespace clipsim::stats
