// Exact facts of the noise models, deterministic: tail indices, means, +infinity moments at and
// beyond the tail index, closed forms against independent references (Boost.Math distributions
// and quadrature, textbook special cases), and the closed forms against the numerical integration
// of noise/src/iid_moment.hpp where both exist. The Monte Carlo checks are in
// moments_slow_test.cpp.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/noise/stable_distribution.hpp"
#include "common/expect_input_error.hpp"

namespace clipsim::noise {
namespace {

constexpr double kPi = 3.141592653589793238462643383279502884;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::unique_ptr<NoiseModel> Make(const std::string& text) {
  return MakeNoise(ParseNoiseSpec(text));
}

// E|X|^p of a density f on the real line by Boost exp-sinh quadrature on both half-lines.
template <class F>
double AbsMomentByQuadrature(F f, double p) {
  boost::math::quadrature::exp_sinh<double> q;
  const auto right = [&](double x) { return std::pow(x, p) * f(x); };
  const auto left = [&](double x) { return std::pow(x, p) * f(-x); };
  return q.integrate(right, 1e-12) + q.integrate(left, 1e-12);
}

// E|T + c|^p for standard S1 stable T, from its characteristic function by the von Bahr-Esseen
// (1965) formula E|Y|^p = (2/pi) Gamma(p+1) sin(pi p/2) int_0^inf (1 - Re cf_Y(t)) t^(-p-1) dt
// (0 < p < 2), in long double: a representation independent of the library's.
double StableAbsMomentByCf(double alpha, double skew, double c, double p) {
  const long double tan_term = alpha == 1.0 ? 0.0L : skew * std::tan(0.5L * kPi * alpha);
  const auto integrand = [=](long double t) -> long double {
    // Below 1e-300 the integrand ~ t^(alpha - 1 - p) contributes < 1e-300^(alpha - p) (the
    // cases keep alpha - p >= 0.3); skipping it avoids 0 * inf in long double.
    if (t < 1e-300L) return 0.0L;
    const long double a = std::pow(t, static_cast<long double>(alpha));
    const long double b =
        alpha == 1.0 ? -(2.0L / kPi) * skew * t * std::log(t) + c * t : tan_term * a + c * t;
    const long double h = std::sin(b / 2);
    return (-std::expm1(-a) + 2 * std::exp(-a) * h * h) * std::pow(t, -1.0L - p);
  };
  boost::math::quadrature::exp_sinh<long double> q;
  return static_cast<double>((2.0L / kPi) * std::tgamma(p + 1.0L) * std::sin(0.5L * kPi * p) *
                             q.integrate(integrand, 1e-15L));
}

TEST(NoiseFacts, TailIndexAndMean) {
  EXPECT_EQ(Make("kind=stable,alpha=1.5")->TailIndex(), 1.5);
  EXPECT_EQ(Make("kind=stable,alpha=2")->TailIndex(), kInf);
  EXPECT_EQ(Make("kind=pareto,tail=2.5")->TailIndex(), 2.5);
  EXPECT_EQ(Make("kind=student_t,dof=3")->TailIndex(), 3.0);
  EXPECT_EQ(Make("kind=gaussian")->TailIndex(), kInf);
  EXPECT_EQ(Make("kind=contaminated,eps=0.1,other=[kind=pareto,tail=1.5]")->TailIndex(), 1.5);
  EXPECT_EQ(Make("kind=contaminated,eps=0,other=[kind=pareto,tail=1.5]")->TailIndex(), kInf);

  // Mean zero wherever it exists, skewed stable with alpha > 1 included (S1 mean = loc).
  EXPECT_EQ(Make("kind=stable,alpha=1.5,skew=0.7")->Mean(), 0.0);
  EXPECT_EQ(Make("kind=stable,alpha=1.5,skew=0.7,loc=2")->Mean(), 2.0);
  EXPECT_FALSE(Make("kind=stable,alpha=1")->Mean());
  EXPECT_FALSE(Make("kind=stable,alpha=0.8,skew=1")->Mean());
  EXPECT_EQ(Make("kind=pareto,tail=1.5")->Mean(), 0.0);
  EXPECT_FALSE(Make("kind=pareto,tail=1")->Mean());
  EXPECT_EQ(Make("kind=student_t,dof=1.5")->Mean(), 0.0);
  EXPECT_FALSE(Make("kind=student_t,dof=1")->Mean());
  EXPECT_EQ(Make("kind=gaussian,loc=0.5")->Mean(), 0.5);
  EXPECT_EQ(Make("kind=contaminated,eps=0.1,other=[kind=student_t,dof=3,loc=2]")->Mean(), 0.2);
  EXPECT_FALSE(Make("kind=contaminated,eps=0.1,other=[kind=stable,alpha=0.9]")->Mean());
}

TEST(NoiseFacts, MomentIsInfiniteAtAndBeyondTheTailIndex) {
  const std::vector<std::string> specs = {
      "kind=stable,alpha=1.5",
      "kind=stable,alpha=1.5,skew=1",
      "kind=stable,alpha=1,skew=0.5",
      "kind=stable,alpha=0.5,shape=isotropic",
      "kind=pareto,tail=2.5",
      "kind=pareto,tail=2.5,shape=radial",
      "kind=student_t,dof=3",
      "kind=student_t,dof=3,loc=1",
      "kind=contaminated,eps=0.01,other=[kind=pareto,tail=1.2]"};
  for (const std::string& text : specs) {
    const auto model = Make(text);
    const double tail = model->TailIndex();
    for (int dim : {1, 3}) {
      EXPECT_EQ(model->Moment(tail, dim).value, kInf) << text << " p = tail, dim " << dim;
      EXPECT_EQ(model->Moment(tail + 0.5, dim).value, kInf) << text << " dim " << dim;
      EXPECT_EQ(model->Sigma(tail, dim), kInf) << text;
      EXPECT_TRUE(std::isfinite(model->Moment(0.5 * tail, dim).value)) << text << " dim " << dim;
    }
  }
  testing::ExpectInputError([] { Make("kind=gaussian")->Moment(0.0, 1); }, {"'p' = 0", "> 0"});
  testing::ExpectInputError([] { Make("kind=gaussian")->Moment(1.0, 0); }, {"'dim' = 0", ">= 1"});
}

// alpha = 2 is the Gaussian control: variance 2 scale^2 (S1), any dimension and shape.
TEST(NoiseFacts, StableAlphaTwoIsGaussianWithVarianceTwoScaleSquared) {
  for (const char* text :
       {"kind=stable,alpha=2,scale=1.5", "kind=stable,alpha=2,scale=1.5,skew=0.9",
        "kind=stable,alpha=2,scale=1.5,shape=isotropic"}) {
    const auto model = Make(text);
    EXPECT_NEAR(model->Moment(2.0, 1).value, 2.0 * 1.5 * 1.5, 1e-13) << text;
    EXPECT_NEAR(model->Moment(2.0, 7).value, 7 * 2.0 * 1.5 * 1.5, 1e-12) << text;
    EXPECT_TRUE(model->Moment(2.0, 7).exact);
    EXPECT_DOUBLE_EQ(model->Sigma(2.0, 1), std::sqrt(2.0) * 1.5) << text;
  }
  // And E|X|^p of N(0, 2 scale^2) for a non-integer p, against Boost's normal density.
  const boost::math::normal_distribution<double> normal(0.0, std::sqrt(2.0) * 1.5);
  const double reference = AbsMomentByQuadrature([&](double x) { return pdf(normal, x); }, 1.3);
  EXPECT_NEAR(Make("kind=stable,alpha=2,scale=1.5")->Moment(1.3, 1).value, reference, 1e-10);
}

TEST(NoiseFacts, GaussianAndStudentTAndParetoClosedForms) {
  // Gaussian: E||X||^p = scale^p 2^(p/2) Gamma((d + p)/2) / Gamma(d/2); p = 2 gives d scale^2.
  EXPECT_NEAR(Make("kind=gaussian,scale=3")->Moment(2.0, 5).value, 45.0, 1e-11);
  EXPECT_NEAR(Make("kind=gaussian,scale=3")->Moment(1.0, 1).value, 3.0 * std::sqrt(2.0 / kPi),
              1e-14);
  // Student-t against Boost's students_t density.
  const boost::math::students_t_distribution<double> t(3.5);
  const double t_ref = AbsMomentByQuadrature([&](double x) { return pdf(t, x); }, 1.7);
  EXPECT_NEAR(Make("kind=student_t,dof=3.5,scale=2")->Moment(1.7, 1).value,
              std::pow(2.0, 1.7) * t_ref, 1e-9 * t_ref);
  EXPECT_NEAR(Make("kind=student_t,dof=5")->Moment(2.0, 1).value, 5.0 / 3.0, 1e-12);
  // Pareto: scale^p tail / (tail - p), the same for radial vectors in any dimension.
  EXPECT_DOUBLE_EQ(Make("kind=pareto,tail=3,scale=2")->Moment(1.5, 1).value,
                   std::pow(2.0, 1.5) * 2.0);
  EXPECT_DOUBLE_EQ(Make("kind=pareto,tail=3,scale=2,shape=radial")->Moment(1.5, 10).value,
                   std::pow(2.0, 1.5) * 2.0);
}

// Samorodnitsky-Taqqu Property 1.2.17 against E|X|^p integrated over the stable density
// (Nolan's integral, stable_distribution.hpp) and against textbook special cases.
TEST(NoiseFacts, StableScalarClosedForm) {
  // Cauchy: E|X|^p = scale^p / cos(pi p / 2).
  EXPECT_NEAR(Make("kind=stable,alpha=1,scale=2")->Moment(0.5, 1).value,
              std::sqrt(2.0) / std::cos(kPi / 4), 1e-13);
  // Levy (alpha = 1/2, skew = 1): X = scale / Z^2, E X^p = scale^p 2^-p Gamma(1/2 - p) / sqrt(pi).
  const double levy = std::pow(3.0, 0.3) * std::pow(2.0, -0.3) * std::tgamma(0.2) / std::sqrt(kPi);
  EXPECT_NEAR(Make("kind=stable,alpha=0.5,skew=1,scale=3")->Moment(0.3, 1).value, levy,
              1e-12 * levy);
  // General (alpha, skew) against the characteristic-function formula.
  struct Case {
    double alpha, skew, p;
  };
  for (const Case c :
       {Case{1.5, 0.0, 0.9}, Case{1.5, 0.5, 0.7}, Case{1.2, -1.0, 0.6}, Case{0.8, 0.3, 0.4},
        Case{0.5, -0.7, 0.3}, Case{1.8, 1.0, 1.2}, Case{1.95, 0.2, 1.5}}) {
    const double reference = StableAbsMomentByCf(c.alpha, c.skew, 0.0, c.p);
    const std::string spec =
        "kind=stable,alpha=" + std::to_string(c.alpha) + ",skew=" + std::to_string(c.skew);
    const MomentValue m = Make(spec)->Moment(c.p, 1);
    EXPECT_TRUE(m.exact);
    EXPECT_NEAR(m.value, reference, 1e-10 * reference) << spec << " p " << c.p;
  }
  // And once against the stable density (Nolan's integral, stable_distribution.hpp), which ties
  // the moments to the parameterization the CDF tests pin down against scipy.
  const double by_density =
      AbsMomentByQuadrature([](double x) { return StablePdf(x, 1.5, 0.5); }, 0.7);
  EXPECT_NEAR(Make("kind=stable,alpha=1.5,skew=0.5")->Moment(0.7, 1).value, by_density,
              1e-6 * by_density);
}

// Isotropic: Gamma(1 - p/alpha) / Gamma(1 - p/2) E||G||^p. At d = 1 the law is the scalar
// symmetric stable law, so the two closed forms must agree (Legendre duplication).
TEST(NoiseFacts, IsotropicClosedFormMatchesScalarAtDimensionOne) {
  for (double alpha : {0.5, 1.0, 1.5, 1.9}) {
    for (double p : {0.1, 0.4, 0.45 * alpha, 0.9 * alpha}) {
      const std::string a = std::to_string(alpha);
      const double iso =
          Make("kind=stable,shape=isotropic,scale=1.7,alpha=" + a)->Moment(p, 1).value;
      const double scalar = Make("kind=stable,scale=1.7,alpha=" + a)->Moment(p, 1).value;
      EXPECT_NEAR(iso, scalar, 1e-12 * scalar) << "alpha " << alpha << " p " << p;
    }
  }
  // d = 3, alpha = 1: A = 1 / (2 Z^2) (Levy with S1 scale 1/2) and G = sqrt(2) N, so
  // ||X|| = chi_3 / |Z| with independent chi_3 and Z ~ N(0, 1): an independent closed form.
  const double p = 0.6;
  const double chi3 = std::pow(2.0, p / 2) * std::tgamma((3 + p) / 2) / std::tgamma(1.5);
  const double inv_abs_normal = std::pow(2.0, -p / 2) * std::tgamma((1 - p) / 2) / std::sqrt(kPi);
  EXPECT_NEAR(Make("kind=stable,alpha=1,shape=isotropic")->Moment(p, 3).value,
              chi3 * inv_abs_normal, 1e-12);
}

// Symmetric Lomax: the law of the quadratic experiment of Chezhegov et al. (density
// (3/4) (1 + |x|)^(-5/2) at tail 1.5, scale 1) against quadrature of that density written out
// here, the closed form E|X| = scale / (tail - 1), its tail index and mean, and +inf at the tail.
TEST(NoiseFacts, LomaxMatchesItsDensityAndClosedForms) {
  const auto lomax = Make("kind=lomax,tail=1.5");
  const auto density = [](double x) { return 0.75 * std::pow(1.0 + std::abs(x), -2.5); };
  for (double p : {0.5, 1.0, 1.3}) {
    const double ref = AbsMomentByQuadrature(density, p);
    EXPECT_NEAR(lomax->Moment(p, 1).value, ref, 1e-9 * ref) << p;
  }
  EXPECT_NEAR(Make("kind=lomax,tail=3,scale=2")->Moment(1.0, 1).value, 2.0 / (3.0 - 1.0), 1e-14);
  EXPECT_EQ(lomax->TailIndex(), 1.5);
  EXPECT_EQ(lomax->Mean(), 0.0);
  EXPECT_EQ(Make("kind=lomax,tail=2,loc=0.5")->Mean(), 0.5);
  EXPECT_FALSE(Make("kind=lomax,tail=1")->Mean());
  EXPECT_EQ(lomax->Moment(1.5, 1).value, kInf);
  EXPECT_EQ(lomax->Moment(1.6, 3).value, kInf);
}

// Closed forms against the numerical integration (IntegratedIidMoment never uses them), with the
// integration's stated error bound (plus 1e-9 relative slack for the closed form's own rounding).
TEST(NoiseFacts, ClosedFormsMatchNumericalIntegrationWithinTheStatedBound) {
  struct Case {
    std::string spec;
    double p;
    int dim;
  };
  const std::vector<Case> cases = {
      {"kind=gaussian,scale=2", 1.5, 1},
      {"kind=gaussian,scale=2", 1.5, 10},
      {"kind=gaussian,scale=0.5", 3.0, 3},
      {"kind=gaussian", 5.0, 2},
      {"kind=student_t,dof=3,scale=2", 1.5, 1},
      {"kind=student_t,dof=6", 4.5, 1},
      {"kind=pareto,tail=3,scale=2", 1.2, 1},
      {"kind=pareto,tail=1.5", 1.4, 1},
      {"kind=lomax,tail=1.5", 1.4, 1},
      {"kind=lomax,tail=3,scale=2", 1.2, 1},
      {"kind=stable,alpha=1.5", 1.2, 1},
      {"kind=stable,alpha=1.5,skew=0.5", 0.7, 1},
      {"kind=stable,alpha=0.7,skew=1,scale=3", 0.3, 1},
      {"kind=stable,alpha=1,scale=2", 0.5, 1},
      {"kind=stable,alpha=1.9,skew=-0.4", 1.5, 1},
      {"kind=stable,alpha=2,scale=1.5", 1.2, 4},
      {"kind=contaminated,eps=0.2,scale=1,other=[kind=pareto,tail=3,scale=4]", 1.5, 1},
      // Near the edges: p just below the tail index (the s-integral's slow end and its
      // power-law continuation) and just below 2 and 4 with all moments finite.
      {"kind=stable,alpha=1.5", 1.49, 1},
      {"kind=student_t,dof=1.5", 1.49, 1},
      {"kind=pareto,tail=1.5", 1.49, 1},
      {"kind=student_t,dof=5", 1.98, 1},
      {"kind=gaussian", 3.99, 1},
      {"kind=stable,alpha=0.3,skew=0.5", 0.29, 1},
  };
  for (const Case& c : cases) {
    const auto model = Make(c.spec);
    const MomentValue closed = model->Moment(c.p, c.dim);
    ASSERT_TRUE(closed.exact) << c.spec;
    const MomentValue numeric = IntegratedIidMoment(ParseNoiseSpec(c.spec), c.p, c.dim);
    EXPECT_FALSE(numeric.exact);
    EXPECT_GT(numeric.error_bound, 0.0) << c.spec;
    EXPECT_LT(numeric.error_bound, 1e-4 * numeric.value) << c.spec;
    EXPECT_NEAR(numeric.value, closed.value, numeric.error_bound + 1e-9 * closed.value)
        << c.spec << " p " << c.p << " dim " << c.dim;
  }
}

// Even integer p gives a polynomial in the coordinate moments (exact), also with loc: for iid
// N(loc, 1) coordinates E||X||^4 = d (3 + 6 loc^2 + loc^4) + d (d - 1) (1 + loc^2)^2.
TEST(NoiseFacts, EvenMomentsAreExactPolynomials) {
  const double loc = 0.7;
  const int d = 4;
  const MomentValue m = Make("kind=gaussian,loc=0.7")->Moment(4.0, d);
  EXPECT_TRUE(m.exact);
  const double m2 = 1 + loc * loc;
  const double m4 = 3 + 6 * loc * loc + std::pow(loc, 4);
  EXPECT_NEAR(m.value, d * m4 + d * (d - 1) * m2 * m2, 1e-12 * m.value);
  // Student-t: E T^2 = dof / (dof - 2).
  EXPECT_NEAR(Make("kind=student_t,dof=5,scale=2")->Moment(2.0, 3).value, 3 * 4 * 5.0 / 3.0, 1e-12);
}

// Numerical moments off the closed forms: the same law reached two ways must agree.
TEST(NoiseFacts, NumericalMomentsAreConsistent) {
  // A shifted law: E|X|^p of N(1, 1) against quadrature of Boost's normal density.
  const boost::math::normal_distribution<double> shifted(1.0, 1.0);
  const double ref = AbsMomentByQuadrature([&](double x) { return pdf(shifted, x); }, 1.5);
  const MomentValue g = Make("kind=gaussian,loc=1")->Moment(1.5, 1);
  EXPECT_FALSE(g.exact);
  EXPECT_NEAR(g.value, ref, g.error_bound + 1e-10 * ref);
  // Stable with loc.
  const double st_ref = StableAbsMomentByCf(1.5, 0.3, 0.8, 0.7);
  const MomentValue st = Make("kind=stable,alpha=1.5,skew=0.3,loc=0.8")->Moment(0.7, 1);
  EXPECT_FALSE(st.exact);
  EXPECT_NEAR(st.value, st_ref, st.error_bound + 1e-12 * st_ref);
  // alpha = 1 with skew != 0 (no closed form): X = scale (Z + c), c = (2/pi) skew log(scale).
  const double a1_ref =
      std::sqrt(2.0) * StableAbsMomentByCf(1.0, 0.5, (2.0 / kPi) * 0.5 * std::log(2.0), 0.5);
  const MomentValue a1 = Make("kind=stable,alpha=1,skew=0.5,scale=2")->Moment(0.5, 1);
  EXPECT_FALSE(a1.exact);
  EXPECT_NEAR(a1.value, a1_ref, a1.error_bound + 1e-12 * a1_ref);
  // Near alpha = 1 (skewed), where S1 moves the law far away: the closed form against the formula.
  const double near_one = StableAbsMomentByCf(1.05, 0.5, 0.0, 0.5);
  EXPECT_NEAR(Make("kind=stable,alpha=1.05,skew=0.5")->Moment(0.5, 1).value, near_one,
              1e-8 * near_one);
  // Contamination mixes exactly: (1 - eps) E||G||^p + eps E||Y||^p.
  const auto mix = Make("kind=contaminated,eps=0.3,scale=2,other=[kind=student_t,dof=4,loc=1]");
  const double expected = 0.7 * Make("kind=gaussian,scale=2")->Moment(1.5, 3).value +
                          0.3 * Make("kind=student_t,dof=4,loc=1")->Moment(1.5, 3).value;
  EXPECT_NEAR(mix->Moment(1.5, 3).value, expected, 1e-12 * expected);
  EXPECT_DOUBLE_EQ(mix->Sigma(1.5, 3), std::pow(mix->Moment(1.5, 3).value, 1.0 / 1.5));
}

}  // namespace
}  // namespace clipsim::noise
