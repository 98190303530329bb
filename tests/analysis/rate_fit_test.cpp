// Rate fits: exact lines, recovery of a planted slope within its bootstrap interval, the
// interval's coverage over repetitions, and the reasons an undefined fit gives.
#include "clipsim/analysis/rate_fit.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/binomial.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "clipsim/analysis/bootstrap.hpp"
#include "clipsim/core/rng.hpp"

namespace clipsim::analysis {
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

// Draws X = scale N^slope Z, Z log-normal(0, sigma), independently per budget and seed.
std::vector<std::vector<double>> Planted(Rng& rng, const std::vector<double>& budgets, int seeds,
                                         double slope, double sigma) {
  boost::random::normal_distribution<double> g;
  std::vector<std::vector<double>> out;
  for (double n : budgets) {
    std::vector<double> v(static_cast<std::size_t>(seeds));
    for (double& x : v) x = 2.0 * std::pow(n, slope) * std::exp(sigma * g(rng));
    out.push_back(std::move(v));
  }
  return out;
}

struct Fitted {
  std::vector<LogLineFit> fits;  // one per statistic
};

Fitted FitAll(const std::vector<double>& budgets, const std::vector<std::vector<double>>& samples,
              const std::vector<Statistic>& stats, int resamples, Rng& rng) {
  const BootstrapReplicates reps = BootstrapOverSeeds(samples, false, stats, {resamples, 37}, rng);
  std::vector<double> x;
  for (double n : budgets) x.push_back(std::log(n));
  Fitted out;
  for (std::size_t s = 0; s < stats.size(); ++s) {
    std::vector<double> y;
    for (const auto& v : samples) y.push_back(EvaluateStatistic(stats[s], v, 37));
    out.fits.push_back(FitLogLine(x, y,
                                  [&](int b, int j) { return reps.at(b, static_cast<int>(s), j); },
                                  resamples, 0.95, {}));
  }
  return out;
}

TEST(FitLogLine, RecoversPlantedSlopeWithinItsInterval) {
  const std::vector<double> budgets = {1e3, 3e3, 1e4, 3e4, 1e5, 3e5};
  Rng rng = MakeRng({21, static_cast<std::uint64_t>(Stream::kTest)});
  const auto samples = Planted(rng, budgets, 1000, -0.3, 0.5);
  const std::vector<Statistic> stats = {Statistic::Mean(), Statistic::MedianOfMeans(),
                                        Statistic::QuantileAtDelta(0.5),
                                        Statistic::QuantileAtDelta(0.01)};
  const Fitted f = FitAll(budgets, samples, stats, 1000, rng);
  for (std::size_t s = 0; s < stats.size(); ++s) {
    const LogLineFit& fit = f.fits[s];
    ASSERT_TRUE(fit.defined) << fit.reason;
    std::printf("%-10s slope %.4f [%.4f, %.4f] R^2 %.4f\n", stats[s].Name().c_str(), fit.fit.slope,
                fit.slope_ci.lower, fit.slope_ci.upper, fit.fit.r2);
    EXPECT_LE(fit.slope_ci.lower, -0.3) << stats[s].Name() << " (seed 21)";
    EXPECT_GE(fit.slope_ci.upper, -0.3) << stats[s].Name() << " (seed 21)";
    EXPECT_LT(fit.slope_ci.upper - fit.slope_ci.lower, 0.1) << stats[s].Name();
    EXPECT_GT(fit.fit.r2, 0.99) << stats[s].Name();
  }
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
    const Fitted f = FitAll(budgets, samples, stats, 400, rng);
    for (std::size_t s = 0; s < stats.size(); ++s) {
      covered[s] += (f.fits[s].slope_ci.lower <= -0.25 && -0.25 <= f.fits[s].slope_ci.upper);
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
}  // namespace clipsim::analysis
