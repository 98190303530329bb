// The alpha-stable law in the S1 parameterization of Samorodnitsky & Taqqu (scipy's levy_stable
// default): characteristic function
//   alpha != 1: exp(-|scale t|^alpha (1 - i skew sign(t) tan(pi alpha / 2)) + i loc t)
//   alpha == 1: exp(-scale |t| (1 + i skew (2/pi) sign(t) log|t|) + i loc t)
// CDF and density by numerical integration of Nolan's (1997) integral representation with
// Boost.Math quadrature. Used as the independent reference for the sampler and for moments without
// closed form.
//
// Parameterization warning: Nolan writes his formulas in S0 (his "S(alpha, beta, gamma, delta;
// 0)"), whose location differs from S1's for alpha != 1: delta_S1 = delta_S0 - skew scale tan(pi
// alpha/2). For the standard law, Nolan's (x - zeta) with zeta = -skew tan(pi alpha / 2) is exactly
// the S1 argument x, so this code never forms x - zeta and stays accurate near x = zeta and near
// alpha = 1. S1 is discontinuous at alpha = 1 when skew != 0 (the law's bulk sits near
// skew tan(pi alpha / 2), which diverges); S0 is continuous there. For alpha = 1 the S1 scale also
// shifts the law: X = scale Z + loc + (2/pi) skew scale log(scale), Z standard.
//
// Accuracy (measured by tests/noise/stable_cdf_test.cpp, which prints the figures):
//   against tests/data/stable_cdf_s1.csv (scipy 1.10, 369 rows, alpha in 0.5..2, skew in -1..1,
//   x in -10..10): worst absolute error 5.0e-13, for Cdf and for 1 - Sf, i.e. every printed digit
//   (each row's tolerance is the accuracy the table states for it: tests/data/README.md);
//   the Levy law (alpha = 1/2, skew = 1, through the integral), x from 1e-3 to 1e12: worst
//   relative error 3e-13 in Cdf, Sf and Pdf, down to F = 1e-219 (each tail has its own integral,
//   so far tails keep relative accuracy: at x = 1e8 the symmetric alpha = 1.5 and 1.9 tails
//   match their two-term series to 1e-14 relative);
//   the density integrates (Gauss-Kronrod) to the CDF difference to 5e-15;
//   Cdf + Sf = 1 to 2e-10 over alpha in 0.3..1.99 and |x| up to 1e6 (the quadrature tolerance,
//   1e-10 of each piece's L1 norm, bounds the absolute error of one evaluation by about 3e-10);
//   continuity in S0 at alpha = 1 holds with the law's own O(|alpha - 1|) slope down to
//   |alpha - 1| = 1e-7 (difference 2.6e-8 there), so nothing is lost to cancellation near
//   alpha = 1; alpha -> 2 converges to the Gaussian as 0.175 (2 - alpha).
//   alpha = 2 and alpha = 1, skew = 0 are closed forms (Boost normal/Cauchy agree to 1e-14).
//   Near alpha = 1 with tiny skew: |skew| < 1e-13 (CDF) or < 1e-8 (density) is evaluated as
//   Cauchy, whose distance from the law is about 0.2 |skew| (CDF) and 0.1 |skew| (density);
//   above the threshold the integral's rounding error is about 2e-17 / |skew|.
//   Cost: about 30-60 us per value (alpha = 1 with |skew| < 1e-6: up to 2 ms).
//
// Implementation: Nolan (1997), Theorem 1 (alpha != 1) and its alpha = 1 form, in log space:
//   F(x) = F(0) + (1/pi) int exp(-g) (alpha < 1), 1 - (1/pi) int exp(-g) (alpha > 1),
//   f(x) = alpha / (pi |alpha - 1| x) int g exp(-g), g(theta) = x^(alpha/(alpha-1)) V(theta),
// theta in (-theta0, pi/2), x > 0 (x < 0 by reflection skew -> -skew); 1 - F uses
// int (1 - exp(-g)) directly. g is monotone, so each integral is split at theta* where g = 1
// (Boost toms748 root in log coordinates) and each piece integrated with Boost tanh-sinh
// (relative tolerance 1e-10) in a coordinate measured from the piece's outer end
// (u = theta + theta0 or s = pi/2 - theta), with the distance to the split taken from tanh-sinh's
// exact complement, so that the ends near x = 0 and in the far tails are resolved. The factors
// that vanish at an end (cos theta, sin(alpha u), cos(alpha theta0 + (alpha - 1) theta)) are
// written as sines of the small angle to that end, and theta0's distance to +-pi/2 is computed
// from arctan(tan(pi (1 - alpha)/2) / |skew|) without cancellation. alpha = 2 (Gaussian,
// variance 2) and the alpha = 1 near-Cauchy cases above use closed forms; x = 0 uses Nolan's
// closed forms for F(zeta) and f(zeta).
//
// References: J. P. Nolan, "Numerical calculation of stable densities and distribution
// functions", Comm. Statist. Stochastic Models 13 (1997) 759-774; G. Samorodnitsky and
// M. S. Taqqu, "Stable Non-Gaussian Random Processes" (1994), Definition 1.1.6 and Property 1.2.3.
#pragma once

namespace clipsim::noise {

struct StableLaw {
  double alpha = 2.0;  // (0, 2]
  double skew = 0.0;   // [-1, 1]
  double scale = 1.0;  // > 0
  double loc = 0.0;

  // P(X <= x). Throws InputError (naming the parameter and its range) for invalid parameters;
  // NaN for NaN x.
  double Cdf(double x) const;
  // P(X > x), computed directly (accurate far in the right tail).
  double Sf(double x) const;
  // The density.
  double Pdf(double x) const;
};

// Standard S1 law (scale 1, loc 0).
double StableCdf(double x, double alpha, double skew);
double StableSf(double x, double alpha, double skew);
double StablePdf(double x, double alpha, double skew);

}  // namespace clipsim::noise
