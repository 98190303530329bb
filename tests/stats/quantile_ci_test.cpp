// Exact order-statistic intervals for quantiles: ranks against an independent binomial reference
// (log-gamma sums in long double, not Boost), the seed counts each delta needs, and coverage over
// many repetitions for continuous, discrete and infinite-contaminated laws.
#include "clipsim/stats/quantile_ci.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "clipsim/core/rng.hpp"

namespace clipsim::stats {
namespace {

// P(B <= k), B ~ Binomial(n, q), by direct summation of exp(log pmf) in long double.
long double ReferenceCdf(int n, double q, int k) {
  if (k < 0) return 0.0L;
  long double sum = 0.0L;
  for (int i = 0; i <= std::min(k, n); ++i) {
    const long double log_pmf = std::lgamma(static_cast<long double>(n) + 1) -
                                std::lgamma(static_cast<long double>(i) + 1) -
                                std::lgamma(static_cast<long double>(n - i) + 1) +
                                i * std::log(static_cast<long double>(q)) +
                                (n - i) * std::log1p(-static_cast<long double>(q));
    sum += std::exp(log_pmf);
  }
  return sum;
}

TEST(QuantileCiRanks, MatchBruteForceReference) {
  for (int n : {6, 10, 37, 100, 250}) {
    for (double q : {0.5, 0.9, 0.95, 0.99}) {
      for (double confidence : {0.9, 0.95, 0.99}) {
        const double half = 0.5 * (1.0 - confidence);
        int r = 0;
        for (int cand = 1; cand <= n; ++cand) {
          if (ReferenceCdf(n, q, cand - 1) <= half) r = cand;
        }
        int s = 0;
        for (int cand = n; cand >= 1; --cand) {
          if (1.0L - ReferenceCdf(n, q, cand - 1) <= half) s = cand;
        }
        const OrderStatisticRanks got = QuantileCiRanks(n, q, confidence);
        SCOPED_TRACE("n=" + std::to_string(n) + " q=" + std::to_string(q) +
                     " confidence=" + std::to_string(confidence));
        if (r == 0 || s == 0) {
          EXPECT_EQ(got.status, IntervalStatus::kNotEnoughSeeds);
          continue;
        }
        ASSERT_EQ(got.status, IntervalStatus::kOk);
        EXPECT_EQ(got.lower_rank, r);
        EXPECT_EQ(got.upper_rank, s);
        const long double coverage = ReferenceCdf(n, q, s - 1) - ReferenceCdf(n, q, r - 1);
        EXPECT_NEAR(got.coverage, static_cast<double>(coverage), 1e-12);
        EXPECT_GE(got.coverage, confidence);
      }
    }
  }
}

TEST(QuantileCiRanks, SeedsNeededPerDelta) {
  // An upper limit needs q^n <= (1 - confidence)/2: n >= log(0.025)/log(1 - delta) at 95%.
  EXPECT_EQ(MinDrawsForQuantileCi(0.5, 0.95), 6);
  EXPECT_EQ(MinDrawsForQuantileCi(0.95, 0.95), 72);
  EXPECT_EQ(MinDrawsForQuantileCi(0.99, 0.95), 368);
  EXPECT_EQ(MinDrawsForQuantileCi(0.999, 0.95), 3688);
  EXPECT_EQ(QuantileCiRanks(1000, 0.999, 0.95).status, IntervalStatus::kNotEnoughSeeds);
  EXPECT_EQ(QuantileCiRanks(1000, 0.99, 0.95).status, IntervalStatus::kOk);
}

TEST(QuantileRank, TypeOneEstimate) {
  EXPECT_EQ(QuantileRank(1000, 0.95), 950);  // 1000 * 0.95 is 949.999... in floating point
  EXPECT_EQ(QuantileRank(1000, 0.999), 999);
  EXPECT_EQ(QuantileRank(10, 0.5), 5);
  EXPECT_EQ(QuantileRank(11, 0.5), 6);
  EXPECT_EQ(QuantileRank(3, 0.999), 3);
  EXPECT_EQ(QuantileRank(3, 1e-6), 1);
}

TEST(QuantileWithCi, InfinityIsAnOrdinaryOrderStatistic) {
  std::vector<double> x(100);
  for (int i = 0; i < 100; ++i) x[static_cast<std::size_t>(i)] = i + 1.0;
  x[99] = std::numeric_limits<double>::infinity();  // one diverged run
  const QuantileEstimate median = QuantileWithCi(x, 0.5, 0.95);
  EXPECT_EQ(median.status, IntervalStatus::kOk);
  EXPECT_EQ(median.estimate, 50.0);
  EXPECT_TRUE(std::isfinite(median.upper));
  const QuantileEstimate q99 = QuantileWithCi(x, 0.99, 0.95);
  EXPECT_EQ(q99.status, IntervalStatus::kNotEnoughSeeds);
  EXPECT_TRUE(std::isnan(q99.upper));
  EXPECT_EQ(q99.estimate, 99.0);
}

// Coverage: R repetitions of n draws; the number of intervals that cover the true quantile is
// Binomial(R, c) with c the exact coverage (continuous law) or at least c (discrete law). The test
// accepts counts inside the central Binomial(R, c) region of mass 1 - 2e-5 (continuous), or above
// its lower 1e-5 point (discrete): false-alarm probability <= 2e-5 per check. Seed fixed below.
struct CoverageCase {
  const char* name;
  int n;
  double q;
  bool continuous;
};

class QuantileCoverage : public ::testing::TestWithParam<CoverageCase> {};

TEST_P(QuantileCoverage, MatchesNominalWithinMonteCarloError) {
  const CoverageCase& c = GetParam();
  constexpr int kRepetitions = 4000;
  constexpr double kConfidence = 0.95;
  Rng rng = MakeRng({20260501, static_cast<std::uint64_t>(c.n), StableHash(c.name)});
  boost::random::exponential_distribution<double> expo(1.0);
  boost::random::poisson_distribution<int> poisson(3.0);
  boost::random::uniform_01<double> u01;
  // True quantiles: exponential -log(1 - q); Poisson(3) by its CDF; the contaminated law is an
  // exponential that is +infinity with probability 0.02, whose q-quantile (q < 0.98) is
  // -log(1 - q / 0.98).
  double truth = 0.0;
  const std::string name = c.name;
  if (name == "exponential") truth = -std::log1p(-c.q);
  if (name == "contaminated") truth = -std::log1p(-c.q / 0.98);
  if (name == "poisson") {
    double cdf = 0.0, pmf = std::exp(-3.0);
    for (int k = 0;; ++k) {
      cdf += pmf;
      if (cdf >= c.q) {
        truth = k;
        break;
      }
      pmf *= 3.0 / (k + 1);
    }
  }
  const OrderStatisticRanks ranks = QuantileCiRanks(c.n, c.q, kConfidence);
  ASSERT_EQ(ranks.status, IntervalStatus::kOk);
  int covered = 0;
  std::vector<double> x(static_cast<std::size_t>(c.n));
  for (int rep = 0; rep < kRepetitions; ++rep) {
    for (double& v : x) {
      if (name == "poisson") {
        v = poisson(rng);
      } else if (name == "contaminated" && u01(rng) < 0.02) {
        v = std::numeric_limits<double>::infinity();
      } else {
        v = expo(rng);
      }
    }
    std::sort(x.begin(), x.end());
    const QuantileEstimate e = QuantileWithCi(x, c.q, kConfidence);
    covered += (e.lower <= truth && truth <= e.upper) ? 1 : 0;
  }
  const boost::math::binomial_distribution<double> law(kRepetitions, ranks.coverage);
  const double lo = boost::math::quantile(law, 1e-5);
  const double hi = boost::math::quantile(boost::math::complement(law, 1e-5));
  const double rate = static_cast<double>(covered) / kRepetitions;
  RecordProperty("coverage", std::to_string(rate));
  EXPECT_GE(covered, lo) << c.name << ": coverage " << rate << " below exact " << ranks.coverage
                         << " (seed 20260501, false-alarm probability 1e-5)";
  if (c.continuous) {
    EXPECT_LE(covered, hi) << c.name << ": coverage " << rate << " above exact " << ranks.coverage
                           << " (seed 20260501, false-alarm 1e-5)";
  }
  std::printf("%s n=%d q=%g: coverage %.4f over %d repetitions, exact %.4f\n", c.name, c.n, c.q,
              rate, kRepetitions, ranks.coverage);
}

INSTANTIATE_TEST_SUITE_P(Laws, QuantileCoverage,
                         ::testing::Values(CoverageCase{"exponential", 200, 0.9, true},
                                           CoverageCase{"exponential", 1000, 0.99, true},
                                           CoverageCase{"exponential", 50, 0.5, true},
                                           CoverageCase{"contaminated", 500, 0.95, true},
                                           CoverageCase{"poisson", 300, 0.9, false}),
                         [](const auto& param_info) {
                           return std::string(param_info.param.name) + "_n" +
                                  std::to_string(param_info.param.n) + "_q" +
                                  std::to_string(
                                      static_cast<int>(std::round(param_info.param.q * 1000)));
                         });

}  // namespace
}  // namespace clipsim::stats
