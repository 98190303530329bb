// Tests of the scalar laws' densities and expectations (noise/scalar_law.hpp): every density
// integrates to 1, E 1{X <= t} is each law's CDF (closed forms, Boost.Math, Nolan's integral for
// stable laws), E h(X) for a bounded h matches the sampler's draws within 6 standard errors
// (false-alarm rate about 2e-9 per check by the CLT), and a spec with another scale fails that
// check (the broken twin).
#include "clipsim/noise/scalar_law.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/stable_distribution.hpp"

namespace clipsim::noise {
namespace {

const std::vector<const char*>& Laws() {
  static const std::vector<const char*> laws = {
      "kind=gaussian,scale=0.7,loc=0.2",
      "kind=student_t,dof=1.5,scale=0.5",
      "kind=student_t,dof=4,scale=2,loc=-1",
      "kind=pareto,tail=1.5,scale=0.3",
      "kind=pareto,tail=0.8,scale=0.4,shape=radial",
      "kind=stable,alpha=1.5,skew=0.5,scale=0.4",
      "kind=stable,alpha=0.7,skew=-0.3,scale=1.5,loc=0.5",
      "kind=contaminated,scale=0.2,eps=0.1,other=[kind=student_t,dof=1]",
      "kind=lomax,tail=1.5,scale=0.5,loc=0.1",
      "kind=uniform,scale=0.3,loc=-0.2",
  };
  return laws;
}

TEST(ScalarLaw, DensitiesIntegrateToOne) {
  for (const char* text : Laws()) {
    const NoiseSpec spec = ParseNoiseSpec(text);
    const ScalarEstimate one = ScalarExpectation(spec, [](double) { return 1.0; });
    EXPECT_NEAR(one.value, 1.0, 1e-9) << text;
    std::printf("%s: integral of the density %.12f (error estimate %.1e)\n", text, one.value,
                one.error);
  }
}

// The two-point law has atoms, no density: its expectations are the exact two-term sum, and its
// density (and that of a mixture with it) is refused rather than returned as 0.
TEST(ScalarLaw, TwoPointExpectationsAreExactSums) {
  const NoiseSpec spec = ParseNoiseSpec("kind=two_point,atom=3,scale=2,loc=0.5");
  // Atoms loc + 2 * 3 = 6.5 with probability 1/10 and loc - 2/3 otherwise.
  EXPECT_DOUBLE_EQ(ScalarExpectation(spec, [](double) { return 1.0; }).value, 1.0);
  EXPECT_NEAR(ScalarExpectation(spec, [](double x) { return x; }).value, 0.5, 1e-15);
  EXPECT_NEAR(ScalarExpectation(spec, [](double x) { return (x - 0.5) * (x - 0.5); }).value, 4.0,
              1e-14);
  EXPECT_NEAR(ScalarExpectation(spec, [](double x) { return x > 1.0 ? 1.0 : 0.0; }).value, 0.1,
              1e-15);
  EXPECT_THROW(ScalarPdf(spec, 0.5), InputError);
  EXPECT_THROW(
      ScalarExpectation(ParseNoiseSpec("kind=contaminated,eps=0.1,other=[kind=two_point,atom=2]"),
                        [](double) { return 1.0; }),
      InputError);
}

TEST(ScalarLaw, ExpectationOfAnIndicatorIsTheCdf) {
  for (double t : {-2.5, -0.31, 0.0, 0.4, 3.0}) {
    const double cuts[] = {t};
    const auto below = [t](double x) { return x <= t ? 1.0 : 0.0; };
    // Student-t: Boost.Math's CDF of (t - loc) / scale.
    const NoiseSpec st = ParseNoiseSpec("kind=student_t,dof=4,scale=2,loc=-1");
    EXPECT_NEAR(
        ScalarExpectation(st, below, cuts).value,
        boost::math::cdf(boost::math::students_t_distribution<double>(4.0), (t + 1.0) / 2.0), 1e-9);
    // Symmetric Pareto: P(X <= t) = (1/2) (scale / |t|)^tail for t <= -scale, 1/2 inside.
    const NoiseSpec pa = ParseNoiseSpec("kind=pareto,tail=1.5,scale=0.3");
    const double pareto = t <= -0.3 ? 0.5 * std::pow(0.3 / -t, 1.5)
                          : t < 0.3 ? 0.5
                                    : 1.0 - 0.5 * std::pow(0.3 / t, 1.5);
    EXPECT_NEAR(ScalarExpectation(pa, below, cuts).value, pareto, 1e-9) << "t=" << t;
    // Stable: Nolan's integral.
    const NoiseSpec sb = ParseNoiseSpec("kind=stable,alpha=1.5,skew=0.5,scale=0.4");
    const StableLaw stable{1.5, 0.5, 0.4, 0.0};
    EXPECT_NEAR(ScalarExpectation(sb, below, cuts).value, stable.Cdf(t), 1e-8);
  }
}

TEST(ScalarLaw, BoundedExpectationsMatchTheSampler) {
  const int n = 200000;
  const auto h = [](double x) { return std::min(x * x, 1.0) + (x > 0.1 ? 0.5 : 0.0); };
  const double cuts[] = {-1.0, 0.1, 1.0};
  for (const char* text : Laws()) {
    const NoiseSpec spec = ParseNoiseSpec(text);
    const double exact = ScalarExpectation(spec, h, cuts).value;
    const auto model = MakeNoise(spec);
    Rng rng = MakeRng({21, static_cast<std::uint64_t>(Stream::kTest)});  // seed 21
    double sum = 0.0;
    double sum2 = 0.0;
    for (int i = 0; i < n; ++i) {
      const double v = h(model->Sample(rng));
      sum += v;
      sum2 += v * v;
    }
    const double mean = sum / n;
    const double se = std::sqrt((sum2 / n - mean * mean) / n);
    EXPECT_LT(std::abs(mean - exact), 6 * se) << text << ": " << exact << " vs draws " << mean;
    NoiseSpec twin = spec;
    twin.scale *= 1.3;  // the broken twin: the same law at another scale
    const double wrong = ScalarExpectation(twin, h, cuts).value;
    EXPECT_GT(std::abs(mean - wrong), 6 * se) << text << ": the twin went unnoticed";
  }
}

TEST(ScalarLaw, DensityValuesAndRefusal) {
  EXPECT_NEAR(ScalarPdf(ParseNoiseSpec("kind=gaussian,scale=2"), 0.0),
              1.0 / (2.0 * std::sqrt(2.0 * 3.141592653589793)), 1e-15);
  EXPECT_EQ(ScalarPdf(ParseNoiseSpec("kind=pareto,tail=2,scale=1"), 0.5), 0.0);
  EXPECT_NEAR(ScalarPdf(ParseNoiseSpec("kind=pareto,tail=2,scale=1"), -2.0), 0.5 * 2 / 8.0, 1e-15);
  NoiseSpec bad;
  bad.scale = -1.0;
  EXPECT_THROW(ScalarPdf(bad, 0.0), InputError);
}

}  // namespace
}  // namespace clipsim::noise
