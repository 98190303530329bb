// smooth_rastrigin: f(x) = sum_i [ phi(x_i) + b (1 - cos(w x_i)) ], phi(t) = t^2 / (1 + t^2),
// b = `amplitude`, w = 2 pi `wavenumber`.
//
// A Rastrigin-type landscape (Rastrigin 1974; the classic sum x_i^2 - A cos(2 pi x_i) has an
// unbounded gradient) whose quadratic bowl is replaced by the bounded phi, so that the gradient is
// bounded and the function is globally smooth. With b w > 3 sqrt(3)/8 every coordinate has a local
// minimum in every period of the cosine (at the defaults b w = pi/2): infinitely many stationary
// points, one global minimizer x = 0.
// Facts: the Hessian is diag(phi''(x_i) + b w^2 cos(w x_i)), so
//   L = sup|phi''| + b w^2 = 2 + b w^2 exactly (both sups are attained at x = 0);
//   ||grad f|| <= (3 sqrt(3)/8 + b w) sqrt(d) (coordinate-wise sup, not tight);
//   f >= 0 = f(0): f_low = 0. Default start: x_i = 2.25, where sin(w x_i) = 1 at the defaults.
// Implementation: 1 - cos(u) = 2 sin^2(u/2), accurate near the minimizer.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

std::unique_ptr<Problem> MakeSmoothRastrigin(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
