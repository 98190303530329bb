// Tail-index estimators against samples with a known tail: exact Pareto (P(X > x) = x^-alpha,
// x >= 1), where the Hill interval is exact, and the exponential law (light tail: gamma = 0,
// alpha = infinity); and against clipsim's own estimators (stats/, what `clipsim analyze`
// reports), which replay's must equal on the same sample and k.
#include "clipsim/replay/tail_index.hpp"

#include <gtest/gtest.h>

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <iostream>
#include <limits>
#include <vector>

#include "clipsim/replay/random.hpp"
#include "clipsim/stats/tail_index.hpp"

namespace clipsim::replay {
namespace {

std::vector<double> Pareto(Rng& rng, int64_t n, double alpha) {
  std::vector<double> x(static_cast<std::size_t>(n));
  for (double& v : x) v = std::pow(1.0 - rng.Uniform01(), -1.0 / alpha);  // 1 - U in (0, 1]
  return x;
}

// Coverage of the 95% intervals over 200 independent replicates (seed 20260523, n = 10^4,
// k = 100). If the intervals have their nominal 95% coverage, the count of covering replicates is
// Binomial(200, 0.95), and P(count outside [180, 199]) = 0.0012: the false-alarm rate of this
// test. (A count of 200 flags intervals that are too wide.)
TEST(TailIndex, HillIntervalHasNominalCoverageOnPareto) {
  Rng rng(20260523, {1});
  for (double alpha : {1.2, 1.7}) {
    int covered = 0;
    for (int r = 0; r < 200; ++r) {
      const TailReport report = EstimateTail(Pareto(rng, 10000, alpha));
      ASSERT_EQ(report.k, 100);
      covered += (report.hill.lo <= alpha && alpha <= report.hill.hi) ? 1 : 0;
    }
    std::cout << "[ measured ] Hill 95% interval, alpha " << alpha << ": covered " << covered
              << "/200\n";
    EXPECT_GE(covered, 180) << "alpha " << alpha << ": Hill interval covered " << covered
                            << "/200 (false-alarm rate of the band 0.0012)";
    EXPECT_LE(covered, 199) << "alpha " << alpha << ": Hill interval covered " << covered
                            << "/200: too wide (false-alarm rate of the band 0.0012)";
  }
}

// The moment estimator's interval is asymptotic (Dekkers et al. 1989, Thm 3.1); at k = 100 its
// coverage on exact Pareto data is below nominal (bias of order 1/k in M2's ratio). The band
// [170, 200] (coverage in about [0.85, 1]) checks that it is a working 95% interval, not an
// exact one; under 95% coverage the false-alarm rate of the lower end is < 1e-6.
TEST(TailIndex, MomentIntervalRoughlyCoversOnPareto) {
  Rng rng(20260524, {2});
  for (double alpha : {1.2, 1.7}) {
    int covered = 0;
    for (int r = 0; r < 200; ++r) {
      const TailReport report = EstimateTail(Pareto(rng, 10000, alpha));
      covered += (report.moment.lo <= alpha && alpha <= report.moment.hi) ? 1 : 0;
    }
    std::cout << "[ measured ] moment 95% interval, alpha " << alpha << ": covered " << covered
              << "/200\n";
    EXPECT_GE(covered, 170) << "alpha " << alpha << ": moment interval covered " << covered
                            << "/200";
  }
}

// Large-sample accuracy: n = 10^6, k = 1000 (seed 7). The Hill estimate's standard deviation is
// alpha / sqrt(k) = 0.047 for alpha = 1.5, so |error| < 0.2 is a > 4-sigma band (false alarm
// < 1e-4); the moment estimator's sd is sqrt(1 + gamma^2) alpha^2 / sqrt(k) = 0.085: same 0.4.
TEST(TailIndex, EstimatesConvergeOnLargeParetoSample) {
  Rng rng(7, {3});
  const TailReport report = EstimateTail(Pareto(rng, 1000000, 1.5), 1000);
  EXPECT_NEAR(report.hill.alpha, 1.5, 0.2);
  EXPECT_NEAR(report.moment.alpha, 1.5, 0.4);
  EXPECT_LT(report.hill.lo, report.hill.alpha);
  EXPECT_GT(report.hill.hi, report.hill.alpha);
}

// Exponential data (seed 11, n = 10^4, k = 100): gamma = 0, so the moment interval for gamma
// contains 0 with probability 0.95 and then its alpha upper end is infinite; the point estimate
// of gamma is within 4 standard deviations (sd 0.1) of 0, i.e. alpha > 2.5 or negative gamma
// (alpha = inf). Fixed seed: the outcome is reproducible.
TEST(TailIndex, MomentEstimatorSeesLightTail) {
  Rng rng(11, {4});
  std::vector<double> x(10000);
  for (double& v : x) v = -std::log(1.0 - rng.Uniform01());
  const TailReport report = EstimateTail(x);
  EXPECT_GT(report.moment.alpha, 2.5);
  EXPECT_EQ(report.moment.hi, std::numeric_limits<double>::infinity());
}

// The same sample gives the same estimates and intervals, to the last bit, as the analysis's
// estimator (stats::EstimateTailIndex at 95%, Hill with its Gamma interval): at n = 10^4, where
// replay's ceil(sqrt(n)) and the analysis' floor(sqrt(n)) are both 100, with the defaults of
// both, and at n = 5000 with k = 71 given (seed 5, Pareto alpha 1.5 scaled by 3; the second sample
// has unusable values, which replay drops and the analysis' caller filters out likewise). The Hill
// interval is also checked against its formula, alpha_hat [g_0.025, g_0.975] / k with g the
// Gamma(k, 1) quantiles.
TEST(TailIndex, EqualsTheAnalysisEstimatorOnTheSameSample) {
  Rng rng(5, {5});
  std::vector<double> x = Pareto(rng, 10000, 1.5);
  for (double& v : x) v *= 3.0;
  const TailReport report = EstimateTail(x);
  ASSERT_EQ(report.k, 100);
  const stats::TailIndexEstimate hill = stats::EstimateTailIndex(x);
  ASSERT_EQ(hill.k, 100u);
  EXPECT_EQ(report.hill.alpha, hill.estimate);
  EXPECT_EQ(report.hill.lo, hill.lower);
  EXPECT_EQ(report.hill.hi, hill.upper);
  stats::TailIndexOptions moment_options;
  moment_options.method = stats::TailIndexMethod::kMoment;
  const stats::TailIndexEstimate moment = stats::EstimateTailIndex(x, moment_options);
  EXPECT_EQ(report.moment.alpha, moment.estimate);
  EXPECT_EQ(report.moment.lo, moment.lower);
  EXPECT_EQ(report.moment.hi, moment.upper);
  const double k = 100.0;
  EXPECT_NEAR(report.hill.lo, hill.estimate * boost::math::gamma_p_inv(k, 0.025) / k,
              1e-14 * hill.estimate);
  EXPECT_NEAR(report.hill.hi, hill.estimate * boost::math::gamma_q_inv(k, 0.025) / k,
              1e-14 * hill.estimate);

  std::vector<double> y = Pareto(rng, 5000, 1.5);
  std::vector<double> usable = y;
  y.insert(y.end(), {0.0, -2.0, std::nan(""), std::numeric_limits<double>::infinity()});
  const TailReport given = EstimateTail(y, 71);
  ASSERT_EQ(given.n, 5000);
  stats::TailIndexOptions options;
  options.k = 71;
  const stats::TailIndexEstimate expected = stats::EstimateTailIndex(usable, options);
  EXPECT_EQ(given.hill.alpha, expected.estimate);
  EXPECT_EQ(given.hill.lo, expected.lower);
  EXPECT_EQ(given.hill.hi, expected.upper);
}

TEST(TailIndex, DropsUnusableValuesAndNeedsEnoughOrderStatistics) {
  std::vector<double> x = {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()};
  for (int i = 1; i <= 50; ++i) x.push_back(i);
  const TailReport report = EstimateTail(x);
  EXPECT_EQ(report.n, 50);
  EXPECT_EQ(report.k, 8);  // ceil(sqrt(50)) < 10: no estimate
  EXPECT_TRUE(std::isnan(report.hill.alpha));
  EXPECT_TRUE(std::isnan(report.moment.alpha));
  const TailReport forced = EstimateTail(x, 20);
  EXPECT_TRUE(std::isfinite(forced.hill.alpha));
  // Tied top values: no estimate, not an error.
  const TailReport tied = EstimateTail(std::vector<double>(200, 1.0));
  EXPECT_EQ(tied.n, 200);
  EXPECT_TRUE(std::isnan(tied.hill.alpha));
  EXPECT_TRUE(std::isnan(tied.moment.alpha));
}

}  // namespace
}  // namespace clipsim::replay
