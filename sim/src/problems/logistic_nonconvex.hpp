// logistic_nonconvex: logistic regression with the non-convex penalty w^2/(1 + w^2) (Antoniadis,
// Gijbels & Nikolova 2011), a standard non-convex benchmark (e.g. SpiderBoost, Wang et al. 2019):
//   f(w) = (1/m) sum_j log(1 + exp(-y_j a_j^T w)) + lambda sum_i w_i^2 / (1 + w_i^2),
// lambda = `lambda`, m = `samples`. A data problem: f_j(w) = log(1 + exp(-y_j a_j^T w)) +
// lambda sum_i phi(w_i) (the regularizer is part of every f_j, so mean_j f_j = f).
//
// Instance (in this order from the instance generator): w* ~ N(0, I/d); features a_j with i.i.d.
// coordinates N(0, 1) or, with `data_tail` = nu >= 1, Student-t(nu); labels y_j = sign(a_j^T w*)
// (sign(0) = +1), each flipped with probability `label_flip` (a uniform draw per point).
// Facts: the logistic part has Hessian (1/m) A^T diag(s_j (1 - s_j)) A with s_j (1 - s_j) <= 1/4,
// the regularizer lambda diag(phi''(w_i)) with |phi''| <= 2, so
//   L = lambda_max(A^T A / m)/4 + 2 lambda (tight at w = 0, where both bounds are attained);
//   ||grad f|| <= min(mean_j ||a_j||, sqrt(lambda_max(A^T A / m))) + lambda (3 sqrt(3)/8) sqrt(d);
//   f >= 0: f_low = 0 (both parts are non-negative). Default start: w = 0.
// Implementation: log(1 + e^z) = max(z, 0) + log1p(e^-|z|), never overflowing.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

std::unique_ptr<Problem> MakeLogisticNonconvex(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
