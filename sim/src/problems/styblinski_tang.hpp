// styblinski_tang: f(x) = (1/2) sum_i (x_i^4 - 16 x_i^2 + 5 x_i) (Styblinski & Tang 1990; as
// listed in the Virtual Library of Simulation Experiments, Surjanovic & Bingham). Its minimum is
// -39.16616570377142 d (quoted rounded as -39.16617 d).
// Each coordinate has a local minimum at 2.7468 and the global one at t* = -2.903534..., the
// smallest root of h'(t) = 2 t^3 - 16 t + 2.5, computed here in closed form (the trigonometric
// solution of the cubic, refined by two Newton steps); f_low = d h(t*) - 1e-12 |d h(t*)| (the
// margin covers the rounding of the sum), minimizer (t*, ..., t*). Default start: x = 0.
// Not globally smooth (h'' = 6 t^2 - 16). (L0, L1) = (35, 1), derived here:
//   ||Hess f|| = max_i |h''(x_i)| and ||grad f|| >= max_i |h'(x_i)|, so it suffices that
//   |6 t^2 - 16| <= 35 + |2 t^3 - 16 t + 2.5| for every t. For |t| <= s0 = sqrt(51/6) = 2.91548 the
//   left side lies in [-16, 35]. For s = |t| > s0 (so s^2 > 8), |h'(t)| >= 2 s (s^2 - 8) - 2.5, and
//   right minus left is at least q(s) = 2 s^3 - 6 s^2 - 16 s + 48.5, whose derivative
//   6 s^2 - 12 s - 16 vanishes at s1 = 1 + sqrt(11/3) = 2.91485 < s0: q increases on [s0, inf) and
//   q(s0) = 0.415 > 0. The sup of |h''| - |h'| is 34.58 (near t = -2.9149), so L0 = 35 is tight.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

// The per-coordinate minimizer t* and minimum h(t*).
double StyblinskiTangArgmin();
double StyblinskiTangMin();

std::unique_ptr<Problem> MakeStyblinskiTang(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
