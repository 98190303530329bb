// robust_regression: non-convex robust linear regression with the Geman-McClure loss
// (Geman & McClure 1987; Black & Rangarajan 1996) on a planted synthetic data set:
//   f(w) = (1/m) sum_j rho(a_j^T w - y_j),  rho(r) = r^2 / (c^2 + r^2) = phi(r / c),
// c = `scale`, m = `samples`. A data problem: f_j(w) = rho(a_j^T w - y_j).
//
// Instance (in this order from the instance generator): w* ~ N(0, I/d); features a_j with i.i.d.
// coordinates N(0, 1) or, with `data_tail` = nu >= 1, Student-t(nu) (heavy-tailed data);
// residuals y_j - a_j^T w* = `residual_scale` * e_j with e_j of the same law as the features.
// Facts (phi from bounded_square.hpp, rho'' = phi''(r/c)/c^2, |rho''| <= 2/c^2):
//   Hess f = (1/m) A^T D A with |D_jj| <= 2/c^2, and |v^T A^T D A v| <= max|D| v^T A^T A v, so
//   L = (2/c^2) lambda_max(A^T A / m) (computed at construction, see GramLambdaMax; tight when all
//   residuals vanish);
//   ||grad f|| = ||(1/m) A^T u|| with |u_j| <= (3 sqrt(3)/8)/c, so
//   ||grad f|| <= (3 sqrt(3)/(8c)) min(mean_j ||a_j||, sqrt(lambda_max(A^T A / m)));
//   f >= 0: f_low = 0 (not attained unless residual_scale = 0). Default start: w = 0.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

std::unique_ptr<Problem> MakeRobustRegression(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
