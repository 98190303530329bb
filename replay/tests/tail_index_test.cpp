// Tail-index estimators against samples with a known tail: exact Pareto (P(X > x) = x^-alpha,
// x >= 1), where the Hill interval is exact up to the Wilson-Hilferty approximation, and the
// exponential law (light tail: gamma = 0, alpha = infinity).
#include "clipsim/replay/tail_index.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <limits>
#include <vector>

#include "clipsim/replay/random.hpp"

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
}

}  // namespace
}  // namespace clipsim::replay
