// Bootstrap over seeds and median-of-means: replicates equal a direct recomputation on the same
// resample, determinism, percentile bounds with undefined replicates, and the coverage of the
// mean's interval on light-tailed data.
#include "clipsim/stats/bootstrap.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/stats/median_of_means.hpp"

namespace clipsim::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> Normal(Rng& rng, int n, double mean, double sd) {
  boost::random::normal_distribution<double> g(mean, sd);
  std::vector<double> x(static_cast<std::size_t>(n));
  for (double& v : x) v = g(rng);
  return x;
}

TEST(MedianOfMeans, BlocksAndEstimate) {
  EXPECT_EQ(MedianOfMeansBlocks(1000, 0.01), 37);  // ceil(8 ln 100) = ceil(36.84)
  EXPECT_EQ(MedianOfMeansBlocks(10, 0.01), 10);
  EXPECT_EQ(MedianOfMeansBlocks(1000, 0.9), 1);
  // 7 draws in 3 blocks of 2 (the 7th is left out): means 1.5, 10, 3.5 -> median 3.5.
  const std::vector<double> x = {1, 2, 10, 10, 3, 4, 1000};
  std::vector<double> scratch(3);
  EXPECT_DOUBLE_EQ(MedianOfMeansEstimate(x, 3, scratch), 3.5);
  // Even block count: the lower median. Blocks of 1: sorted {1, 2, 3, 10} -> 2.
  const std::vector<double> y = {10, 2, 3, 1};
  std::vector<double> scratch4(4);
  EXPECT_DOUBLE_EQ(MedianOfMeansEstimate(y, 4, scratch4), 2.0);
  // A diverged run in one block of 37 leaves the estimate finite.
  Rng rng = MakeRng({3, static_cast<std::uint64_t>(Stream::kTest)});
  std::vector<double> z = Normal(rng, 370, 5.0, 1.0);
  z[17] = kInf;
  const MedianOfMeans m = MedianOfMeansWithCi(z, 37, 0.95);
  EXPECT_TRUE(std::isfinite(m.estimate));
  EXPECT_NEAR(m.estimate, 5.0, 0.3);
  EXPECT_EQ(m.status, IntervalStatus::kOk);
  EXPECT_LE(m.lower, m.estimate);
  EXPECT_GE(m.upper, m.estimate);
}

// Replays the index draws of BootstrapOverSeeds (same generator, same distribution, same order)
// and recomputes every statistic directly from the resampled draws.
TEST(BootstrapOverSeeds, ReplicatesEqualDirectRecomputation) {
  Rng data_rng = MakeRng({5, static_cast<std::uint64_t>(Stream::kTest)});
  std::vector<std::vector<double>> samples = {Normal(data_rng, 101, 3.0, 1.0),
                                              Normal(data_rng, 101, 1.0, 0.5)};
  samples[1][7] = kInf;
  const std::vector<Statistic> stats = {Statistic::QuantileAtDelta(0.1), Statistic::Mean(),
                                        Statistic::MedianOfMeans(),
                                        Statistic::QuantileAtDelta(0.5)};
  BootstrapOptions options;
  options.resamples = 50;
  options.mom_blocks = 7;
  for (bool joint : {true, false}) {
    Rng rng = MakeRng({11});
    const BootstrapReplicates reps = BootstrapOverSeeds(samples, joint, stats, options, rng);
    Rng replay = MakeRng({11});
    boost::random::uniform_int_distribution<int> pick(0, 100);
    std::vector<int> idx(101);
    for (int b = 0; b < options.resamples; ++b) {
      if (joint) {
        for (int& i : idx) i = pick(replay);
      }
      for (int j = 0; j < 2; ++j) {
        if (!joint) {
          for (int& i : idx) i = pick(replay);
        }
        std::vector<double> resampled;
        for (int i : idx) resampled.push_back(samples[static_cast<std::size_t>(j)][i]);
        for (int s = 0; s < static_cast<int>(stats.size()); ++s) {
          const double want = EvaluateStatistic(stats[static_cast<std::size_t>(s)], resampled, 7);
          const double got = reps.at(b, s, j);
          if (stats[static_cast<std::size_t>(s)].kind == StatisticKind::kMean) {
            // Summation order may differ (draw order in both here, but be tolerant).
            if (std::isinf(want)) {
              EXPECT_EQ(got, want);
            } else {
              EXPECT_NEAR(got, want, 1e-12 * std::abs(want));
            }
          } else {
            EXPECT_EQ(got, want) << "replicate " << b << " statistic " << s << " budget " << j;
          }
        }
      }
    }
  }
}

TEST(BootstrapOverSeeds, DeterministicForAFixedSeed) {
  Rng data_rng = MakeRng({6, static_cast<std::uint64_t>(Stream::kTest)});
  const std::vector<std::vector<double>> samples = {Normal(data_rng, 300, 0.0, 1.0)};
  const std::vector<Statistic> stats = {Statistic::Mean(), Statistic::QuantileAtDelta(0.05)};
  Rng a = MakeRng({42});
  Rng b = MakeRng({42});
  const BootstrapReplicates ra = BootstrapOverSeeds(samples, true, stats, {200, 1}, a);
  const BootstrapReplicates rb = BootstrapOverSeeds(samples, true, stats, {200, 1}, b);
  for (int s = 0; s < 2; ++s) EXPECT_EQ(ra.Column(s, 0), rb.Column(s, 0));
}

TEST(PercentileBounds, UndefinedReplicatesOnlyWiden) {
  std::vector<double> r(100);
  for (int i = 0; i < 100; ++i) r[static_cast<std::size_t>(i)] = i + 1.0;  // 1..100
  PercentileInterval p = PercentileBounds(r, 0.9);
  EXPECT_EQ(p.lower, 5.0);   // ceil(100 * 0.05) = 5th
  EXPECT_EQ(p.upper, 95.0);  // ceil(100 * 0.95) = 95th
  EXPECT_EQ(p.undefined, 0);
  // Three undefined: they count as -inf below and +inf above.
  r[0] = r[50] = r[99] = kNaN;
  p = PercentileBounds(r, 0.9);
  EXPECT_EQ(p.undefined, 3);
  EXPECT_EQ(p.lower, 3.0);   // defined sorted: 2..50, 52..99; 5th of (-inf x3, 2, 3, ...) = 3
  EXPECT_EQ(p.upper, 97.0);  // 95th of (2, ..., 50, 52, ..., 99, +inf x3) = 97
}

// Coverage of the percentile interval of a mean on Gaussian data, where the bootstrap is valid:
// R = 400 data sets of n = 200, B = 1000. The count of covering intervals is Binomial(400, c)
// with c near 0.95 (the percentile interval undercovers slightly at finite n); the test asks for
// c >= 0.90 and fails when the count is below the 1e-4 quantile of Binomial(400, 0.90)
// (false-alarm probability <= 1e-4 when c >= 0.90). Seed 9.
TEST(BootstrapOverSeeds, MeanIntervalCoversOnGaussianData) {
  constexpr int kRepetitions = 400;
  Rng rng = MakeRng({9, static_cast<std::uint64_t>(Stream::kTest)});
  int covered = 0;
  const std::vector<Statistic> stats = {Statistic::Mean()};
  for (int rep = 0; rep < kRepetitions; ++rep) {
    const std::vector<std::vector<double>> samples = {Normal(rng, 200, 2.0, 1.0)};
    const BootstrapReplicates reps = BootstrapOverSeeds(samples, true, stats, {1000, 1}, rng);
    const PercentileInterval p = PercentileBounds(reps.Column(0, 0), 0.95);
    covered += (p.lower <= 2.0 && 2.0 <= p.upper) ? 1 : 0;
  }
  const double floor_count =
      boost::math::quantile(boost::math::binomial_distribution<double>(kRepetitions, 0.90), 1e-4);
  std::printf("bootstrap mean interval coverage: %.4f over %d data sets (nominal 0.95)\n",
              static_cast<double>(covered) / kRepetitions, kRepetitions);
  EXPECT_GE(covered, floor_count) << "coverage " << static_cast<double>(covered) / kRepetitions
                                  << " (seed 9, false-alarm probability 1e-4)";
}

}  // namespace
}  // namespace clipsim::stats
