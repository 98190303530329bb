// Tests of the reduction factors mu, nu and the clipping comparison criterion
// (dynamics/reduction_factors.hpp): the Gaussian closed forms against the quadrature path (a
// contaminated law with eps = 0 is exactly Gaussian but goes through the quadrature), mu and nu
// against Monte Carlo draws of w - eps (stated false-alarm rate), the median rule, the CCC's
// sign (<= 1 for Gaussian noise on a grid of thresholds and risks, > 1 for heavy tails, with the
// inverted twin failing), and the interpolation table against exact values.
#include "clipsim/dynamics/reduction_factors.hpp"

#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/noise/noise_model.hpp"

namespace clipsim::dynamics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

noise::NoiseSpec Parse(const char* text) {
  return noise::ParseNoiseSpec(text);
}

ClipSetting Fixed(const char* noise, double c, double trace = 1.0) {
  ClipSetting s;
  s.noise = Parse(noise);
  s.rule = ThresholdRule::kFixed;
  s.parameter = c;
  s.trace = trace;
  return s;
}

TEST(ReductionFactors, GaussianClosedFormMatchesTheQuadraturePath) {
  double worst = 0.0;
  for (double c : {0.05, 0.3, 1.0, 4.0}) {
    for (double risk : {1e-6, 0.01, 0.3, 5.0}) {
      const Factors closed = ExactFactors(Fixed("kind=gaussian,scale=0.7", c), risk);
      // eps = 0: the contaminated law is its Gaussian part, N(0, 0.7^2), but by quadrature.
      const Factors quad = ExactFactors(
          Fixed("kind=contaminated,scale=0.7,eps=0,other=[kind=pareto,tail=3]", c), risk);
      worst = std::max({worst, std::abs(closed.mu - quad.mu) / closed.mu,
                        std::abs(closed.nu - quad.nu) / closed.nu});
    }
  }
  std::printf("closed form vs quadrature: worst relative difference %.3g\n", worst);
  EXPECT_LT(worst, 1e-9);
}

// mu = P(|w - eps| < c_z) and nu = E min((w - eps)^2, c_z^2), w ~ N(0, 2R), by 200000 draws:
// both are means of bounded variables, so |MC - exact| < 6 standard errors fails with
// probability about 2e-9 (CLT); the broken twin (the factors of another threshold) must fail.
TEST(ReductionFactors, MuAndNuMatchMonteCarlo) {
  const int n = 200000;
  for (const char* law : {"kind=student_t,dof=2.5,scale=0.5", "kind=pareto,tail=1.5,scale=0.3",
                          "kind=stable,alpha=1.5,skew=0.5,scale=0.4",
                          "kind=contaminated,scale=0.2,eps=0.1,other=[kind=student_t,dof=1]"}) {
    const double trace = 4.0;
    const double c = 1.2;  // on ||g||: c_z = c / sqrt(trace) = 0.6
    const double risk = 0.2;
    const ClipSetting setting = Fixed(law, c, trace);
    const Factors f = ExactFactors(setting, risk);
    EXPECT_DOUBLE_EQ(f.threshold, 0.6);
    const auto model = noise::MakeNoise(*setting.noise);
    Rng rng = MakeRng({11, static_cast<std::uint64_t>(Stream::kTest)});  // seed 11
    boost::random::normal_distribution<double> w(0.0, std::sqrt(2.0 * risk));
    double in = 0.0;
    double sq = 0.0;
    double sq2 = 0.0;
    for (int i = 0; i < n; ++i) {
      const double z = w(rng) - model->Sample(rng);
      in += std::abs(z) < f.threshold ? 1.0 : 0.0;
      const double m = std::min(z * z, f.threshold * f.threshold);
      sq += m;
      sq2 += m * m;
    }
    const double mu = in / n;
    const double nu = sq / n;
    const double se_mu = std::sqrt(mu * (1 - mu) / n);
    const double se_nu = std::sqrt((sq2 / n - nu * nu) / n);
    EXPECT_LT(std::abs(mu - f.mu), 6 * se_mu) << law << ": mu " << f.mu << " vs MC " << mu;
    EXPECT_LT(std::abs(nu - f.nu), 6 * se_nu) << law << ": nu " << f.nu << " vs MC " << nu;
    const Factors twin = ExactFactors(Fixed(law, 1.5 * c, trace), risk);
    EXPECT_GT(std::abs(mu - twin.mu), 6 * se_mu) << law << ": the twin threshold went unnoticed";
    std::printf("%s: mu %.5f (MC %.5f +- %.1e), nu %.5f (MC %.5f +- %.1e)\n", law, f.mu, mu, se_mu,
                f.nu, nu, se_nu);
  }
}

TEST(ReductionFactors, UnclippedFactorsAndDivergentVariance) {
  ClipSetting s;
  s.noise = Parse("kind=student_t,dof=3,scale=0.5");
  const Factors f = ExactFactors(s, 0.1);
  EXPECT_EQ(f.mu, 1.0);
  EXPECT_NEAR(f.nu, 0.2 + 0.25 * 3.0, 1e-9);  // 2R + scale^2 dof / (dof - 2)
  EXPECT_EQ(Ccc(s, f, 0.1), 1.0);
  s.noise = Parse("kind=student_t,dof=1.5,scale=0.5");
  EXPECT_EQ(ExactFactors(s, 0.1).nu, kInf);
  EXPECT_EQ(NoiseSecondMoment(s), kInf);
}

TEST(ReductionFactors, MedianRuleClipsAtRatioTimesTheMedianResidual) {
  for (const char* law : {"kind=gaussian,scale=0.5", "kind=student_t,dof=1.5,scale=0.5"}) {
    ClipSetting s;
    s.noise = Parse(law);
    s.rule = ThresholdRule::kMedianRatio;
    s.parameter = 1.0;  // at ratio 1, half the residuals are clipped
    for (double risk : {1e-4, 0.05, 2.0}) {
      EXPECT_NEAR(ExactFactors(s, risk).mu, 0.5, 1e-10) << law << " R=" << risk;
    }
  }
  // Gaussian noise: z ~ N(0, 2R + sd^2), median |z| = 0.67449 sqrt(2R + sd^2).
  ClipSetting g;
  g.noise = Parse("kind=gaussian,scale=0.5");
  g.rule = ThresholdRule::kMedianRatio;
  g.parameter = 2.0;
  EXPECT_NEAR(ExactFactors(g, 0.1).threshold, 2.0 * 0.6744897501960817 * std::sqrt(0.45), 1e-9);
}

// Gaussian label noise: CCC <= 1 for every threshold and risk (Cauchy-Schwarz, see the header);
// heavy tails with finite variance: CCC > 1 somewhere. The inverted twin: the heavy-tailed law
// judged by the Gaussian rule fails it.
TEST(ReductionFactors, CccAtMostOneForGaussianNoiseAndAboveOneForHeavyTails) {
  double gaussian_max = 0.0;
  double heavy_max = 0.0;
  for (double c : {0.01, 0.1, 0.3, 1.0, 3.0, 30.0}) {
    for (double risk : {1e-5, 1e-2, 0.1, 1.0, 10.0}) {
      const ClipSetting g = Fixed("kind=gaussian,scale=0.5", c);
      gaussian_max = std::max(gaussian_max, Ccc(g, ExactFactors(g, risk), risk));
      const ClipSetting t = Fixed("kind=student_t,dof=2.5,scale=0.5", c);
      heavy_max = std::max(heavy_max, Ccc(t, ExactFactors(t, risk), risk));
    }
  }
  std::printf("largest CCC on the grid: Gaussian %.9f, Student-t(2.5) %.4f\n", gaussian_max,
              heavy_max);
  EXPECT_LE(gaussian_max, 1.0 + 1e-9);
  EXPECT_GT(heavy_max, 1.5);  // the inverted twin: the Gaussian rule (<= 1) fails here
}

TEST(ReductionFactors, TableInterpolatesTheExactFactors) {
  for (ThresholdRule rule : {ThresholdRule::kFixed, ThresholdRule::kMedianRatio}) {
    ClipSetting s = Fixed("kind=student_t,dof=1.5,scale=0.5", 0.8);
    s.rule = rule;
    ReductionTable table(s);
    double worst = 0.0;
    for (double risk = 1.3e-4; risk < 20.0; risk *= 2.37) {
      const Factors exact = ExactFactors(s, risk);
      const Factors t = table.At(risk);
      worst = std::max({worst, std::abs(t.mu - exact.mu) / exact.mu,
                        std::abs(t.nu - exact.nu) / exact.nu,
                        std::abs(t.threshold - exact.threshold) / exact.threshold});
    }
    std::printf("table rule %d: worst relative interpolation error %.3g\n", static_cast<int>(rule),
                worst);
    EXPECT_LT(worst, 1e-6);
  }
}

TEST(ReductionFactors, RefusesBadSettings) {
  EXPECT_THROW(ExactFactors(Fixed("kind=gaussian", -1.0), 0.1), InputError);
  EXPECT_THROW(ExactFactors(Fixed("kind=gaussian", 1.0, 0.0), 0.1), InputError);
  ClipSetting m;
  m.rule = ThresholdRule::kMedianRatio;
  m.parameter = kInf;
  EXPECT_THROW(ExactFactors(m, 0.1), InputError);
}

}  // namespace
}  // namespace clipsim::dynamics
