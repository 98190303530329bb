// nonconvex_sum: f(x) = c * sum_i phi(x_i), phi(t) = t^2 / (1 + t^2), c = `scale`.
//
// A smooth, non-convex function with a bounded gradient whose gradient vanishes far from the
// origin (so a far-away iterate looks stationary: report f - f_low beside ||grad f||).
// Facts (see bounded_square.hpp): the Hessian is diag(c phi''(x_i)), so
//   L = c sup|phi''| = 2c exactly (attained at x = 0);
//   ||grad f|| <= c (3 sqrt(3)/8) sqrt(d), attained at x_i = +-1/sqrt(3);
//   f >= 0 = f(0): f_low = 0, minimizer 0. Default start: x_i = 1.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

std::unique_ptr<Problem> MakeNonconvexSum(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
