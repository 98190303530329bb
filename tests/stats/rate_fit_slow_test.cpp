// The false-alarm rate that rate_fit_test's planted-slope check states, measured again: the rule of
// planted_slope.hpp on the planted draws of R = 200 seeds (1000-1199; about 10 s of CPU).
#include <gtest/gtest.h>

#include <boost/math/distributions/binomial.hpp>
#include <cstdio>
#include <string>

#include "planted_slope.hpp"

namespace clipsim::stats {
namespace {

// Measured when the rule was set: no failure on seeds 1000-2999, so the rate is below 1.5e-3 (95%
// upper bound). The test fails when more of the 200 draws fail than Binomial(200, 1.5e-3) gives
// with probability 1e-4, i.e. 5 or more (false-alarm probability <= 1e-4 while the rate is at most
// 1.5e-3; any change of the draws, the bootstrap or the fit is then a fresh sample of seeds).
TEST(FitLogLine, PlantedSlopeRuleFailsRarelyOverSeeds) {
  constexpr int kFirst = 1000;
  constexpr int kRepetitions = 200;
  int failures = 0;
  for (int seed = kFirst; seed < kFirst + kRepetitions; ++seed) {
    const std::string failed =
        testing::PlantedFailures(testing::FitPlanted(static_cast<std::uint64_t>(seed)));
    if (!failed.empty()) {
      ++failures;
      std::printf("seed %d: %s\n", seed, failed.c_str());
    }
  }
  const double allowed = boost::math::quantile(
      boost::math::binomial_distribution<double>(kRepetitions, 1.5e-3), 1.0 - 1e-4);
  std::printf("planted-slope rule: %d of %d seeds failed (allowed %g)\n", failures, kRepetitions,
              allowed);
  EXPECT_LE(failures, allowed);
}

}  // namespace
}  // namespace clipsim::stats
