// Tests of the risk ODE (dynamics/risk_ode.hpp) and its inputs: the Boost.Odeint solution against
// the closed form of unclipped SGD with identity covariance (and a wrong-factor twin that must
// miss it), the power-law instance (Tr K exact, R(x0) = risk0), a stable and an unstable step,
// SGD under label noise of infinite variance, clipping that keeps that risk finite, the run
// description's refusals, and the parsing of the canonical problem text.
#include "clipsim/dynamics/risk_ode.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/dynamics/run_ode.hpp"
#include "clipsim/dynamics/streaming_lsq.hpp"

namespace clipsim::dynamics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> Times(double last) {
  std::vector<double> t = {0.0};
  for (double k = 1.0; k < last; k *= 1.5) t.push_back(std::round(k));
  t.push_back(last);
  return t;
}

TEST(StreamingLsq, PowerLawSpectrumAndTarget) {
  const StreamingLsqSpec spec{1000, 0.5, 2.0, 0.7};
  const std::vector<double> lambda = PowerLawSpectrum(spec);
  EXPECT_NEAR(std::accumulate(lambda.begin(), lambda.end(), 0.0), 2.0, 1e-12);
  EXPECT_NEAR(lambda[0] / lambda[99], 10.0, 1e-12);  // (100 / 1)^0.5
  const double m = TargetMagnitude(spec);
  double r0 = 0.0;
  for (double l : lambda) r0 += 0.5 * l * m * m;
  EXPECT_NEAR(r0, 0.7, 1e-12);
  double h = 0.0;
  for (int i = 1; i <= 1000; ++i) h += std::pow(i, -0.5);
  EXPECT_NEAR(IntrinsicDimension(spec), h, 1e-9);
  const auto parsed = StreamingLsqFromText(
      "kind=streaming_least_squares,dim=1000,instance=3,power=0.5,trace=2,risk0=0.7");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->dim, 1000);
  EXPECT_EQ(parsed->trace, 2.0);
  EXPECT_FALSE(StreamingLsqFromText("kind=quadratic,dim=10").has_value());
  EXPECT_THROW(StreamingLsqFromText("kind=streaming_least_squares,dim=10,power=x"), InputError);
}

// K = lambda I (power 0), unclipped, Gaussian noise: the closed form of risk_ode.hpp. The solver
// must match it to 1e-6 relative at every time; the twin with nu x 1.05 must not.
TEST(RiskOde, UnclippedIsotropicClosedForm) {
  for (const auto& [eta, trace] : {std::pair{0.5, 1.0}, std::pair{1.5, 1.0}, std::pair{0.1, 4.0}}) {
    const StreamingLsqSpec spec{200, 0.0, trace, 1.3};
    ClipSetting clip;
    clip.noise = noise::ParseNoiseSpec("kind=gaussian,scale=0.4");
    RiskOde ode = StreamingLsqOde(spec, clip, eta);
    const std::vector<double> t = Times(40000.0);
    const RiskPrediction p = SolveRiskOde(ode, t);
    ASSERT_FALSE(p.diverged);
    double worst = 0.0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      const double exact = UnclippedIsotropicRisk(trace / 200, 200, eta, 0.16, 1.3, t[i]);
      worst = std::max(worst, std::abs(p.risk[i] - exact) / exact);
      EXPECT_DOUBLE_EQ(p.mu[i], 1.0);
      EXPECT_NEAR(p.ccc[i], 1.0, 1e-12);
    }
    std::printf("eta %.2f, Tr K %.1f: worst relative error vs the closed form %.3g\n", eta, trace,
                worst);
    EXPECT_LT(worst, 1e-6);
    ode.nu_factor = 1.05;
    const RiskPrediction twin = SolveRiskOde(ode, t);
    const double exact_end = UnclippedIsotropicRisk(trace / 200, 200, eta, 0.16, 1.3, t.back());
    EXPECT_GT(std::abs(twin.risk.back() - exact_end) / exact_end, 1e-2);
  }
}

TEST(RiskOde, UnstableStepDivergesAndClippingStabilizesHeavyTails) {
  const StreamingLsqSpec spec{100, 0.0, 1.0, 1.0};
  ClipSetting clip;
  clip.noise = noise::ParseNoiseSpec("kind=gaussian,scale=0.1");
  const RiskPrediction unstable = SolveRiskOde(StreamingLsqOde(spec, clip, 2.5), Times(1e6));
  EXPECT_TRUE(unstable.diverged) << "eta Tr K = 2.5 > 2 must diverge";
  EXPECT_EQ(unstable.risk.back(), kInf);
  EXPECT_EQ(UnclippedIsotropicRisk(0.01, 100, 2.5, 0.01, 1.0, 1e6), kInf);

  clip.noise = noise::ParseNoiseSpec("kind=student_t,dof=1.5,scale=0.5");
  const RiskPrediction sgd = SolveRiskOde(StreamingLsqOde(spec, clip, 0.5), Times(1000));
  EXPECT_TRUE(sgd.diverged);
  EXPECT_EQ(sgd.risk.back(), kInf);
  EXPECT_NEAR(sgd.risk.front(), 1.0, 1e-12);  // the start is known
  clip.rule = ThresholdRule::kFixed;
  clip.parameter = 0.5;
  const RiskPrediction clipped = SolveRiskOde(StreamingLsqOde(spec, clip, 0.5), Times(4000));
  EXPECT_FALSE(clipped.diverged);
  EXPECT_LT(clipped.risk.back(), 0.2);
  EXPECT_EQ(clipped.ccc.back(), kInf);  // E eps^2 = inf: clipping is infinitely better
}

TEST(RiskOde, RunDescriptionBuildsTheOdeOrRefuses) {
  RunDescription d;
  d.problem = "kind=streaming_least_squares,dim=50,instance=0,power=0.5,trace=1,risk0=1";
  d.noise = "kind=gaussian,scale=0.5";
  d.method = "clip_sgd";
  d.eta = 0.5;
  d.clip_threshold = 0.7;
  const RiskOde ode = RunRiskOde(d);
  EXPECT_EQ(ode.clip.rule, ThresholdRule::kFixed);
  EXPECT_EQ(ode.spectrum.size(), 50u);
  EXPECT_NEAR(ode.start[7], 1.0, 1e-15);  // risk0 / trace
  d.clip_threshold = kInf;
  EXPECT_EQ(RunRiskOde(d).clip.rule, ThresholdRule::kNone);
  RunDescription bad = d;
  bad.batch_size = 4;
  EXPECT_THROW(RunRiskOde(bad), InputError);
  bad = d;
  bad.method = "ps_clip_sgd";
  EXPECT_THROW(RunRiskOde(bad), InputError);
  bad = d;
  bad.schedule = "polynomial";
  EXPECT_THROW(RunRiskOde(bad), InputError);
  bad = d;
  bad.problem = "kind=quadratic,dim=50";
  EXPECT_THROW(RunRiskOde(bad), InputError);
  RiskOde wrong = ode;
  wrong.start.pop_back();
  EXPECT_THROW(SolveRiskOde(wrong, std::vector<double>{1.0}), InputError);
}

}  // namespace
}  // namespace clipsim::dynamics
