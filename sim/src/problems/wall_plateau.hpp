// wall_plateau: the separation instance for clipped versus fixed-step gradient descent under
// (L0, L1)-smoothness (Zhang, He, Sra & Jadbabaie 2020, "Why gradient clipping accelerates
// training", ICLR 2020: Theorem 3, clipped GD, and the fixed-step lower bound). Dimension 2:
//   f(x, y) = w(x) + p(y),   w(x) = cosh(a x) - 1,   p(y) = s rho (sqrt(1 + (y / rho)^2) - 1),
// a = `rate`, s = `slope`, rho = `width`: an exp-type wall in x (exp_type's) next to a long
// pseudo-Huber plateau in y whose slope |p'| < s flattens only within rho of 0. The start is
// (x0, y0) with y0 = `plateau_start` and x0 >= 0 chosen so that the level set of the start has
// sup ||grad f|| = M = `level_set_gradient` exactly (below). The construction (derived here, in
// the spirit of the paper's proof, whose exact function we did not reproduce) makes the two
// effects of a fixed step separable: the wall bounds every convergent fixed step by ~ x0 / M ~
// log M / (a M), and the plateau then takes ~ y0 / (h s) steps, while clipped GD walks down the
// wall in clipped steps and crosses the plateau at its own unclipped step 1/(10 L0).
//
// Facts (derived here; checked in tests/sim/wall_plateau_test.cpp):
//   Hessian diag(a^2 cosh(a x), (s / rho)(1 + u^2)^(-3/2)), u = y / rho; gradient
//   (a sinh(a x), s u / sqrt(1 + u^2)). Not globally smooth; convex; f >= 0 = f(0): f_low = 0,
//   minimizer 0.
//   (L0, L1) = (a^2, a) on all of R^2, required s / rho <= a^2: a^2 cosh(a x) <= a^2 + a |a
//   sinh(a x)| (cosh - |sinh| = e^-|ax| <= 1), the plateau's curvature is <= s / rho <= a^2, and
//   ||grad f|| >= |a sinh(a x)|; tight at 0. Theorem 3's premise therefore holds on any set S.
//   Level set of a start with f = Delta: with W = w(x), P = p(y), ||grad f||^2 = a^2 (W^2 + 2 W)
//   + phi(P), phi(P) = s^2 (1 - (1 + P / (s rho))^-2); phi' <= 2 s / rho <= 2 a^2 <= d/dW of the
//   first term, so on W + P <= Delta the sup is at W = Delta, P = 0: M = a sqrt(Delta^2 + 2 Delta).
//   Given M: Delta_M = sqrt(1 + (M / a)^2) - 1, and x0 = acosh(1 + Delta_M - p(y0)) / a, so
//   f(x0, y0) = Delta_M; M must exceed a sqrt(P0^2 + 2 P0), P0 = p(y0) (the level set of the
//   start with x0 = 0). ||grad f(x0, y0)|| < M.
//   Fixed-step GD lower bound (derived here): take eps < s and y_eps = rho (eps / s) /
//   sqrt(1 - (eps / s)^2), the |y| below which |p'| <= eps; g0 = a sinh(a x0). For any step
//   h > 0, GD from (x0, y0) needs at least
//     LB = (y0 - y_eps) g0 / (2 s x0)
//   iterations to reach ||grad f|| <= eps: if h g0 > 2 x0, then |x_1| = h a sinh(a x0) - x0 > x0
//   and, since sinh(a t) / t increases in t > 0, |x_t| increases forever, so ||grad f|| >= g0 > eps
//   at every iterate; otherwise h <= 2 x0 / g0, each step moves y by h |p'| < h s, and
//   ||grad f|| <= eps needs |p'(y)| <= eps, i.e. |y| <= y_eps. With x0 = asinh(g0 / a) / a, LB =
//   (y0 - y_eps) a g0 / (2 s asinh(g0 / a)) ~ L1 M / log M: the shape of the paper's lower bound.
// Implementation: cosh(a x) - 1 = 2 sinh(a x / 2)^2; sqrt(1 + u^2) - 1 = u^2 / (hypot(1, u) + 1)
// for |u| <= 1 and hypot(1, u) - 1 beyond (no cancellation, no overflow); +inf once cosh
// overflows (|a x| > 710), which a run records as divergence.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

// The instance's numbers, computed from a validated spec (the problem and the tests share them).
struct WallPlateauInstance {
  double rate = 1.0;      // a
  double slope = 0.0;     // s
  double width = 1.0;     // rho
  double y0 = 0.0;        // plateau_start
  double M = 0.0;         // level_set_gradient
  double plateau0 = 0.0;  // P0 = p(y0)
  double delta = 0.0;     // Delta_M = f(x0, y0)
  double x0 = 0.0;        // the wall start

  static WallPlateauInstance From(const ResolvedSpec& spec);
  double Plateau(double y) const;  // p(y)
  // LB above for a stopping level eps in (0, s); NaN outside.
  double GdLowerBound(double eps) const;
};

// Throws InputError for a spec whose facts would not hold (width below slope / rate^2, M not
// above the minimum a sqrt(P0^2 + 2 P0)).
void CheckWallPlateau(const ResolvedSpec& spec);
std::unique_ptr<Problem> MakeWallPlateau(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
