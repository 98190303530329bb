// quartic: f(x) = a sum_i x_i^4, a = `scale` (Zhang, He, Sra & Jadbabaie 2020, "Why gradient
// clipping accelerates training": polynomials such as x^4 are (L0, L1)-smooth but not globally
// smooth, and there clipped / normalized steps provably beat any fixed step).
// f >= 0 = f(0): f_low = 0, minimizer 0. Default start: x_i = 2.
// (L0, L1) = (16 a, 1), derived here: ||Hess f|| = max_i 12 a x_i^2, ||grad f|| >= max_i 4 a
// |x_i|^3, and 12 a s^2 - 4 a s^3 is largest at s = 2, where it equals 16 a; so 12 a s^2 <= 16 a +
// 4 a s^3 for s >= 0, with equality at s = 2 (tight). Level set of a start x0 (derived here):
// with u_i = x_i^4, ||grad f||^2 = 16 a^2 sum_i u_i^(3/2) is convex in u, so on
// {a sum_i u_i <= Delta = f(x0)} it is largest with all of Delta on one coordinate:
// M(x0) = 4 a (Delta / a)^(3/4) (= 4 a |x0|^3 in dimension 1).
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

std::unique_ptr<Problem> MakeQuartic(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
