// The descent and variance reduction factors of clipped SGD on streaming least squares
// (Marshall, Xiao, Agarwala & Paquette 2024), and their clipping comparison criterion (CCC).
//
// One clipped sample at x, with r = x - x* and R = R(x) = r^T K r / 2:
//   g = z a,  z = <a, r> - eps,  clip_c(g) = min(1, c / ||g||) g.
// In high intrinsic dimension ||a||^2 concentrates at Tr K, so the clip factor is
// min(1, c_z / |z|) with c_z = c / sqrt(Tr K), and clip_c(g) ~ psi(z) a, psi(z) = sign(z)
// min(|z|, c_z). Write a = (w / 2R) K r + a_perp with w = <a, r> ~ N(0, 2R) independent of
// a_perp (Gaussian conditioning). Then, derived here (the paper's Section 3 gives the same
// factors; its text was not available to us, so the derivation is ours):
//   E clip_c(g) = mu K r,  mu = E[psi(z) w] / 2R = E psi'(z) = P(|z| < c_z)   (Stein's lemma on w)
//   E clip_c(g)_i^2 = lambda_i nu + O(lambda_i^2 r_i^2 / R),  nu = E psi(z)^2 = E min(z^2, c_z^2)
// mu is the descent reduction factor and nu the variance of the clipped residual; unclipped
// (c = inf) mu = 1 and nu = E z^2 = 2R + E eps^2. Both depend on x only through R.
//
// Clipping comparison criterion (derived here from the ODE, risk_ode.hpp): clipped SGD at step eta
// has the drift of unclipped SGD at step eta mu and the noise of SGD times nu / (mu^2 E z^2), so
// at risk R clipping beats SGD run at the matched step eta mu exactly when
//   CCC(R) = mu(R)^2 (2R + E eps^2) / nu(R) > 1.
// For Gaussian (or absent) mean-zero label noise z is Gaussian, E[psi(z) z] = E z^2 mu (Stein)
// and Cauchy-Schwarz gives E[psi(z) z]^2 <= nu E z^2, i.e. CCC <= 1 for every threshold and risk,
// with equality only without clipping: under Gaussian noise no threshold beats SGD (the paper's
// result). With E eps^2 = inf (Student-t dof <= 2, stable alpha < 2, Pareto tail <= 2) CCC = inf:
// SGD's risk diverges while every finite threshold keeps it finite.
//
// Thresholds (ThresholdRule): none (SGD); a fixed threshold c on ||g||; or the one-parameter
// schedule c_k = kappa x the median of the recent per-sample gradient norms (median_clip_sgd, our
// reconstruction of the paper's heuristic, see configs/README.md), whose limit is
// c_z = kappa m(R), m(R) the median of |z| at risk R (P(|z| < m) = 1/2).
//
// Computation. Gaussian noise (and none, and stable alpha = 2): z ~ N(-loc, 2R + var eps) and mu,
// nu are closed forms (erfc and the normal density). Other laws: mu = E_eps P(|w - eps| < c_z),
// nu = E_eps E_w min((w - eps)^2, c_z^2), the inner Gaussian expectations in closed form and the
// outer one by quadrature over the law (noise::ScalarExpectation, breakpoints at +-c_z and
// +-c_z +- 8 sqrt(2R)); against the Gaussian closed forms the quadrature path agrees to 2e-13
// relative, and against Monte Carlo within its standard errors (the tests). The median
// by Boost's TOMS 748 root finder (52 bits). Interpolation (ReductionTable): mu and log nu on a
// grid of 40 points per decade of sqrt(2R), built lazily, 4-point Lagrange in log sqrt(2R);
// measured interpolation error below 1e-6 relative (4e-7 for Student-t labels,
// tests/dynamics/reduction_factors_test.cpp).
#pragma once

#include <map>
#include <optional>

#include "clipsim/noise/noise_spec.hpp"

namespace clipsim::dynamics {

enum class ThresholdRule {
  kNone,         // SGD: mu = 1, nu = 2R + E eps^2
  kFixed,        // clip ||g|| at c (the parameter)
  kMedianRatio,  // clip ||g|| at kappa (the parameter) times the running median of ||g||
};

struct Factors {
  double mu = 1.0;
  double nu = 0.0;
  double threshold = 0.0;  // c_z, the threshold on |z| (+infinity without clipping)
};

// The label noise's law and how a run clips: everything the factors depend on besides R.
struct ClipSetting {
  std::optional<noise::NoiseSpec> noise;  // nullopt: noise-free labels (eps = 0)
  ThresholdRule rule = ThresholdRule::kNone;
  double parameter = 0.0;  // c (kFixed) or kappa (kMedianRatio), > 0
  double trace = 1.0;      // Tr K: c_z = c / sqrt(Tr K)
};

// E eps^2 of the label noise (0 without noise, +infinity where infinite).
double NoiseSecondMoment(const ClipSetting& setting);

// mu, nu and c_z at risk R >= 0 (R = 0 is the limit R -> 0), by closed form or quadrature, no
// table. Throws InputError for an invalid noise spec or parameter.
Factors ExactFactors(const ClipSetting& setting, double risk);

// mu^2 (2R + E eps^2) / nu: > 1 where clipping beats SGD at the matched step (see the top);
// +infinity when E eps^2 is infinite; exactly 1 without clipping.
double Ccc(const ClipSetting& setting, const Factors& f, double risk);

// The factors interpolated from a table built on demand (see the top). Not thread-safe: one per
// thread (the table is the object's own).
class ReductionTable {
 public:
  explicit ReductionTable(ClipSetting setting);
  Factors At(double risk);
  const ClipSetting& setting() const { return setting_; }

 private:
  struct Node {
    double mu = 0.0;
    double log_nu = 0.0;
    double log_threshold = 0.0;
  };
  const Node& NodeAt(int j);

  ClipSetting setting_;
  bool closed_form_ = false;
  std::map<int, Node> nodes_;
};

}  // namespace clipsim::dynamics
