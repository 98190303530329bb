// streaming_least_squares: the model of Marshall, Xiao, Agarwala & Paquette (2024, "To clip or not
// to clip", arXiv 2406.11733). Every sampled gradient draws a fresh data point a ~ N(0, K) and a
// label b = <a, x*> + eps, eps one draw of the run's noise law, and is the gradient of the loss
// (<a, x> - b)^2 / 2 there:
//   g = (<a, x - x*> - eps) a.
// The instance (spectrum lambda_i = trace i^(-power) / sum_j j^(-power), x* with |x*_i| =
// sqrt(2 risk0 / trace) and signs from the instance generator, x0 = 0) is defined once in
// dynamics/streaming_lsq.hpp, which the risk ODE reads too.
//
// Value: the excess risk R(x) = (1/2) (x - x*)^T K (x - x*) = E loss - E eps^2 / 2 (defined even
// when the label noise has no variance); gradient K (x - x*) = E g (a is independent of eps and
// mean zero, so E[eps a] = 0 whatever eps's law). Facts: globally smooth and convex,
// L = lambda_1 (L0 = L, L1 = 0); ||grad f|| is unbounded (G = inf); f_low = 0 = R(x*), the
// minimizer x*; R(x0) = risk0 exactly.
// Per-sample law (checked in tests/sim/problems_test.cpp): with r = x - x* and Gaussian a
// (Isserlis), E g = K r and
//   Cov g = (r^T K r + E eps^2) K + K r r^T K   (eps mean zero, finite variance).
//
// Streams: the data point of row k takes its d standard normals from the data stream (the noise
// library's Box-Muller fill, one fill per row), then scales them by sqrt(lambda_i); its label
// noise is one NoiseModel::Sample from the noise stream. Rows are drawn in order, one data point
// and one label each, so methods with the same batch size see the same (a, eps) sequence on a
// seed (common random numbers), and chunking never changes a run. Cost O(d) per sample, no heap
// allocation.
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

std::unique_ptr<Problem> MakeStreamingLeastSquares(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
