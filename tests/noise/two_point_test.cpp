// The two-point law (kind two_point, noise/src/two_point_noise.cpp): its exact facts (mean 0,
// variance scale^2, skewness h - 1/h, every moment finite, E||X||^p by the binomial sum) against
// the independent numerical moments and Monte Carlo; the sampler against the exact law (the count
// of the positive atom by an exact binomial test, and the KS distance to the exact CDF within the
// DKW band);
// the documented draw order; and the spec's parsing errors. Deterministic (fixed test seeds);
// each statistical check is one test at level 1e-4, so a correct sampler fails one with
// probability 1e-4.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/stats/ks_test.hpp"
#include "common/expect_input_error.hpp"

namespace clipsim::noise {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::unique_ptr<NoiseModel> Make(const std::string& text) {
  return MakeNoise(ParseNoiseSpec(text));
}

Rng TestRng(std::uint64_t i) {
  return MakeRng({static_cast<std::uint64_t>(Stream::kTest), 0x2b0, i});
}

// P(X <= x) of loc + scale T.
double TwoPointCdf(double x, double atom, double scale, double loc) {
  const double q = 1.0 / (1.0 + atom * atom);
  if (x < loc - scale / atom) return 0.0;
  if (x < loc + scale * atom) return 1.0 - q;
  return 1.0;
}

// sup_x |F_n(x) - F(x)| against the two-point CDF with these parameters, over the sample's
// points and their left limits (every jump of either CDF is at a sample point or an atom).
double KsDistance(const std::vector<double>& sample, double atom, double scale, double loc) {
  std::vector<double> points = sample;
  points.push_back(loc - scale / atom);
  points.push_back(loc + scale * atom);
  std::vector<double> sorted = sample;
  std::sort(sorted.begin(), sorted.end());
  const double n = static_cast<double>(sorted.size());
  double d = 0.0;
  for (double x : points) {
    const double at =
        static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin()) / n;
    const double below =
        static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin()) / n;
    d = std::max(d, std::abs(at - TwoPointCdf(x, atom, scale, loc)));
    d = std::max(d, std::abs(below - TwoPointCdf(std::nextafter(x, -kInf), atom, scale, loc)));
  }
  return d;
}

TEST(TwoPoint, ExactFacts) {
  const auto x = Make("kind=two_point,atom=3,scale=2");
  EXPECT_EQ(x->TailIndex(), kInf);
  EXPECT_EQ(x->Mean(), 0.0);
  EXPECT_EQ(Make("kind=two_point,atom=3,loc=-0.5")->Mean(), -0.5);
  // E X^2 = scale^2 (the variance, loc = 0), in every dimension d: d scale^2.
  EXPECT_NEAR(x->Moment(2.0, 1).value, 4.0, 1e-14);
  EXPECT_NEAR(x->Moment(2.0, 5).value, 20.0, 1e-12);
  EXPECT_NEAR(x->Sigma(2.0, 1), 2.0, 1e-14);
  // Dimension 1: q (scale h)^p + (1 - q) (scale / h)^p, q = 1/10.
  EXPECT_NEAR(x->Moment(1.0, 1).value, 0.1 * 6.0 + 0.9 * (2.0 / 3.0), 1e-14);
  EXPECT_NEAR(x->Moment(3.0, 1).value, 0.1 * 216.0 + 0.9 * 8.0 / 27.0, 1e-12);
  EXPECT_TRUE(x->Moment(1.5, 4).exact);
  EXPECT_THROW(x->Moment(0.0, 1), InputError);
  EXPECT_THROW(x->Moment(1.0, 0), InputError);
  // atom = 1 is the symmetric Rademacher law: |X| = scale always.
  const auto r = Make("kind=two_point,atom=1,scale=0.7");
  EXPECT_NEAR(r->Moment(1.3, 1).value, std::pow(0.7, 1.3), 1e-14);
  EXPECT_NEAR(r->Moment(1.0, 4).value, 0.7 * 2.0, 1e-13);  // ||X|| = scale sqrt(4)
}

// The binomial sum against the numerical integration of noise/src/iid_moment (which sees
// the law only through its one-coordinate integrals), with and without loc.
TEST(TwoPoint, ClosedFormMomentsMatchTheIndependentIntegration) {
  for (const char* text : {"kind=two_point,atom=2", "kind=two_point,atom=4,scale=0.5",
                           "kind=two_point,atom=1.5,loc=0.3", "kind=two_point,atom=1"}) {
    const auto model = Make(text);
    for (int dim : {1, 2, 5, 10}) {
      for (double p : {0.5, 1.0, 1.4, 2.0, 3.0}) {
        const MomentValue closed = model->Moment(p, dim);
        const MomentValue integrated = IntegratedIidMoment(model->spec(), p, dim);
        EXPECT_NEAR(closed.value, integrated.value, 1e-7 * closed.value + integrated.error_bound)
            << text << " dim " << dim << " p " << p;
      }
    }
  }
}

TEST(TwoPoint, MonteCarloMomentsAndSkew) {
  const auto x = Make("kind=two_point,atom=2,scale=1.5");
  Rng rng = TestRng(1);
  const std::size_t n = 400000;
  std::vector<double> v(n);
  x->Fill(rng, v);
  double m1 = 0.0, m2 = 0.0, m3 = 0.0;
  for (double a : v) {
    m1 += a;
    m2 += a * a;
    m3 += a * a * a;
  }
  m1 /= n;
  m2 /= n;
  m3 /= n;
  // sd of one draw: 1.5; of X^2: scale^2 sqrt(E T^4 - 1) with E T^4 = h^2 - 1 + 1/h^2 = 3.25.
  EXPECT_NEAR(m1, 0.0, 5.0 * 1.5 / std::sqrt(n));
  EXPECT_NEAR(m2, 2.25, 5.0 * 2.25 * std::sqrt(2.25) / std::sqrt(n));
  // Skewness E T^3 = h - 1/h = 1.5, so E X^3 = 1.5^3 * 1.5.
  EXPECT_NEAR(m3, 1.5 * 1.5 * 1.5 * 1.5, 0.1);
}

// The count of the positive atom is Binomial(n, q) exactly: two-sided exact p-value above 1e-4.
// The KS distance to the exact CDF within the DKW band at false-alarm rate 1e-4.
TEST(TwoPoint, SamplerHasTheExactLaw) {
  for (const char* text : {"kind=two_point,atom=2", "kind=two_point,atom=8,scale=0.25,loc=1",
                           "kind=two_point,atom=1"}) {
    const auto model = Make(text);
    const NoiseSpec& s = model->spec();
    Rng rng = TestRng(2);
    const std::size_t n = 100000;
    std::vector<double> v(n);
    model->Fill(rng, v);
    const double high = s.loc + s.scale * s.atom;
    const double low = s.loc - s.scale / s.atom;
    std::size_t k = 0;
    for (double a : v) {
      ASSERT_TRUE(a == high || a == low) << text << ": " << a;
      k += a == high ? 1 : 0;
    }
    const double q = 1.0 / (1.0 + s.atom * s.atom);
    const boost::math::binomial_distribution<double> law(static_cast<double>(n), q);
    const double lower_tail = boost::math::cdf(law, static_cast<double>(k));
    const double upper_tail = k == 0 ? 1.0 : boost::math::cdf(complement(law, k - 1.0));
    EXPECT_GT(2.0 * std::min(lower_tail, upper_tail), 1e-4) << text << ": " << k << " of " << n;
    // sup_x |F_n(x) - F(x)| of the exact (right-continuous) CDFs: both are 0 below the low atom
    // and 1 from the high one, so the distance is taken at the low atom. The KS p-value of
    // ks_test.hpp assumes a continuous F; the DKW band holds for every law (Massart 1990).
    const double d = KsDistance(v, s.atom, s.scale, s.loc);
    EXPECT_LT(d, stats::DkwHalfWidth(n, 1e-4)) << text;
  }
  // The distance does see a wrong law: atom 2 judged against the CDF of atom 3.
  const auto model = Make("kind=two_point,atom=2");
  Rng rng = TestRng(3);
  std::vector<double> v(2000);
  model->Fill(rng, v);
  EXPECT_GT(KsDistance(v, 3.0, 1.0, 0.0), stats::DkwHalfWidth(v.size(), 1e-6));
}

TEST(TwoPoint, DrawOrderIsAsDocumented) {
  const auto model = Make("kind=two_point,atom=2,scale=3,loc=0.5");
  Rng rng = TestRng(4);
  Rng raw = TestRng(4);
  std::vector<double> v(1000);
  model->Fill(rng, v);
  for (double a : v) {
    const double u = UniformOpen01(raw());
    EXPECT_EQ(a, u < 0.2 ? 0.5 + 6.0 : 0.5 - 1.5);
  }
  EXPECT_TRUE(rng == raw);
  Rng whole_rng = TestRng(5);
  Rng parts_rng = TestRng(5);
  std::vector<double> whole(300), parts(300);
  model->Fill(whole_rng, whole);
  model->Fill(parts_rng, std::span<double>(parts.data(), 7));
  for (std::size_t i = 7; i < parts.size(); ++i) parts[i] = model->Sample(parts_rng);
  EXPECT_EQ(whole, parts);
  Rng b1 = TestRng(6), b2 = TestRng(6);
  Batch batch(40, 3);
  model->SampleBatch(b1, batch);
  std::vector<double> flat(120);
  model->Fill(b2, flat);
  for (int i = 0; i < 40; ++i) {
    for (int j = 0; j < 3; ++j) EXPECT_EQ(batch(i, j), flat[static_cast<std::size_t>(3 * i + j)]);
  }
}

TEST(TwoPoint, SpecParsesFormatsAndRefuses) {
  const NoiseSpec s = ParseNoiseSpec("kind=two_point,atom=4,scale=0.5");
  EXPECT_EQ(s.kind, NoiseKind::kTwoPoint);
  EXPECT_EQ(s.atom, 4.0);
  EXPECT_EQ(FormatNoiseSpec(s), "kind=two_point,atom=4,scale=0.5");
  EXPECT_TRUE(ParseNoiseSpec(FormatNoiseSpec(s)) == s);
  EXPECT_FALSE(s == ParseNoiseSpec("kind=two_point,atom=4.5,scale=0.5"));
  EXPECT_EQ(NoiseKindFromString("two_point"), NoiseKind::kTwoPoint);
  using testing::ExpectInputError;
  ExpectInputError([] { ParseNoiseSpec("kind=two_point,atom=0.5"); },
                   {"'atom' = 0.5", ">= 1", "units of scale"});
  ExpectInputError([] { ParseNoiseSpec("kind=two_point,atom=inf"); }, {"'atom' = inf", "number"});
  ExpectInputError([] { ParseNoiseSpec("kind=two_point,atom=x2"); }, {"'atom' = x2", ">= 1"});
  ExpectInputError([] { ParseNoiseSpec("kind=two_point,scale=0"); }, {"'scale' = 0", "> 0"});
  ExpectInputError([] { ParseNoiseSpec("kind=two_point,alpha=1.5"); },
                   {"'alpha'", "not a key of kind two_point", "atom, scale, loc, shape"});
  ExpectInputError([] { ParseNoiseSpec("kind=gaussian,atom=2"); },
                   {"'atom'", "not a key of kind gaussian"});
  ExpectInputError([] { ParseNoiseSpec("kind=two_point,shape=radial"); },
                   {"'shape' = radial", "iid (its only shape)"});
  ExpectInputError(
      [] { ParseNoiseSpec("kind=contaminated,eps=0.1,other=[kind=two_point,atom=0]"); },
      {"'other.atom' = 0", ">= 1"});
}

}  // namespace
}  // namespace clipsim::noise
