// exp_type: f(x) = sum_i (cosh(a x_i) - 1), a = `rate` (the exp-type example of Zhang, He, Sra &
// Jadbabaie 2020: e^{a x} + e^{-a x} is (L0, L1)-smooth but not globally smooth).
// f >= 0 = f(0): f_low = 0, minimizer 0. Default start: x_i = 3. Convex.
// (L0, L1) = (a^2, a), derived here: ||Hess f|| = max_i a^2 cosh(a x_i), ||grad f|| >= max_i
// a |sinh(a x_i)|, and cosh(u) - |sinh(u)| = e^{-|u|} <= 1, so a^2 cosh(u) <= a^2 + a (a
// |sinh(u)|), with equality at u = 0 (tight). Level set of a start x0 (derived here): with
// c_i = cosh(a x_i) - 1, ||grad f||^2 = a^2 sum_i (c_i^2 + 2 c_i) is convex in c, so on
// {sum_i c_i <= Delta = f(x0)} it is largest with all of Delta on one coordinate:
// M(x0) = a sqrt(Delta^2 + 2 Delta) (= a |sinh(a x0)| in dimension 1).
// Implementation: cosh(u) - 1 = 2 sinh(u/2)^2, accurate near the minimizer; +inf once cosh
// overflows (|a x| > 710), which a run records as divergence.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

std::unique_ptr<Problem> MakeExpType(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
