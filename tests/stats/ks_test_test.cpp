// The Kolmogorov-Smirnov machinery: exact small-n values by hand, p-values uniform under the null,
// power against a shifted law, the asymptotic formula against the exact one, the strided bounds
// and the DKW band. Every random test uses clipsim::Rng with a fixed key (stated) and states its
// false-alarm rate; the family of random checks in this file fails a correct implementation with
// probability below 1.5e-3.
#include "clipsim/stats/ks_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/rng.hpp"

namespace clipsim::stats {
namespace {

double Uniform(Rng& rng) {
  return UniformOpen01(rng());
}

// Two-sided acceptance band [lo, hi] for a Binomial(trials, p) count at false-alarm rate alpha.
std::pair<double, double> BinomialBand(int trials, double p, double alpha) {
  const boost::math::binomial_distribution<double> law(trials, p);
  return {boost::math::quantile(law, alpha / 2), boost::math::quantile(complement(law, alpha / 2))};
}

double StandardNormalCdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

TEST(KsTest, StatisticMatchesHandComputation) {
  // Sample {0.7, 0.1, 0.4} against U(0, 1): sorted u = 0.1, 0.4, 0.7;
  // D+ = max(1/3 - 0.1, 2/3 - 0.4, 1 - 0.7) = 0.3, D- = max(0.1, 0.4 - 1/3, 0.7 - 2/3) = 0.1.
  const std::vector<double> sample = {0.7, 0.1, 0.4};
  const KsResult result = KsTest(sample, [](double x) { return x; });
  EXPECT_EQ(result.n, 3u);
  EXPECT_NEAR(result.d_plus, 0.3, 1e-15);
  EXPECT_NEAR(result.d_minus, 0.1, 1e-15);
  EXPECT_NEAR(result.statistic, 0.3, 1e-15);
  // For 1/(2n) <= d <= 1/n, P(D_n < d) = n! (2d - 1/n)^n: here 6 (0.6 - 1/3)^3.
  EXPECT_NEAR(result.p_value, 1.0 - 6.0 * std::pow(0.6 - 1.0 / 3.0, 3), 1e-14);
}

// Closed forms of the exact law at both ends of its support:
//   P(D_n < d) = n! (2d - 1/n)^n for 1/(2n) <= d <= 1/n, and P(D_n >= d) = 2 (1 - d)^n for
//   1 - 1/n <= d <= 1 (n >= 2); n = 2 in between: P(D_2 < d) = 2 d^2 - (2d - 1)^2 on [1/2, 1].
TEST(KolmogorovSmirnov, ExactMatchesClosedForms) {
  double worst = 0.0;
  for (int n : {1, 2, 3, 5, 10, 40}) {
    const double nn = n;
    for (int i = 0; i <= 10; ++i) {
      const double d = (0.5 + 0.05 * i) / nn;  // in [1/(2n), 1/n]
      const double expected = std::exp(std::lgamma(nn + 1.0)) * std::pow(2.0 * d - 1.0 / nn, nn);
      const double got = KolmogorovSmirnovCdfExact(d, n);
      EXPECT_NEAR(got, expected, 1e-13 + 1e-12 * expected) << "n=" << n << " d=" << d;
      worst = std::max(worst, std::fabs(got - expected));
    }
    if (n >= 2 && n <= 10) {
      for (int i = 0; i <= 10; ++i) {
        const double d = 1.0 - (0.1 * i) / nn;  // in [1 - 1/n, 1]
        const double expected = 1.0 - 2.0 * std::pow(1.0 - d, nn);
        const double got = KolmogorovSmirnovCdfExact(d, n);
        EXPECT_NEAR(got, expected, 1e-13) << "n=" << n << " d=" << d;
        worst = std::max(worst, std::fabs(got - expected));
      }
    }
  }
  for (double d = 0.5; d <= 1.0; d += 0.05) {
    EXPECT_NEAR(KolmogorovSmirnovCdfExact(d, 2), 2 * d * d - (2 * d - 1) * (2 * d - 1), 1e-14);
  }
  std::printf("[ks] exact law vs closed forms: worst abs error %.3g\n", worst);
  EXPECT_EQ(KolmogorovSmirnovPValue(0.0, 10), 1.0);
  EXPECT_EQ(KolmogorovSmirnovPValue(0.05, 10), 1.0);  // below 1/(2n)
  EXPECT_EQ(KolmogorovSmirnovPValue(1.0, 10), 0.0);
}

TEST(KolmogorovSmirnov, LimitingLawValues) {
  // Classical critical values of the Kolmogorov distribution (Smirnov 1948 tables).
  EXPECT_NEAR(KolmogorovSf(1.22385), 0.10, 1e-5);
  EXPECT_NEAR(KolmogorovSf(1.35810), 0.05, 1e-5);
  EXPECT_NEAR(KolmogorovSf(1.62762), 0.01, 1e-5);
  EXPECT_NEAR(KolmogorovSf(1.94947), 0.001, 1e-6);
  EXPECT_EQ(KolmogorovSf(0.0), 1.0);
  // The two series agree where they switch (t = 1).
  EXPECT_NEAR(KolmogorovSf(std::nextafter(1.0, 0.0)), KolmogorovSf(1.0), 1e-14);
  EXPECT_NEAR(KolmogorovSf(1.0), 0.26999967167735456, 1e-14);
}

// The corrected asymptotic formula used above kKsExactMaxN, against the exact law just below it:
// measured worst difference 4.1e-3 (mid-range p) and 5e-5 where p < 0.01.
TEST(KolmogorovSmirnov, StephensCorrectionCloseToExactAtTheSwitch) {
  const std::size_t n = kKsExactMaxN;
  const double root_n = std::sqrt(static_cast<double>(n));
  double worst = 0.0;
  double worst_small = 0.0;
  for (double t = 0.4; t < 2.4; t += 0.05) {
    const double d = t / root_n;
    const double exact = 1.0 - KolmogorovSmirnovCdfExact(d, n);
    const double asymptotic = KolmogorovSf(d * (root_n + 0.12 + 0.11 / root_n));
    worst = std::max(worst, std::fabs(exact - asymptotic));
    if (exact < 0.01) worst_small = std::max(worst_small, std::fabs(exact - asymptotic));
  }
  std::printf("[ks] n=%zu: |Stephens - exact| worst %.3g, where p < 0.01 %.3g\n", n, worst,
              worst_small);
  EXPECT_LT(worst, 5e-3);
  EXPECT_LT(worst_small, 1e-4);
  // p-values are continuous across the switch.
  EXPECT_NEAR(KolmogorovSmirnovPValue(1.3 / root_n, n),
              KolmogorovSmirnovPValue(1.3 / std::sqrt(n + 1.0), n + 1), 5e-3);
}

// Under H0 the p-value is uniform. Seeds: MakeRng({Stream::kTest, 11, n}). For each n, R draws of
// the sample; the counts of p <= 0.05 and p <= 0.25 must lie in their Binomial(R, level) bands at
// 2e-5 each, and the R p-values must pass a KS test of uniformity at 2e-5: 3 checks x 3 sample
// sizes, family-wise false-alarm rate <= 1.8e-4.
TEST(KsTest, PValuesAreUniformUnderTheNull) {
  for (std::size_t n : {std::size_t{20}, std::size_t{400}, std::size_t{3000}}) {
    Rng rng = MakeRng({static_cast<std::uint64_t>(Stream::kTest), 11, n});
    const int repetitions = n >= 3000 ? 600 : 2000;
    std::vector<double> p_values;
    std::vector<double> sample(n);
    int below_05 = 0;
    int below_25 = 0;
    for (int r = 0; r < repetitions; ++r) {
      for (double& x : sample) x = Uniform(rng);
      const double p = KsTest(sample, [](double x) { return x; }).p_value;
      p_values.push_back(p);
      below_05 += p <= 0.05;
      below_25 += p <= 0.25;
    }
    const auto band_05 = BinomialBand(repetitions, 0.05, 2e-5);
    const auto band_25 = BinomialBand(repetitions, 0.25, 2e-5);
    std::printf("[ks] n=%zu: %d of %d p-values <= 0.05 (band [%g, %g]), %d <= 0.25\n", n, below_05,
                repetitions, band_05.first, band_05.second, below_25);
    EXPECT_GE(below_05, band_05.first) << "n=" << n << " (false-alarm rate 2e-5)";
    EXPECT_LE(below_05, band_05.second) << "n=" << n << " (false-alarm rate 2e-5)";
    EXPECT_GE(below_25, band_25.first) << "n=" << n << " (false-alarm rate 2e-5)";
    EXPECT_LE(below_25, band_25.second) << "n=" << n << " (false-alarm rate 2e-5)";
    const KsResult meta = KsTest(p_values, [](double p) { return std::clamp(p, 0.0, 1.0); });
    // Above kKsExactMaxN the p-value is approximate (error < 5e-3), which R = 600 cannot see.
    EXPECT_GT(meta.p_value, 2e-5) << "n=" << n << " D=" << meta.statistic
                                  << " (false-alarm rate 2e-5)";
  }
}

// Power: N(0.3, 1) samples of size n = 1000 tested against N(0, 1). The true distance is
// D* = sup |Phi(x - 0.3) - Phi(x)| = 2 Phi(0.15) - 1 = 0.119. By the DKW inequality
// P(D_n < D* - 0.07) <= 2 exp(-2 n 0.07^2) = 1.1e-4, and D_n >= 0.049 gives p <= 0.016 (checked
// below). So each of 10 seeds (MakeRng({kTest, 12, seed})) must give p < 0.02; a correct
// implementation misses on some seed with probability <= 1.1e-3.
TEST(KsTest, DetectsAShiftedLaw) {
  std::vector<double> p_values;
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    Rng rng = MakeRng({static_cast<std::uint64_t>(Stream::kTest), 12, seed});
    boost::math::normal_distribution<double> shifted(0.3, 1.0);
    std::vector<double> sample(1000);
    for (double& x : sample) x = boost::math::quantile(shifted, Uniform(rng));
    const KsResult result = KsTest(sample, StandardNormalCdf);
    EXPECT_LT(result.p_value, 0.02)
        << "seed " << seed << " D=" << result.statistic << " (miss rate <= 1.1e-4 per seed by DKW)";
    p_values.push_back(result.p_value);
  }
  std::sort(p_values.begin(), p_values.end());
  std::printf("[ks] N(0.3,1) vs N(0,1), n=1000: median p = %.3g\n", p_values[5]);
  EXPECT_LT(KolmogorovSmirnovPValue(0.049, 1000), 0.02);
}

// The strided bounds bracket the exact statistic (seed MakeRng({kTest, 13})).
TEST(KsTest, StridedBoundsBracketTheStatistic) {
  Rng rng = MakeRng({static_cast<std::uint64_t>(Stream::kTest), 13});
  boost::math::normal_distribution<double> law(0.05, 1.0);
  std::vector<double> sample(5000);
  for (double& x : sample) x = boost::math::quantile(law, Uniform(rng));
  const KsResult exact = KsTest(sample, StandardNormalCdf);
  const KsBounds one = KsStatisticBounds(sample, StandardNormalCdf, 1);
  EXPECT_DOUBLE_EQ(one.lower, exact.statistic);
  EXPECT_DOUBLE_EQ(one.upper, exact.statistic);
  EXPECT_EQ(one.evaluations, sample.size());
  for (std::size_t stride : {2, 7, 25}) {
    const KsBounds bounds = KsStatisticBounds(sample, StandardNormalCdf, stride);
    EXPECT_LE(bounds.lower, exact.statistic);
    EXPECT_GE(bounds.upper, exact.statistic);
    // Between evaluated neighbours F rises by about stride/n; the bracket is at most twice that.
    EXPECT_LT(bounds.upper - bounds.lower, 3.0 * static_cast<double>(stride) / 5000.0) << stride;
    EXPECT_LE(bounds.evaluations, sample.size() / stride + 2);
  }
}

// The DKW band covers the whole empirical CDF at its stated rate (seed MakeRng({kTest, 14});
// exceedances of the 10% band over 2000 samples of size 50 must stay below the upper end of the
// Binomial(2000, 0.1) band at 1e-4).
TEST(Dkw, BandHoldsAtItsRate) {
  EXPECT_NEAR(DkwHalfWidth(100, 0.05), std::sqrt(std::log(40.0) / 200.0), 1e-15);
  Rng rng = MakeRng({static_cast<std::uint64_t>(Stream::kTest), 14});
  const int repetitions = 2000;
  const double eps = DkwHalfWidth(50, 0.1);
  int exceed = 0;
  std::vector<double> sample(50);
  for (int r = 0; r < repetitions; ++r) {
    for (double& x : sample) x = Uniform(rng);
    exceed += KsTest(sample, [](double x) { return x; }).statistic > eps;
  }
  std::printf("[ks] DKW 10%% band, n=50: exceeded in %d of %d samples\n", exceed, repetitions);
  EXPECT_LE(exceed, BinomialBand(repetitions, 0.1, 1e-4).second) << "(false-alarm rate 5e-5)";
}

TEST(KsTest, RejectsBadInput) {
  EXPECT_THROW(KsTestFromSortedCdfValues({}), InputError);
  const std::vector<double> unsorted = {0.5, 0.2};
  EXPECT_THROW(KsTestFromSortedCdfValues(unsorted), InputError);
  // Rounding-size decreases of a numerical CDF are absorbed.
  const std::vector<double> rounding = {0.5, 0.5 - 1e-12, 0.7};
  EXPECT_NO_THROW(KsTestFromSortedCdfValues(rounding));
  const std::vector<double> outside = {0.2, 1.5};
  EXPECT_THROW(KsTestFromSortedCdfValues(outside), InputError);
  const std::vector<double> with_nan = {0.2, std::nan("")};
  EXPECT_THROW(KsTest(with_nan, [](double x) { return x; }), InputError);
  EXPECT_THROW(KsStatisticBounds(
                   unsorted, [](double x) { return x; }, 0),
               InputError);
  EXPECT_THROW(DkwHalfWidth(10, 0.0), InputError);
  EXPECT_THROW(KolmogorovSmirnovPValue(0.1, 0), InputError);
}

}  // namespace
}  // namespace clipsim::stats
