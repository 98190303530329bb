// The uniform law (kind=uniform): the bounded noise of the theorems that assume noise bounded
// almost surely. Its text form, its exact facts (tail index, mean, the closed form in dimension 1,
// the exact even moments) against independent references (textbook integrals, Boost quadrature),
// the numerical moments of vectors against them, the draws (bounded, prefix-consistent, one
// generator draw per value) and one KS test of the law at a fixed seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/stats/ks_test.hpp"
#include "common/expect_input_error.hpp"

namespace clipsim::noise {
namespace {

std::unique_ptr<NoiseModel> Make(const std::string& text) {
  return MakeNoise(ParseNoiseSpec(text));
}

TEST(UniformNoise, TextFormRoundTripsAndRefusesWhatTheKindLacks) {
  const NoiseSpec s = ParseNoiseSpec("kind=uniform,scale=2,loc=0.5");
  EXPECT_EQ(s.kind, NoiseKind::kUniform);
  EXPECT_EQ(s.scale, 2.0);
  EXPECT_EQ(s.loc, 0.5);
  EXPECT_EQ(FormatNoiseSpec(s), "kind=uniform,scale=2,loc=0.5");
  EXPECT_EQ(FormatNoiseSpec(ParseNoiseSpec("kind=uniform")), "kind=uniform,scale=1");
  EXPECT_TRUE(ParseNoiseSpec(FormatNoiseSpec(s)) == s);
  EXPECT_EQ(NoiseKindFromString("uniform"), NoiseKind::kUniform);
  EXPECT_EQ(ToString(NoiseKind::kUniform), "uniform");
  testing::ExpectInputError([] { ParseNoiseSpec("kind=uniform,alpha=1.5"); }, {"alpha"});
  testing::ExpectInputError([] { ParseNoiseSpec("kind=uniform,shape=radial"); }, {"shape"});
  testing::ExpectInputError([] { ParseNoiseSpec("kind=uniform,scale=0"); }, {"scale"});
  testing::ExpectInputError([] { ParseNoiseSpec("kind=uniform,scale=-1"); }, {"scale"});
}

TEST(UniformNoise, FactsAreExact) {
  const auto u = Make("kind=uniform,scale=3,loc=-0.25");
  EXPECT_EQ(u->TailIndex(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(u->Mean(), -0.25);
  // E|X|^p = scale^p / (p + 1) with loc = 0 in dimension 1 (closed form, exact).
  for (double p : {0.5, 1.0, 1.5, 2.0, 3.7}) {
    const MomentValue m = Make("kind=uniform,scale=3")->Moment(p, 1);
    EXPECT_TRUE(m.exact);
    EXPECT_NEAR(m.value, std::pow(3.0, p) / (p + 1.0), 1e-13 * m.value) << p;
  }
  // Even p in any dimension: exact polynomials. E||X||^2 = d (scale^2 / 3 + loc^2);
  // E||X||^4 = d E X^4 + d (d - 1) (E X^2)^2 with E X^4 = loc^4 + 2 loc^2 scale^2 + scale^4 / 5.
  const double s = 3.0, l = -0.25, d = 4;
  const double m2 = s * s / 3.0 + l * l;
  const double m4 = l * l * l * l + 2.0 * l * l * s * s + s * s * s * s / 5.0;
  const MomentValue two = u->Moment(2.0, 4);
  const MomentValue four = u->Moment(4.0, 4);
  EXPECT_TRUE(two.exact);
  EXPECT_TRUE(four.exact);
  EXPECT_NEAR(two.value, d * m2, 1e-12 * d * m2);
  EXPECT_NEAR(four.value, d * m4 + d * (d - 1) * m2 * m2, 1e-12 * four.value);
}

// The numerical moments (iid_moment with the uniform density) against independent
// references: the closed form in dimension 1 (also with loc, where the interval may straddle 0),
// the mean distance of the square [-1, 1]^2 from its centre, (sqrt(2) + asinh(1)) / 3, and a
// nested Boost tanh-sinh quadrature of E||X||^1.5 on the square.
TEST(UniformNoise, NumericalMomentsMatchIndependentReferences) {
  const auto abs_moment = [](double loc, double scale, double p) {
    const double hi = loc + scale, lo = loc - scale;
    const double a = std::pow(std::abs(hi), p + 1.0), b = std::pow(std::abs(lo), p + 1.0);
    return (lo >= 0.0 || hi <= 0.0 ? std::abs(a - b) : a + b) / (2.0 * scale * (p + 1.0));
  };
  struct Case {
    double loc, scale, p;
  };
  for (const Case& c : {Case{0.5, 1.0, 1.5}, Case{2.0, 0.5, 1.3}, Case{0.0, 2.0, 1.1}}) {
    NoiseSpec spec = ParseNoiseSpec("kind=uniform");
    spec.loc = c.loc;
    spec.scale = c.scale;
    const MomentValue numeric = IntegratedIidMoment(spec, c.p, 1);
    const double exact = abs_moment(c.loc, c.scale, c.p);
    EXPECT_NEAR(numeric.value, exact, numeric.error_bound + 1e-9 * exact) << c.loc << " " << c.p;
  }
  const MomentValue one = Make("kind=uniform")->Moment(1.0, 2);
  EXPECT_FALSE(one.exact);
  const double mean_distance = (std::sqrt(2.0) + std::asinh(1.0)) / 3.0;
  EXPECT_NEAR(one.value, mean_distance, one.error_bound + 1e-9);
  boost::math::quadrature::tanh_sinh<double> q;
  const double ref = q.integrate(
      [&q](double x) {
        return q.integrate([x](double y) { return std::pow(x * x + y * y, 0.75); }, 0.0, 1.0);
      },
      0.0, 1.0);
  const MomentValue m = Make("kind=uniform,scale=2")->Moment(1.5, 2);
  EXPECT_NEAR(m.value, std::pow(2.0, 1.5) * ref, m.error_bound + 1e-8 * m.value);
  // sigma(p) is the root of the moment.
  EXPECT_NEAR(Make("kind=uniform,scale=2")->Sigma(1.5, 2), std::pow(m.value, 1.0 / 1.5), 1e-12);
}

TEST(UniformNoise, DrawsAreBoundedPrefixConsistentAndOneDrawPerValue) {
  const auto u = Make("kind=uniform,scale=0.5,loc=1");
  Rng a = MakeRng({7, 1});
  std::vector<double> all(1000);
  u->Fill(a, all);
  for (double x : all) {
    EXPECT_GT(x, 0.5);
    EXPECT_LT(x, 1.5);
  }
  Rng b = MakeRng({7, 1});
  std::vector<double> first(300), rest(700);
  u->Fill(b, first);
  u->Fill(b, rest);
  EXPECT_TRUE(std::equal(first.begin(), first.end(), all.begin()));
  EXPECT_TRUE(std::equal(rest.begin(), rest.end(), all.begin() + 300));
  // One generator draw per value: after n values the generator is n draws ahead.
  Rng c = MakeRng({7, 1});
  Rng d = MakeRng({7, 1});
  u->Fill(c, std::span<double>(first.data(), 17));
  d.discard(17);
  EXPECT_EQ(c(), d());
  Rng s1 = MakeRng({9, 1});
  Rng s2 = MakeRng({9, 1});
  double one = 0.0;
  u->Fill(s2, std::span<double>(&one, 1));
  EXPECT_EQ(u->Sample(s1), one) << "Sample() is Fill of one value";
  // A vector of dimension 3 with loc = 0 stays inside the ball of radius scale sqrt(3).
  const auto v = Make("kind=uniform,scale=2");
  Batch rows(500, 3);
  Rng e = MakeRng({8, 1});
  v->SampleBatch(e, rows);
  EXPECT_LT(rows.rowwise().norm().maxCoeff(), 2.0 * std::sqrt(3.0));
}

// The law itself: KS against the uniform CDF on (loc - scale, loc + scale) at a fixed seed
// (20000 draws; p-value above 0.01; the test is deterministic, its seed fixed).
TEST(UniformNoise, DrawsFollowTheUniformLaw) {
  const auto u = Make("kind=uniform,scale=2,loc=1");
  Rng rng = MakeRng({20261207, 3});
  std::vector<double> x(20000);
  u->Fill(rng, x);
  const stats::KsResult ks =
      stats::KsTest(x, [](double t) { return std::clamp((t + 1.0) / 4.0, 0.0, 1.0); });
  EXPECT_GT(ks.p_value, 0.01) << ks.statistic;
}

}  // namespace
}  // namespace clipsim::noise
