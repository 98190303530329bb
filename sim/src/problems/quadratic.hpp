// quadratic: the convex reference f(x) = (1/2) (x - x*)^T H (x - x*), H = s Q diag(lambda) Q^T,
// s = `scale`, with the spectrum chosen by `spectrum`:
//   identity: lambda_i = 1 (the default: "the quadratic with identity Hessian" of the issue);
//   linear:   lambda_i evenly spaced from 1 down to 1/`condition` (i = 1..d);
//   power:    lambda_i = i^(-power) (the power-law spectra of the high-dimensional least-squares
//             setting of Marshall et al., "To clip or not to clip").
// Q = I, or with `rotate` = true a Haar-random orthogonal matrix (QR of a Gaussian matrix with the
// signs of diag(R) folded into Q, Mezzadri 2007). x* = 0, or with `shift` = c > 0 uniform in
// [-c, c]^d. Instance draws, in this order: x* (if shifted), then the Gaussian matrix (if rotated).
// Facts: globally smooth and convex, L = s max lambda = s, mu = s min lambda; f >= 0 = f(x*):
// f_low = 0, minimizer x*. Default start: x_i = 1. Level set of a start x0 (derived here):
// ||H v||^2 <= lambda_max v^T H v with equality along the top eigenvector, so
// M(x0) = sup{||grad f|| : f <= f(x0)} = sqrt(2 s lambda_1 f(x0)) = sqrt(2 L f(x0)).
// Implementation: with rotation, u_i = q_i^T (x - x*) row by row of Q^T (stored row-major), so f is
// a sum of non-negative terms (exactly >= 0) and nothing is allocated.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

// The codes of the `spectrum` choice parameter (its names are in the registry).
enum class Spectrum { kIdentity = 0, kLinear = 1, kPower = 2 };

std::unique_ptr<Problem> MakeQuadratic(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
