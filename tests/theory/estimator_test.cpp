// Issue 6, items 1 and 2: the clipped-estimator bounds of theory/bounds.hpp against
// exact expectations. Two-point laws have exactly computable clipped moments and, under the
// truncated mean, an exactly binomial estimate, so every check here is an exact inequality (no
// sampling, no false alarms); each has a broken twin that must fail. The Monte Carlo checks with
// heavy-tailed laws are in theory_estimator_slow_test.cpp, the worst-case searches in
// theory_tightness_slow_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <vector>

#include "clipsim/theory/bounds.hpp"
#include "theory_laws.hpp"

namespace clipsim::theory {
namespace {

using theory_test::ClipMoments;
using theory_test::ExactClipMoments;
using theory_test::TwoPointLaw;

// Exact comparisons carry a relative slack for rounding only.
constexpr double kRounding = 1e-12;

std::vector<double> LogGrid(double lo, double hi, int count) {
  std::vector<double> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(lo * std::pow(hi / lo, static_cast<double>(i) / (count - 1)));
  }
  return out;
}

const std::vector<double> kPs = {1.1, 1.25, 1.5, 1.75, 2.0};
const std::vector<double> kAngles = {0.0, std::numbers::pi / 3, std::numbers::pi / 2,
                                     2 * std::numbers::pi / 3, std::numbers::pi};

// Worst measured/bound ratios over the two-point family (mu = mu_norm e_1, lambda = 1).
struct WorstRatios {
  double bias = 0.0;
  double variance = 0.0;
};

template <class BiasBound, class VarianceBound>
WorstRatios ScanTwoPointLaws(double p, const std::vector<double>& mu_norms, BiasBound bias_bound,
                             VarianceBound variance_bound) {
  WorstRatios worst;
  const double lambda = 1.0;
  for (double mu : mu_norms) {
    for (double angle : kAngles) {
      for (double q : LogGrid(1e-5, 0.5, 24)) {
        for (double a : LogGrid(1e-2, 1e2, 41)) {
          const TwoPointLaw law{q, a, angle};
          const double sigma = law.Sigma(p);
          const ExactClipMoments m = ClipMoments(law, mu, lambda);
          worst.bias = std::max(worst.bias, m.bias / bias_bound(sigma, mu));
          worst.variance = std::max(worst.variance, m.variance / variance_bound(sigma, mu));
        }
      }
    }
  }
  return worst;
}

// Item 1: Sadiev et al. (2023) Lemma 5.1 under its premise ||mu|| <= lambda / 2, in dimension
// 1 (angle 0 or pi) and d >= 2 (the other angles), exactly.
TEST(ClipLemma, SadievBoundsHoldExactlyOnTwoPointLaws) {
  const std::vector<double> mus = {0.0, 0.1, 0.25, 0.4, 0.5};
  for (double p : kPs) {
    const WorstRatios w = ScanTwoPointLaws(
        p, mus, [&](double s, double) { return SadievClipBiasBound(s, p, 1.0); },
        [&](double s, double) { return SadievClipVarianceBound(s, p, 1.0); });
    std::printf("p = %.2f  Sadiev: worst bias ratio %.4f, worst variance ratio %.4f\n", p, w.bias,
                w.variance);
    EXPECT_LE(w.bias, 1.0 + kRounding) << "p = " << p;
    EXPECT_LE(w.variance, 1.0 + kRounding) << "p = " << p;
    // Broken twin (wrong constant): the bias bound divided by 10 and the variance bound divided
    // by 100 are violated by a law of the family.
    EXPECT_GT(10.0 * w.bias, 1.0) << "p = " << p;
    EXPECT_GT(100.0 * w.variance, 1.0) << "p = " << p;
  }
}

// Broken twin of item 1: the premise ||mu|| <= lambda / 2 violated (||mu|| = 2 lambda). The
// clipped mean then sits near lambda e_1, a bias of about lambda, far above 2^p sigma^p /
// lambda^(p-1) for small sigma.
TEST(ClipLemma, SadievBiasBoundFailsWhenMeanIsOutsideTheBall) {
  for (double p : kPs) {
    const TwoPointLaw law{0.5, 0.01, 0.0};  // sigma = 0.01
    const double lambda = 1.0, mu = 2.0 * lambda;
    const ExactClipMoments m = ClipMoments(law, mu, lambda);
    const double bound = SadievClipBiasBound(law.Sigma(p), p, lambda);
    std::printf("p = %.2f  ||mu|| = 2 lambda: bias %.4f vs Sadiev bound %.4f\n", p, m.bias, bound);
    EXPECT_GT(m.bias, 10.0 * bound) << "p = " << p;
    // The sharp bound has no premise on ||mu|| and still holds.
    EXPECT_LE(m.bias, ClipBiasBound(law.Sigma(p), p, lambda, mu) * (1.0 + kRounding));
  }
}

// Item 1, our sharp per-sample bounds, for every ||mu|| (inside and outside the ball).
TEST(ClipLemma, SharpBoundsHoldExactlyOnTwoPointLaws) {
  const std::vector<double> mus = {0.0, 0.1, 0.25, 0.5, 0.75, 0.95, 1.0, 1.5, 3.0};
  for (double p : kPs) {
    const WorstRatios w = ScanTwoPointLaws(
        p, mus, [&](double s, double mu) { return ClipBiasBound(s, p, 1.0, mu); },
        [&](double s, double mu) { return ClipVarianceBound(s, p, 1.0, mu); });
    std::printf("p = %.2f  sharp: worst bias ratio %.4f, worst variance ratio %.4f\n", p, w.bias,
                w.variance);
    EXPECT_LE(w.bias, 1.0 + kRounding) << "p = " << p;
    EXPECT_LE(w.variance, 1.0 + kRounding) << "p = " << p;
    // Broken twin: both are sharp, so halving either constant is violated within the family.
    EXPECT_GT(2.0 * w.bias, 1.0) << "p = " << p;
    EXPECT_GT(2.0 * w.variance, 1.0) << "p = " << p;
  }
}

TEST(ClipLemma, SharpBoundsAgreeWithSadievWhereBothApply) {
  // At ||mu|| = lambda/2 the sharp bias is Sadiev's times C_p / 2 and the sharp variance is
  // Sadiev's times 1.5^(2-p) / 18.
  for (double p : kPs) {
    const double s = 0.7, lambda = 2.0;
    EXPECT_NEAR(ClipBiasBound(s, p, lambda, lambda / 2) / SadievClipBiasBound(s, p, lambda),
                ClipBiasConstant(p) / 2.0, 1e-12);
    EXPECT_NEAR(ClipVarianceBound(s, p, lambda, lambda / 2) / SadievClipVarianceBound(s, p, lambda),
                std::pow(1.5, 2.0 - p) / 18.0, 1e-12);
  }
  EXPECT_DOUBLE_EQ(ClipBiasConstant(2.0), 0.25);
}

// Item 2a: Bubeck, Cesa-Bianchi & Lugosi (2013) Lemma 1 on the laws {0 w.p. 1 - q, x w.p. q}
// with raw moment q x^p = u, both tails, exactly (the estimate is x Binomial / n).
TEST(TruncatedMean, BubeckBoundHoldsExactlyOnTwoPointLaws) {
  const double u = 1.0;
  for (double p : {1.2, 1.5, 2.0}) {
    for (std::int64_t n : {10, 100, 1000}) {
      for (double delta : {0.1, 1e-2, 1e-3, 1e-6}) {
        const double bound = TruncatedMeanBound(u, p, n, delta);
        const auto thresholds = [&](std::int64_t k) {
          return TruncatedMeanThreshold(u, p, k, delta);
        };
        double worst_upper = 0.0, worst_lower = 0.0;
        for (double x : LogGrid(std::pow(u, 1.0 / p) * (1 + 1e-9), 1e4, 400)) {
          const auto law = theory_test::MakeTruncatedTwoPoint(x, u, p, n, thresholds);
          worst_upper = std::max(worst_upper, theory_test::UpperTailProbability(law, bound));
          worst_lower = std::max(worst_lower, theory_test::LowerTailProbability(law, bound));
        }
        EXPECT_LE(worst_upper, delta) << "p=" << p << " n=" << n << " delta=" << delta;
        EXPECT_LE(worst_lower, delta) << "p=" << p << " n=" << n << " delta=" << delta;
      }
    }
  }
}

// Broken twin of item 2a: a constant threshold, the first one (u / log(1/delta))^(1/p), for
// every sample. A value x above it (and x >= u^(1/p), so that q = u / x^p <= 1) is always
// zeroed, so the estimate is 0 and misses the mean q x = u / x^(p-1) by more than the bound once
// n is large: P(miss) = 1 > delta.
TEST(TruncatedMean, ConstantThresholdBreaksTheBound) {
  const double u = 1.0;
  for (double p : {1.2, 1.5, 2.0}) {
    const std::int64_t n = 1000000;
    const double delta = 1e-3;
    const double first = TruncatedMeanThreshold(u, p, 1, delta);
    const auto constant = [&](std::int64_t) { return first; };
    const double x = 1.01 * std::max(first, std::pow(u, 1.0 / p));
    const auto law = theory_test::MakeTruncatedTwoPoint(x, u, p, n, constant);
    const double miss = theory_test::LowerTailProbability(law, TruncatedMeanBound(u, p, n, delta));
    std::printf("p = %.1f constant threshold: P(mean - estimate > bound) = %.3f (delta = %g)\n", p,
                miss, delta);
    EXPECT_GT(miss, delta) << "p = " << p;
  }
}

// Item 2b in expectation: PS-Clip's estimator, exact mean squared error under two-point laws,
// against PsClipEstimatorBounds(...).rms_error, for both per-sample lemmas and several
// (clip_scale, clip_power) settings, with ||mu|| inside and outside the first thresholds.
TEST(PsClipEstimator, RmsBoundHoldsExactlyOnTwoPointLaws) {
  for (double p : {1.25, 1.5, 2.0}) {
    for (std::int64_t n : {1, 8, 64}) {
      double worst = 0.0;
      for (double scale_factor : {0.3, 1.0, 3.0}) {
        for (double power : {p, 1.0, 2.0}) {
          for (double mu : {0.0, 0.3, 2.0}) {
            for (double angle : {0.0, std::numbers::pi / 2, std::numbers::pi}) {
              for (double q : LogGrid(1e-4, 0.5, 7)) {
                for (double a : LogGrid(0.1, 100.0, 7)) {
                  const TwoPointLaw law{q, a, angle};
                  const double sigma = law.Sigma(p);
                  const double exact = std::sqrt(theory_test::PsClipExactMeanSquaredError(
                      law, mu * sigma, scale_factor * sigma, power, n));
                  for (ClipLemma lemma : {ClipLemma::kSharp, ClipLemma::kSadiev}) {
                    const PsClipEstimatorSetting s{sigma,      p,    scale_factor * sigma, power, n,
                                                   mu * sigma, lemma};
                    const double bound = PsClipEstimatorBounds(s).rms_error;
                    worst = std::max(worst, exact / bound);
                    ASSERT_LE(exact, bound * (1 + kRounding))
                        << "p=" << p << " n=" << n << " q=" << q << " a=" << a
                        << " lemma=" << ToString(lemma);
                  }
                }
              }
            }
          }
        }
      }
      std::printf("p = %.2f n = %4lld: worst exact RMSE / bound = %.3f\n", p,
                  static_cast<long long>(n), worst);
    }
  }
}

// The closed form (recommended setting, ||mu|| <= sigma/2) is an upper bound on the exact sums
// and has the slope -(p-1)/p in n.
TEST(PsClipEstimator, ClosedFormBoundsTheSums) {
  for (double p : {1.1, 1.5, 2.0}) {
    for (std::int64_t n : {1, 2, 10, 1000, 100000}) {
      for (double mu : {0.0, 0.25, 0.5}) {
        const PsClipEstimatorSetting s{2.0, p, 2.0, p, n, mu * 2.0, ClipLemma::kSharp};
        EXPECT_LE(PsClipEstimatorBounds(s).rms_error,
                  PsClipEstimatorClosedForm(2.0, p, n) * (1 + kRounding))
            << "p=" << p << " n=" << n;
      }
    }
    const double slope = std::log(PsClipEstimatorClosedForm(1.0, p, 10000) /
                                  PsClipEstimatorClosedForm(1.0, p, 100)) /
                         std::log(100.0);
    EXPECT_NEAR(slope, -(p - 1.0) / p, 1e-12);
  }
  EXPECT_NEAR(PsClipEstimatorClosedForm(1.0, 2.0, 1), std::sqrt(2.0), 1e-15);
}

// Broken twin of item 2b (in expectation): a constant threshold clip_scale = sigma for every
// sample (ps_clip_const). Its bias does not shrink with n, so at n = 4096 its exact RMSE exceeds
// PS-Clip's bound for the growing thresholds on a skewed two-point law (||mu|| = sigma / 2),
// while the growing thresholds stay below it on the same law.
TEST(PsClipEstimator, ConstantThresholdBreaksTheRmsBound) {
  const double kInf = std::numeric_limits<double>::infinity();
  for (double p : {1.25, 1.5, 2.0}) {
    const std::int64_t n = 4096;
    double worst_constant = 0.0, worst_growing = 0.0;
    for (double q : LogGrid(1e-3, 0.5, 30)) {
      const TwoPointLaw law{q, 1.0, 0.0};
      const double s = law.Sigma(p);
      const double bound =
          PsClipEstimatorBounds({s, p, s, p, n, 0.5 * s, ClipLemma::kSharp}).rms_error;
      const double constant =
          std::sqrt(theory_test::PsClipExactMeanSquaredError(law, 0.5 * s, s, kInf, n));
      const double growing =
          std::sqrt(theory_test::PsClipExactMeanSquaredError(law, 0.5 * s, s, p, n));
      worst_constant = std::max(worst_constant, constant / bound);
      worst_growing = std::max(worst_growing, growing / bound);
    }
    std::printf("p = %.2f n = %lld: worst RMSE / bound: constant threshold %.3f, growing %.3f\n", p,
                static_cast<long long>(n), worst_constant, worst_growing);
    EXPECT_LE(worst_growing, 1.0);
    EXPECT_GT(worst_constant, 1.0) << "p = " << p;
  }
}

// The formulas themselves, against hand evaluation.
TEST(TheoryBounds, FormulasMatchHandEvaluation) {
  // Sadiev at p = 2, sigma = 1, lambda = 4: 4 / 4 = 1 and 18.
  EXPECT_DOUBLE_EQ(SadievClipBiasBound(1.0, 2.0, 4.0), 1.0);
  EXPECT_DOUBLE_EQ(SadievClipVarianceBound(1.0, 2.0, 4.0), 18.0);
  // Sharp at p = 2, sigma = 1, lambda = 4, ||mu|| = 2: C_2 sigma^2 / (lambda - mu) = 1/8; the
  // variance min(16, sigma^2) = 1; and ||mu|| = 6 > lambda: (6 - 4) + sigma = 3.
  EXPECT_DOUBLE_EQ(ClipBiasBound(1.0, 2.0, 4.0, 2.0), 0.125);
  EXPECT_DOUBLE_EQ(ClipVarianceBound(1.0, 2.0, 4.0, 2.0), 1.0);
  EXPECT_DOUBLE_EQ(ClipBiasBound(1.0, 2.0, 4.0, 6.0), 3.0);
  // Bubeck et al. at u = 1, p = 2, n = 100, delta = e^-1: 4 * sqrt(1/100) = 0.4; B_k = sqrt(k).
  EXPECT_NEAR(TruncatedMeanBound(1.0, 2.0, 100, std::exp(-1.0)), 0.4, 1e-15);
  EXPECT_NEAR(TruncatedMeanThreshold(1.0, 2.0, 9, std::exp(-1.0)), 3.0, 1e-14);
  // The Bernstein radius solves s^2 = 2 L (w + a s / 3), L = log(2 / delta).
  const double w = 3.0, a = 2.0, delta = 1e-3, s = VectorBernsteinRadius(w, a, delta);
  const double log_term = std::log(2.0 / delta);
  EXPECT_NEAR(s * s, 2.0 * log_term * (w + a * s / 3.0), 1e-9 * s * s);
  // PS-Clip estimator, n = 1, sharp, p = 2, sigma = c = 1, mu = 0: B = C_2 = 1/4, V = 1.
  const PsClipEstimatorMoments m = PsClipEstimatorBounds({1.0, 2.0, 1.0, 2.0, 1, 0.0});
  EXPECT_DOUBLE_EQ(m.bias, 0.25);
  EXPECT_DOUBLE_EQ(m.variance, 1.0);
  EXPECT_DOUBLE_EQ(m.max_centered_norm, 2.0);
  EXPECT_DOUBLE_EQ(PsClipEstimatorHighProbabilityBound({1.0, 2.0, 1.0, 2.0, 1, 0.0}, delta),
                   0.25 + VectorBennettRadius(1.0, 2.0, delta));
  // PS-Clip-SGD: L = 2, Delta = 3, eta = 1/2, T = 6, n = 1 as above: 2 Delta/(eta T) = 2,
  // B^2 + L eta V = 1/16 + 1.
  PsClipSgdSetting sgd;
  sgd.L = 2.0;
  sgd.Delta = 3.0;
  sgd.sigma = 1.0;
  sgd.p = 2.0;
  sgd.gradient_bound = 0.0;
  sgd.step = 0.5;
  sgd.batch = 1;
  sgd.iterations = 6;
  sgd.clip_scale = 1.0;
  sgd.clip_power = 2.0;
  EXPECT_DOUBLE_EQ(PsClipSgdExpectationBound(sgd).value, std::sqrt(2.0 + 1.0 / 16 + 1.0));
  const double r = VectorBennettRadius(1.0, 2.0, delta / 12);
  const double q = std::min(r * r, 1.0 + FreedmanRadius(6 * r * r, r * r, delta / 2) / 6);
  EXPECT_DOUBLE_EQ(PsClipSgdHighProbabilityBound(sgd, delta).value,
                   std::sqrt(2.0 + (0.25 + std::sqrt(q)) * (0.25 + std::sqrt(q))));
}

TEST(TheoryBounds, BennettRadiusSolvesItsEquation) {
  const auto h = [](double u) { return (1 + u) * std::log1p(u) - u; };
  for (double w : {1e-3, 1.0, 50.0}) {
    for (double a : {0.01, 1.0, 30.0}) {
      for (double log_term : {0.1, 3.0, 20.0}) {
        const double s = BennettRadius(w, a, log_term);
        EXPECT_NEAR(w / (a * a) * h(a * s / w), log_term, 1e-9 * log_term);
        // Never above the Bernstein form it is bracketed by.
        const double linear = a * log_term / 3;
        EXPECT_LE(s, (linear + std::sqrt(linear * linear + 2 * w * log_term)) * (1 + 1e-12));
      }
    }
  }
  EXPECT_DOUBLE_EQ(BennettRadius(2.0, 0.0, 3.0), std::sqrt(12.0));  // Gaussian limit
  EXPECT_EQ(BennettRadius(0.0, 1.0, 3.0), 0.0);
  EXPECT_DOUBLE_EQ(FreedmanRadius(2.0, 1.0, 0.01), BennettRadius(2.0, 1.0, std::log(100.0)));
}

TEST(TheoryBoundsDeathTest, StepAboveOneOverLIsRefused) {
  PsClipSgdSetting sgd;
  sgd.L = 2.0;
  sgd.step = 0.6;  // > 1/L: outside the derivation
  EXPECT_DEATH(PsClipSgdExpectationBound(sgd), "step <= 1/L");
  EXPECT_DEATH(SadievClipBiasBound(1.0, 2.5, 1.0), "p in \\(1, 2\\]");
}

}  // namespace
}  // namespace clipsim::theory
