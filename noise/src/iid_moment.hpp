// E||X||^p for a vector X of dim iid coordinates, by numerical integration (Boost.Math
// tanh-sinh and exp-sinh quadrature), for the laws and shapes that have no closed form.
//
// Method. Each coordinate is X_i = scale * (T_i + c) with T_i standard; so E||X||^p =
// scale^p E S^q with S = sum_i Y_i, Y_i = (T_i + c)^2, q = p / 2. Write q = n + r with n an integer
// and r in [0, 1). For r = 0 the moment is a polynomial in the even moments of T + c (exact). For
// r > 0, with x^r = r / Gamma(1 - r) * int_0^inf (1 - e^{-s x}) s^{-r-1} ds,
//   E S^q = r / Gamma(1 - r) * int_0^inf G(s) s^{-r-1} ds,   G(s) = E[S^n (1 - e^{-s S})].
// S^n is expanded over the integer partitions lambda of n (which coordinates carry the powers), so
// that G and G(inf) - G = E[S^n e^{-s S}] are sums of products of one-coordinate integrals
//   delta_k(s) = E[Y^k (1 - e^{-s Y})],  mu_k(s) = E[Y^k e^{-s Y}],  m_k = E Y^k,
// each computed directly (positive integrands, no subtraction of nearly equal numbers):
//   E[prod_j Y_j^{l_j} (1 - e^{-s S})] = sum_j delta_{l_j} prod_{i<j} mu_{l_i} prod_{i>j} m_{l_i}
//                                        + prod_j mu_{l_j} (1 - mu_0^{dim - k}).
// The s-integral is split at s* = 1 / (dim (1 + c^2)) and done in log s on both sides, using
// G(inf) - G on the right. Below s = 1e-280 the integrand is continued by its power law
// (G ~ s^kappa, kappa = min(tail / 2 - n, 1)); that correction is added and its uncertainty
// (measured by the local slope) is part of the error bound.
//
// Error bound: Boost's error estimate of the s-integrals, plus the inner integrals' own estimates
// propagated through G (relative error at most (dim + n + 1) times theirs), plus the power-law
// continuation's uncertainty, plus rounding. These are quadrature error estimates, not proven
// bounds; the tests check them against closed forms and Monte Carlo.
#pragma once

#include "clipsim/noise/noise_model.hpp"

namespace clipsim::noise::detail {

struct Estimate {
  double value = 0.0;
  double error = 0.0;
};

// The law of one coordinate in standard units, T + c.
class CoordinateLaw {
 public:
  virtual ~CoordinateLaw() = default;
  // sup{p : E|T + c|^p < inf}.
  virtual double Tail() const = 0;
  // c.
  virtual double Center() const = 0;
  // E (T + c)^(2k) for k >= 1 with 2k < Tail().
  virtual double EvenMoment(int k) const = 0;
  // delta_k(s) (complement = true) or mu_k(s) (complement = false), with Y = (T + c)^2.
  virtual Estimate Laplace(int k, double s, bool complement) const = 0;
};

// E||T + c||^p over dim iid coordinates (scale 1). Requires 0 < p < law.Tail(), dim >= 1.
MomentValue IidNormMoment(const CoordinateLaw& law, double p, int dim);

// T with a density symmetric about 0 (Student-t, normal, symmetric Pareto and Lomax, uniform). The
// density may vanish on (-gap, gap) (Pareto: gap = 1); it must be smooth elsewhere.
struct SymmetricDensity {
  double (*log_density)(const SymmetricDensity& self, double t) = nullptr;  // t >= 0
  double (*even_moment)(const SymmetricDensity& self, int j) = nullptr;     // E T^(2j)
  double param = 0.0;  // the law's parameter (dof, sd, tail)
  double norm = 0.0;   // log of the density's normalizing constant
  double tail = 0.0;
  double gap = 0.0;
};

SymmetricDensity StudentTDensity(double dof);
SymmetricDensity NormalDensity(double sd);
SymmetricDensity ParetoDensity(double tail);
SymmetricDensity LomaxDensity(double tail);
// Uniform on [-1, 1]: density 1/2 there, 0 beyond (log density -inf); the support's ends c - 1 and
// c + 1 are breakpoints of every integral, so each piece is smooth.
SymmetricDensity UniformDensity();

class DensityCoordinate final : public CoordinateLaw {
 public:
  DensityCoordinate(SymmetricDensity law, double c) : law_(law), c_(c) {}
  double Tail() const override { return law_.tail; }
  double Center() const override { return c_; }
  double EvenMoment(int k) const override;
  Estimate Laplace(int k, double s, bool complement) const override;

 private:
  SymmetricDensity law_;
  double c_;
};

// Standard S1 stable T (alpha < 2) plus c, through its characteristic function: with
// e^{-s y^2} = E cos(sqrt(2 s) Z y), Z standard normal,
//   E e^{-s (T + c)^2} = 2 int_0^inf Re cf(sqrt(2 s) z) phi(z) dz,
// Re cf(t) = e^{-a(t)} cos(b(t)) for t > 0, a = t^alpha, b = skew tan(pi alpha / 2) t^alpha + c t
// (alpha != 1) or b = -(2 / pi) skew t log t + c t (alpha = 1). 1 - e^{-a} cos b is computed as
// -expm1(-a) + 2 e^{-a} sin^2(b / 2), so that delta_0 keeps its relative accuracy as s -> 0.
// Only k = 0 is needed: p < alpha < 2 means n = 0.
class StableCoordinate final : public CoordinateLaw {
 public:
  StableCoordinate(double alpha, double skew, double c) : alpha_(alpha), skew_(skew), c_(c) {}
  double Tail() const override { return alpha_; }
  double Center() const override { return c_; }
  double EvenMoment(int k) const override;
  Estimate Laplace(int k, double s, bool complement) const override;

 private:
  double alpha_;
  double skew_;
  double c_;
};

}  // namespace clipsim::noise::detail
