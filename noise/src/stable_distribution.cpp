#include "clipsim/noise/stable_distribution.hpp"

#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::noise {
namespace {

constexpr double kPi = boost::math::constants::pi<double>();
constexpr double kHalfPi = boost::math::constants::half_pi<double>();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Relative tolerance of each tanh-sinh piece (relative to the piece's L1 norm, which is at most
// pi). Measured worst error against the scipy table with this setting: see the header.
constexpr double kQuadratureTolerance = 1e-10;
// Below these |skew| the alpha = 1 law is taken to be the Cauchy law. The integrand is then a
// step or spike of width ~ |skew| and its exponent ((pi/2 + skew theta) tan(theta) - pi x/2)/skew
// carries a rounding error ~ eps/|skew|, while the law differs from Cauchy by about 0.2 |skew| in
// the CDF and 0.1 |skew| in the density: the thresholds balance the two (errors < 2e-9 for the
// density, < 1e-13 for the CDF, measured).
constexpr double kCauchySkewCdf = 1e-13;
constexpr double kCauchySkewPdf = 1e-8;
// Smallest coordinate the split-point search looks at (a root below it leaves a piece of width
// < 1e-300, which cannot contribute).
constexpr double kTinyCoordinate = 1e-300;
// tanh-sinh stops at this distance from an end, relative to the piece's length: the ends' sharp
// features are resolved at the split (exact distances), and what lies closer than 1e-60 cannot
// matter; stopping at DBL_MIN instead doubles the nodes per level for no measured gain.
constexpr double kMinComplement = 1e-60;

// The abscissa tables are built once and shared: copies of a tanh_sinh share them through a
// shared_ptr, and the tables extend themselves under a lock, so concurrent use is safe. (Boost 1.74
// declares the one-argument integrate non-const, hence the copy per call.)
boost::math::quadrature::tanh_sinh<double> Integrator() {
  static const boost::math::quadrature::tanh_sinh<double> integrator(15, kMinComplement);
  return integrator;
}

void CheckParameters(double alpha, double skew, double scale = 1.0) {
  auto fail = [](const char* name, double value, const char* rule) {
    throw InputError(std::string("stable law ") + name, ShortestText(value), rule);
  };
  if (!(alpha > 0.0 && alpha <= 2.0)) fail("alpha", alpha, "in (0, 2]");
  if (!(skew >= -1.0 && skew <= 1.0)) fail("skew", skew, "in [-1, 1]");
  if (!(scale > 0.0 && std::isfinite(scale))) fail("scale", scale, "finite and > 0");
}

// Which of Nolan's integrals to evaluate over theta, as a function of g(theta):
//   kExp:       exp(-g)        (the CDF integral)
//   kOneMinus:  1 - exp(-g)    (its complement, computed without cancellation)
//   kDensity:   g exp(-g)      (the density integral)
enum class Integrand { kExp, kOneMinus, kDensity };

double Apply(Integrand which, double log_g) {
  if (std::isnan(log_g)) return kNaN;
  // g = exp(log_g) with the limits g = 0 and g = inf handled without inf * 0.
  if (log_g > 700.0) return which == Integrand::kOneMinus ? 1.0 : 0.0;
  const double g = std::exp(log_g);
  switch (which) {
    case Integrand::kExp:
      return std::exp(-g);
    case Integrand::kOneMinus:
      return -std::expm1(-g);
    case Integrand::kDensity:
      return g * std::exp(-g);
  }
  return kNaN;
}

// Nolan's integral over theta in (-theta0, pi/2), written in two coordinates that are both exact
// near their own end: u = theta + theta0 (distance from the lower end) and s = pi/2 - theta
// (distance from the upper end), u + s = width. log g(theta) is strictly monotone (Nolan 1997,
// Lemma), so the integral is split at theta* where g = 1: the integrand's only sharp feature
// (a step of exp(-g), the peak of g exp(-g)) then sits at an end of each piece, where tanh-sinh
// clusters its nodes. The lower piece is integrated in u, the upper one in s, and near the split
// both coordinates are formed from the split point plus the distance to it that tanh-sinh
// supplies exactly (its two-argument form), never as width - (the other): far in a tail or near
// x = 0 the split sits within 1e-15 of an end, where width - u would be all rounding error.
template <class LogG>
double SplitIntegral(const LogG& log_g, double width, bool increasing, Integrand which) {
  const double mid = 0.5 * width;
  const double log_g_mid = log_g(mid, width - mid);
  // The root lies below the midpoint (in u) when g already exceeds 1 there and g increases, or
  // when g is below 1 there and g decreases.
  const bool root_in_lower_half = increasing ? (log_g_mid > 0.0) : (log_g_mid < 0.0);

  // Solves for the root in log(coordinate) on [log(tiny), log(mid)]; returns 0 when the root is
  // below tiny (no piece there worth integrating).
  auto solve = [&](auto&& log_g_at) -> double {
    // log g may overflow to -inf/+inf at the ends (alpha = 1 with small skew); clamp so that the
    // bracketing solver's interpolation stays finite (it falls back to bisection where needed).
    auto h = [&](double t) { return std::clamp(log_g_at(t), -1e6, 1e6); };
    const double t_lo = std::log(kTinyCoordinate);
    const double t_hi = std::log(mid);
    const double h_lo = h(t_lo);
    const double h_hi = h(t_hi);
    if (h_hi == 0.0) return mid;
    if (!(h_lo * h_hi < 0.0)) return 0.0;
    std::uintmax_t max_iter = 100;
    const auto bracket = boost::math::tools::toms748_solve(
        h, t_lo, t_hi, h_lo, h_hi, boost::math::tools::eps_tolerance<double>(40), max_iter);
    return std::exp(0.5 * (bracket.first + bracket.second));
  };

  // The split point in both coordinates; the one that was solved for is the smaller, so the other
  // (>= width / 2) loses nothing to the subtraction.
  double u_star;
  double s_star;
  if (log_g_mid == 0.0) {
    u_star = mid;
    s_star = width - mid;
  } else if (root_in_lower_half) {
    u_star = solve([&](double t) {
      const double u = std::exp(t);
      return log_g(u, width - u);
    });
    s_star = width - u_star;
  } else {
    s_star = solve([&](double t) {
      const double s = std::exp(t);
      return log_g(width - s, s);
    });
    u_star = width - s_star;
  }
  // Boost's two-argument integrand: vc = -(v - 0) on the half next to the piece's outer end,
  // vc = (end - v) > 0 on the half next to the split.
  auto lower = [&](double v, double vc) {
    return vc < 0.0 ? Apply(which, log_g(v, width - v))
                    : Apply(which, log_g(u_star - vc, s_star + vc));
  };
  auto upper = [&](double v, double vc) {
    return vc < 0.0 ? Apply(which, log_g(width - v, v))
                    : Apply(which, log_g(u_star + vc, s_star - vc));
  };
  auto integrator = Integrator();
  double total = 0.0;
  if (u_star > 0.0) total += integrator.integrate(lower, 0.0, u_star, kQuadratureTolerance);
  if (s_star > 0.0) total += integrator.integrate(upper, 0.0, s_star, kQuadratureTolerance);
  return total;
}

// The geometry of Nolan's representation for alpha != 1 and a given skew, in the S1
// parameterization. With zeta = skew tan(pi alpha / 2), Nolan's S0 variable is X_S1 - zeta (scale
// 1), so his (x - zeta) is the S1 argument itself: the S1 law needs no shift, and x = 0 is
// Nolan's x = zeta.
struct Geometry {
  double alpha = 0.0;
  double a = 0.0;          // alpha * theta0 = arctan(zeta), in (-pi/2, pi/2)
  double log_cos_a = 0.0;  // log cos(alpha theta0) = -log(1 + zeta^2) / 2
  double theta0 = 0.0;
  double width = 0.0;                 // pi/2 + theta0: length of the theta range (-theta0, pi/2)
  double d_lo = 0.0;                  // pi/2 - theta0: distance from -theta0 down to -pi/2
  double pi_minus_alpha_width = 0.0;  // pi - alpha * width, for the sines near the upper end
};

Geometry MakeGeometry(double alpha, double skew) {
  Geometry geo;
  geo.alpha = alpha;
  if (skew == 0.0) {
    geo.width = kHalfPi;
    geo.d_lo = kHalfPi;
    geo.pi_minus_alpha_width = kPi - alpha * kHalfPi;
    return geo;
  }
  // c = pi/2 - |a| = arctan(1 / |zeta|), with 1/|tan(pi alpha/2)| = |tan(pi (1 - alpha)/2)|: exact
  // near alpha = 1, where zeta blows up and pi/2 - |a| would cancel.
  const bool one_sided = std::fabs(skew) == 1.0 && alpha < 1.0;
  const double c = one_sided
                       ? kHalfPi * (1.0 - alpha)
                       : std::atan(std::fabs(std::tan(kHalfPi * (1.0 - alpha))) / std::fabs(skew));
  // sign(theta0) = sign(zeta) = sign(skew) sign(1 - alpha).
  const bool positive = (skew > 0.0) == (alpha < 1.0);
  const double abs_a = kHalfPi - c;
  geo.a = positive ? abs_a : -abs_a;
  geo.log_cos_a = std::log(std::sin(c));
  geo.theta0 = geo.a / alpha;
  // pi/2 - |theta0| (0 exactly when theta0 = +-pi/2) and pi/2 + |theta0|.
  const double near = one_sided ? 0.0 : std::max((kHalfPi * (alpha - 1.0) + c) / alpha, 0.0);
  const double far = (kHalfPi * (alpha + 1.0) - c) / alpha;
  geo.width = positive ? far : near;
  geo.d_lo = positive ? near : far;
  // alpha * width <= pi, with equality for alpha > 1, skew = -1 (clamp the rounding so that
  // sin(alpha u) stays >= 0 there).
  geo.pi_minus_alpha_width = std::max(kPi * (1.0 - 0.5 * alpha) - geo.a, 0.0);
  return geo;
}

// log g(theta) for alpha != 1 at x > 0, with g = x^(alpha/(alpha-1)) V(theta) and
//   V = [cos(a) cos(theta) / sin(alpha (theta + theta0))^alpha]^(1/(alpha-1))
//       * cos(a + (alpha - 1) theta)
// (Nolan's V with the powers of cos(theta) combined, so that cos(theta) = 0 at an end gives a
// clean 0 or infinity rather than inf - inf).
struct LogGNonUnit {
  const Geometry& geo;
  double log_x_term;  // alpha log x + log cos(a)

  double operator()(double u, double s) const {
    const double alpha = geo.alpha;
    const double dist_lo = u + geo.d_lo;  // theta + pi/2
    const double cos_theta = std::sin(std::min(dist_lo, s));
    const double alpha_u = alpha * u;
    const double sin_alpha_u =
        alpha_u <= kHalfPi ? std::sin(alpha_u) : std::sin(geo.pi_minus_alpha_width + alpha * s);
    // cos(a + (alpha - 1) theta) vanishes at the lower end when theta0 = pi/2 and at the upper
    // end when alpha * width = pi; written as a sine of the small angle measured from that end:
    //   = sin(d_lo - (alpha - 1) u) = sin(pi - alpha width + (alpha - 1) s).
    const double last = dist_lo <= s ? std::sin(geo.d_lo - (alpha - 1.0) * u)
                                     : std::sin(geo.pi_minus_alpha_width + (alpha - 1.0) * s);
    const double bracket = log_x_term + std::log(cos_theta) - alpha * std::log(sin_alpha_u);
    return bracket / (alpha - 1.0) + std::log(std::max(last, 0.0));
  }
};

// log g(theta) for alpha = 1, skew > 0, with g = exp(-pi x / (2 skew)) V(theta) and
//   V = (2/pi) (pi/2 + skew theta) / cos(theta) * exp((pi/2 + skew theta) tan(theta) / skew),
// theta in (-pi/2, pi/2): u = theta + pi/2, s = pi/2 - theta.
struct LogGUnit {
  double skew;
  double x;

  double operator()(double u, double s) const {
    const bool lower = u <= s;
    const double cos_theta = std::sin(lower ? u : s);
    const double sin_theta = lower ? -std::cos(u) : std::cos(s);
    const double b = lower ? kHalfPi * (1.0 - skew) + skew * u : kHalfPi * (1.0 + skew) - skew * s;
    const double tan_theta = sin_theta / cos_theta;
    return (b * tan_theta - kHalfPi * x) / skew + std::log(b / kHalfPi) - std::log(cos_theta);
  }
};

// The lower tail F(x) (upper = false) or the upper tail 1 - F(x) (upper = true) of the standard
// S1 law, each computed directly from its own integral, so that neither tail loses relative
// accuracy to a 1 - F cancellation. Valid parameters.
double StandardTailNonUnit(double x, double alpha, double skew, bool upper) {
  if (x < 0.0) return StandardTailNonUnit(-x, alpha, -skew, !upper);  // F(x; b) = 1 - F(-x; -b)
  const Geometry geo = MakeGeometry(alpha, skew);
  // F(0) = (pi/2 - theta0) / pi and 1 - F(0) = (pi/2 + theta0) / pi.
  if (x == 0.0) return (upper ? geo.width : geo.d_lo) / kPi;
  const LogGNonUnit log_g{geo, alpha * std::log(x) + geo.log_cos_a};
  const bool increasing = alpha < 1.0;
  // Nolan: alpha < 1: F = F(0) + (1/pi) int exp(-g), so 1 - F = (1/pi) int (1 - exp(-g));
  //        alpha > 1: F = 1 - (1/pi) int exp(-g) = F(0) + (1/pi) int (1 - exp(-g)).
  const bool use_exp = upper != increasing;
  const double integral = SplitIntegral(log_g, geo.width, increasing,
                                        use_exp ? Integrand::kExp : Integrand::kOneMinus) /
                          kPi;
  return upper ? integral : geo.d_lo / kPi + integral;
}

double StandardTailUnit(double x, double skew, bool upper) {
  if (std::fabs(skew) < kCauchySkewCdf) {
    // Cauchy; atan2 keeps both tails accurate.
    return std::atan2(1.0, upper ? x : -x) / kPi;
  }
  if (skew < 0.0) return StandardTailUnit(-x, -skew, !upper);
  // Nolan: F = (1/pi) int exp(-g) over (-pi/2, pi/2).
  const LogGUnit log_g{skew, x};
  return SplitIntegral(log_g, kPi, true, upper ? Integrand::kOneMinus : Integrand::kExp) / kPi;
}

double StandardTail(double x, double alpha, double skew, bool upper) {
  if (std::isnan(x)) return kNaN;
  if (std::isinf(x)) return (x > 0.0) == upper ? 0.0 : 1.0;
  if (alpha == 2.0) {
    // Gaussian with variance 2: F(x) = erfc(-x/2)/2.
    return 0.5 * std::erfc(upper ? 0.5 * x : -0.5 * x);
  }
  // Clamped: F(0) + integral may round a hair above 1.
  const double tail =
      alpha == 1.0 ? StandardTailUnit(x, skew, upper) : StandardTailNonUnit(x, alpha, skew, upper);
  return std::clamp(tail, 0.0, 1.0);
}

double StandardPdf(double x, double alpha, double skew) {
  if (std::isnan(x)) return kNaN;
  if (std::isinf(x)) return 0.0;
  if (alpha == 2.0) return std::exp(-0.25 * x * x) / (2.0 * std::sqrt(kPi));
  if (alpha == 1.0) {
    if (std::fabs(skew) < kCauchySkewPdf) return 1.0 / (kPi * (1.0 + x * x));
    if (skew < 0.0) return StandardPdf(-x, alpha, -skew);
    const LogGUnit log_g{skew, x};
    return SplitIntegral(log_g, kPi, true, Integrand::kDensity) / (2.0 * skew);
  }
  if (x < 0.0) return StandardPdf(-x, alpha, -skew);
  const Geometry geo = MakeGeometry(alpha, skew);
  if (x == 0.0) {
    // Nolan: f(zeta) = Gamma(1 + 1/alpha) cos(theta0) / (pi (1 + zeta^2)^(1/(2 alpha))).
    // cos(theta0) = sin(pi/2 - |theta0|): exactly 0 for the one-sided laws.
    return boost::math::tgamma(1.0 + 1.0 / alpha) * std::sin(std::min(geo.d_lo, geo.width)) *
           std::exp(geo.log_cos_a / alpha) / kPi;
  }
  const LogGNonUnit log_g{geo, alpha * std::log(x) + geo.log_cos_a};
  // f = alpha x^(1/(alpha-1)) / (pi |alpha - 1|) int V exp(-g) = alpha / (pi |alpha-1| x) int g
  // e^-g
  const double integral = SplitIntegral(log_g, geo.width, alpha < 1.0, Integrand::kDensity);
  return alpha * integral / (kPi * std::fabs(alpha - 1.0) * x);
}

// The standard variable (x - shift) / scale of the S1 law with these parameters: for alpha = 1
// the S1 scale also shifts the law, X = scale Z + loc + (2/pi) skew scale log(scale)
// (Samorodnitsky & Taqqu 1994, Property 1.2.3).
double Standardize(const StableLaw& law, double x) {
  double shift = law.loc;
  if (law.alpha == 1.0) shift += (2.0 / kPi) * law.skew * law.scale * std::log(law.scale);
  return (x - shift) / law.scale;
}

}  // namespace

double StableLaw::Cdf(double x) const {
  CheckParameters(alpha, skew, scale);
  return StandardTail(Standardize(*this, x), alpha, skew, false);
}

double StableLaw::Sf(double x) const {
  CheckParameters(alpha, skew, scale);
  return StandardTail(Standardize(*this, x), alpha, skew, true);
}

double StableLaw::Pdf(double x) const {
  CheckParameters(alpha, skew, scale);
  return StandardPdf(Standardize(*this, x), alpha, skew) / scale;
}

double StableCdf(double x, double alpha, double skew) {
  CheckParameters(alpha, skew);
  return StandardTail(x, alpha, skew, false);
}

double StableSf(double x, double alpha, double skew) {
  CheckParameters(alpha, skew);
  return StandardTail(x, alpha, skew, true);
}

double StablePdf(double x, double alpha, double skew) {
  CheckParameters(alpha, skew);
  return StandardPdf(x, alpha, skew);
}

}  // namespace clipsim::noise
