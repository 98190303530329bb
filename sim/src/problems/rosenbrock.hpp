// rosenbrock: the extended Rosenbrock function (Rosenbrock 1960; the chained form of Dixon &
// Mills 1994), dim >= 2:
//   f(x) = sum_{i=1}^{d-1} [ 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 ].
// f >= 0 = f(1, ..., 1): f_low = 0, minimizer (1, ..., 1). Default start: the classic
// (-1.2, 1, -1.2, 1, ...).
// Not globally smooth: d^2 f / dx_i^2 = 1200 x_i^2 - 400 x_{i+1} + 2 + 200 [i > 1] is unbounded.
// Local bound (Gershgorin: diagonal plus the two off-diagonal entries |-400 x_i|, |-400 x_{i-1}|):
// on the box max_i |x_i| <= R, ||Hess f|| <= 1200 R^2 + 1200 R + 202. Not (L0, L1)-smooth either:
// along x_{i+1} = x_i^2 the gradient grows like |x| but the Hessian like x^2.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

std::unique_ptr<Problem> MakeRosenbrock(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
