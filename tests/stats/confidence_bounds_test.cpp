// Confidence bounds of stats/confidence_bounds.hpp: their coverage is computed exactly
// (enumerating every outcome of a binomial sample), and the order-statistic ranks are compared
// with the two-sided intervals of quantile_ci.hpp, an independent implementation.
#include "clipsim/stats/confidence_bounds.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <vector>

#include "clipsim/stats/quantile_ci.hpp"

namespace clipsim::stats {
namespace {

TEST(ConfidenceBounds, HoeffdingRadiusFormula) {
  EXPECT_DOUBLE_EQ(HoeffdingRadius(100, 2.0, 0.05), 2.0 * std::sqrt(std::log(20.0) / 200.0));
  std::vector<double> draws;
  for (int i = 0; i < 50; ++i) draws.insert(draws.end(), {0.0, 1.0});
  const MeanConfidence c = HoeffdingMean(draws, 0.0, 1.0, 0.1);
  EXPECT_DOUBLE_EQ(c.mean, 0.5);
  EXPECT_NEAR(c.sample_variance, 50.0 / 198.0, 1e-15);
  EXPECT_DOUBLE_EQ(c.upper, 0.5 + HoeffdingRadius(100, 1.0, 0.1));
  EXPECT_DOUBLE_EQ(c.lower, 0.5 - HoeffdingRadius(100, 1.0, 0.1));
  // Bounds never leave the stated range.
  const MeanConfidence small = HoeffdingMean(std::vector<double>{0.0, 1.0}, 0.0, 1.0, 0.1);
  EXPECT_EQ(small.lower, 0.0);
  EXPECT_EQ(small.upper, 1.0);
}

TEST(ConfidenceBounds, EmpiricalBernsteinFormula) {
  // Maurer & Pontil (2009), Theorem 4 on [0, 1], rescaled to range 4.
  const double n = 50, v = 0.8, range = 4.0, alpha = 0.01;
  const double expect = range * (std::sqrt(2.0 * (v / 16.0) * std::log(2.0 / alpha) / n) +
                                 7.0 * std::log(2.0 / alpha) / (3.0 * (n - 1.0)));
  EXPECT_DOUBLE_EQ(EmpiricalBernsteinRadius(50, v, range, alpha), expect);
}

// Exact probability that the upper bound falls below the true mean, for Bernoulli(theta) draws:
// the bound depends on the sample only through the number of ones.
template <class Bound>
double ExactMissProbability(int n, double theta, Bound bound) {
  const boost::math::binomial_distribution<double> law(n, theta);
  double miss = 0.0;
  for (int ones = 0; ones <= n; ++ones) {
    std::vector<double> draws(static_cast<std::size_t>(n), 0.0);
    for (int i = 0; i < ones; ++i) draws[static_cast<std::size_t>(i)] = 1.0;
    const MeanConfidence c = bound(draws);
    if (c.upper < theta) miss += boost::math::pdf(law, ones);
    if (c.lower > theta) miss += boost::math::pdf(law, ones);
  }
  return miss;  // both sides: at most 2 alpha
}

TEST(ConfidenceBounds, ExactCoverageOnBernoulliSamples) {
  const double alpha = 0.05;
  double worst_hoeffding = 0.0, worst_bernstein = 0.0;
  for (int n : {5, 20, 80}) {
    for (double theta : {0.01, 0.1, 0.3, 0.5, 0.9}) {
      worst_hoeffding = std::max(worst_hoeffding,
                                 ExactMissProbability(n, theta, [&](const std::vector<double>& d) {
                                   return HoeffdingMean(d, 0.0, 1.0, alpha);
                                 }));
      worst_bernstein = std::max(worst_bernstein,
                                 ExactMissProbability(n, theta, [&](const std::vector<double>& d) {
                                   return BernsteinHoeffdingMean(d, 0.0, 1.0, alpha);
                                 }));
    }
  }
  std::printf(
      "worst two-sided miss probability at alpha = %.2f: Hoeffding %.4f, "
      "Bernstein/Hoeffding %.4f\n",
      alpha, worst_hoeffding, worst_bernstein);
  EXPECT_LE(worst_hoeffding, 2.0 * alpha);
  EXPECT_LE(worst_bernstein, 2.0 * alpha);
}

TEST(ConfidenceBounds, BernsteinIsTighterForSmallVariance) {
  std::vector<double> draws(2000, 0.0);
  for (std::size_t i = 0; i < draws.size(); i += 100) draws[i] = 1.0;  // variance ~ 0.01
  const MeanConfidence h = HoeffdingMean(draws, 0.0, 1.0, 0.01);
  const MeanConfidence b = BernsteinHoeffdingMean(draws, 0.0, 1.0, 0.01);
  EXPECT_LT(b.upper - b.mean, 0.5 * (h.upper - h.mean));
}

TEST(ConfidenceBounds, QuantileRanksHaveExactLevel) {
  for (int n : {10, 59, 300, 1000}) {
    for (double q : {0.5, 0.9, 0.99}) {
      for (double alpha : {0.05, 0.01}) {
        const boost::math::binomial_distribution<double> law(n, q);
        const int s = QuantileUpperLimitRank(n, q, alpha);
        if (s > 0) {
          // P(B >= s) <= alpha and P(B >= s - 1) > alpha: the smallest valid rank.
          EXPECT_LE(boost::math::cdf(boost::math::complement(law, s - 1.0)), alpha);
          if (s > 1) {
            EXPECT_GT(boost::math::cdf(boost::math::complement(law, s - 2.0)), alpha);
          }
        } else {
          EXPECT_GT(std::pow(q, n), alpha);
        }
        const int r = QuantileLowerLimitRank(n, q, alpha);
        if (r > 0) {
          EXPECT_LE(boost::math::cdf(law, r - 1.0), alpha);
          if (r < n) {
            EXPECT_GT(boost::math::cdf(law, static_cast<double>(r)), alpha);
          }
        } else {
          EXPECT_GT(std::pow(1.0 - q, n), alpha);
        }
        // The two-sided interval at confidence 1 - 2 alpha has the same ranks.
        const OrderStatisticRanks two = QuantileCiRanks(n, q, 1.0 - 2.0 * alpha);
        if (two.status == IntervalStatus::kOk) {
          EXPECT_EQ(two.upper_rank, s) << "n=" << n << " q=" << q;
          EXPECT_EQ(two.lower_rank, r) << "n=" << n << " q=" << q;
        }
      }
    }
  }
}

TEST(ConfidenceBounds, MinDrawsForUpperLimit) {
  // q^n <= alpha: n >= log(0.05) / log(0.99) = 298.07.
  EXPECT_EQ(MinDrawsForQuantileUpperLimit(0.99, 0.05), 299);
  EXPECT_EQ(QuantileUpperLimitRank(298, 0.99, 0.05), 0);
  EXPECT_EQ(QuantileUpperLimitRank(299, 0.99, 0.05), 299);
}

TEST(ConfidenceBounds, QuantileLimitsReadOrderStatistics) {
  std::vector<double> sorted(400);
  for (std::size_t i = 0; i < sorted.size(); ++i) sorted[i] = static_cast<double>(i + 1);
  const QuantileLimit up = QuantileUpperLimit(sorted, 0.9, 0.05);
  const QuantileLimit lo = QuantileLowerLimit(sorted, 0.9, 0.05);
  ASSERT_TRUE(up.supported);
  ASSERT_TRUE(lo.supported);
  EXPECT_EQ(up.limit, static_cast<double>(up.rank));
  EXPECT_EQ(lo.limit, static_cast<double>(lo.rank));
  EXPECT_EQ(up.estimate, 360.0);
  EXPECT_LT(lo.limit, 360.0);
  EXPECT_GT(up.limit, 360.0);
  const QuantileLimit none = QuantileUpperLimit(std::vector<double>(10, 1.0), 0.999, 0.05);
  EXPECT_FALSE(none.supported);
  EXPECT_TRUE(std::isnan(none.limit));
}

// The p-value of a one-sided mean test is the level at which the bound reaches the threshold:
// just above it the bound clears the threshold, just below it does not.
TEST(ConfidenceBounds, PValuesInvertTheBernsteinHoeffdingBounds) {
  std::vector<double> draws;
  for (int i = 0; i < 500; ++i) draws.push_back(0.1 + 0.2 * ((i * 37) % 100) / 99.0);  // mean 0.2
  for (double threshold : {0.22, 0.25, 0.3}) {
    const double p = BernsteinHoeffdingBelowPValue(draws, 0.0, 1.0, threshold);
    ASSERT_GT(p, 0.0);
    ASSERT_LT(p, 1.0);
    EXPECT_LT(BernsteinHoeffdingMean(draws, 0.0, 1.0, p * (1 + 1e-6)).upper, threshold);
    EXPECT_GE(BernsteinHoeffdingMean(draws, 0.0, 1.0, p * (1 - 1e-6)).upper, threshold);
  }
  for (double threshold : {0.18, 0.15}) {
    const double p = BernsteinHoeffdingAbovePValue(draws, 0.0, 1.0, threshold);
    ASSERT_LT(p, 1.0);
    EXPECT_GT(BernsteinHoeffdingMean(draws, 0.0, 1.0, p * (1 + 1e-6)).lower, threshold);
    EXPECT_LE(BernsteinHoeffdingMean(draws, 0.0, 1.0, p * (1 - 1e-6)).lower, threshold);
  }
  // The wrong side of the mean is never evidence: p = 1.
  EXPECT_EQ(BernsteinHoeffdingBelowPValue(draws, 0.0, 1.0, 0.19), 1.0);
  EXPECT_EQ(BernsteinHoeffdingAbovePValue(draws, 0.0, 1.0, 0.21), 1.0);
  // Farther from the threshold, smaller p.
  EXPECT_LT(BernsteinHoeffdingBelowPValue(draws, 0.0, 1.0, 0.3),
            BernsteinHoeffdingBelowPValue(draws, 0.0, 1.0, 0.25));
}

}  // namespace
}  // namespace clipsim::stats
