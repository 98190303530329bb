// Rate fits: exact lines, recovery of a planted slope (planted_slope.hpp), the slope interval's
// coverage over repetitions, and the reasons an undefined fit gives.
#include "clipsim/stats/rate_fit.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "planted_slope.hpp"

namespace clipsim::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(FitLine, ExactLineAndRSquared) {
  const std::vector<double> x = {0, 1, 2, 3};
  const std::vector<double> y = {1, -1, -3, -5};
  const LineFit f = FitLine(x, y);
  EXPECT_DOUBLE_EQ(f.slope, -2.0);
  EXPECT_DOUBLE_EQ(f.intercept, 1.0);
  EXPECT_DOUBLE_EQ(f.r2, 1.0);
  // Independent reference for a noisy line: slope = cov/var by hand.
  const std::vector<double> y2 = {0, 2, 1, 3};
  const LineFit g = FitLine(x, y2);
  EXPECT_NEAR(g.slope, 0.8, 1e-15);  // sxy = 4, sxx = 5
  EXPECT_NEAR(g.r2, 0.64, 1e-15);    // sxy^2 / (sxx syy) = 16 / (5 * 5)
  EXPECT_TRUE(std::isnan(FitLine(std::vector<double>{1, 1}, y2).slope));
}

using testing::FitAll;
using testing::Planted;

// Recovery of a planted slope from one draw (seed 21), by the rule of planted_slope.hpp.
// False-alarm rate: the rule was run on the planted draws of seeds 1000-2999 (rate_fit_slow_test
// runs seeds 1000-1199 again) and failed on none, so a correct implementation fails it on fewer
// than 1.5e-3 of seeds (95% upper bound for 0 failures in 2000); the normal approximation puts the
// slope check at 4 x 9e-5 = 3.6e-4 per seed. (Until issue 18 the test asked the 95% interval to
// contain the slope and R^2 > 0.99 of every statistic: that failed on 530 of those 2000 seeds,
// 27%, 205 times by an interval missing and 359 times by the 0.99 quantile's R^2; seed 21 was one
// that passed.)
TEST(FitLogLine, RecoversAPlantedSlope) {
  const testing::PlantedFit f = testing::FitPlanted(21);
  for (std::size_t s = 0; s < f.stats.size(); ++s) {
    const LogLineFit& fit = f.fits[s];
    std::printf("%-10s slope %.4f [%.4f, %.4f] R^2 %.4f\n", f.stats[s].Name().c_str(),
                fit.fit.slope, fit.slope_ci.lower, fit.slope_ci.upper, fit.fit.r2);
  }
  EXPECT_EQ(testing::PlantedFailures(f), "") << "seed 21";
}

// Coverage of the slope interval over R = 200 independent data sets (n = 200 seeds, 4 budgets,
// B = 400). The percentile bootstrap is approximate, so the test asks for coverage >= 0.88 at
// nominal 0.95 and fails when the count is below the 1e-4 quantile of Binomial(200, 0.88)
// (false-alarm probability <= 1e-4 when the coverage is at least 0.88). Seed 22.
TEST(FitLogLine, SlopeIntervalCoverageOverRepetitions) {
  constexpr int kRepetitions = 200;
  const std::vector<double> budgets = {1e3, 1e4, 1e5, 1e6};
  Rng rng = MakeRng({22, static_cast<std::uint64_t>(Stream::kTest)});
  const std::vector<Statistic> stats = {Statistic::Mean(), Statistic::MedianOfMeans(),
                                        Statistic::QuantileAtDelta(0.1)};
  std::vector<int> covered(stats.size(), 0);
  for (int rep = 0; rep < kRepetitions; ++rep) {
    const auto samples = Planted(rng, budgets, 200, -0.25, 0.7);
    const std::vector<LogLineFit> fits = FitAll(budgets, samples, stats, 400, rng);
    for (std::size_t s = 0; s < stats.size(); ++s) {
      covered[s] += (fits[s].slope_ci.lower <= -0.25 && -0.25 <= fits[s].slope_ci.upper);
    }
  }
  const double floor_count =
      boost::math::quantile(boost::math::binomial_distribution<double>(kRepetitions, 0.88), 1e-4);
  for (std::size_t s = 0; s < stats.size(); ++s) {
    const double rate = static_cast<double>(covered[s]) / kRepetitions;
    std::printf("%-8s slope interval coverage %.3f over %d data sets (nominal 0.95)\n",
                stats[s].Name().c_str(), rate, kRepetitions);
    EXPECT_GE(covered[s], floor_count)
        << stats[s].Name() << " coverage " << rate << " (seed 22, false-alarm 1e-4)";
  }
}

TEST(FitLogLine, UndefinedFitsSayWhy) {
  const std::vector<double> x = {std::log(1e3), std::log(1e4)};
  const std::vector<std::string> labels = {"N=1000", "N=10000"};
  const auto none = [](int, int) { return 1.0; };
  LogLineFit f = FitLogLine(x, std::vector<double>{1.0, kInf}, none, 10, 0.95, labels);
  EXPECT_FALSE(f.defined);
  EXPECT_NE(f.reason.find("infinite at N=10000"), std::string::npos) << f.reason;
  f = FitLogLine(x, std::vector<double>{0.0, 1.0}, none, 10, 0.95, labels);
  EXPECT_FALSE(f.defined);
  EXPECT_NE(f.reason.find("not positive at N=1000"), std::string::npos) << f.reason;
  // A replicate with an infinite point gives an undefined (NaN) replicate slope.
  f = FitLogLine(
      x, std::vector<double>{2.0, 1.0}, [](int b, int j) { return b == 0 && j == 1 ? kInf : 1.0; },
      10, 0.95, labels);
  ASSERT_TRUE(f.defined);
  EXPECT_TRUE(std::isnan(f.slope_replicates[0]));
  EXPECT_EQ(f.slope_ci.undefined, 1);
}

}  // namespace
}  // namespace clipsim::stats
