// Shared machinery of the data problems (robust_regression, logistic_nonconvex, two_layer_tanh):
// synthetic features, the spectral constant that their smoothness bounds need, and the per-sample
// gradient loop.
#pragma once

#include <algorithm>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/sim/problem.hpp"

namespace clipsim::sim::problems {

// One standard draw: tail = 0 gives N(0, 1); tail = nu >= 1 gives Student-t with nu degrees of
// freedom (heavy-tailed data: E|X|^q < inf exactly for q < nu). Boost.Random distributions.
double DrawStandard(Rng& rng, double tail);

// m x p features, one data point per row, drawn row by row with DrawStandard.
Batch DrawFeatures(Rng& rng, int m, int p, double tail);

// An upper bound on lambda_max(A^T A / m) for the m x p matrix A of data points:
// the largest eigenvalue from Eigen's SelfAdjointEigenSolver on the smaller Gram matrix (A^T A/m or
// A A^T/m, same non-zero spectrum), times (1 + 1e-9) to cover its rounding error, when that costs
// at most ~2e9 flops; otherwise the trace mean_j ||a_j||^2 (always >= lambda_max). `exact` says
// which was used.
struct SpectralBound {
  double value = 0.0;
  bool exact = false;
};
SpectralBound GramLambdaMax(const Batch& a);

// mean_j ||a_j||.
double MeanRowNorm(const Batch& a);

// Full-data passes of linear models run over blocks of rows: z = A_block w is one matrix-vector
// product into a stack buffer (no heap), the loss and its slope are array expressions on z, and the
// gradient is accumulated by one transposed product per block. Several times faster than a loop of
// row dot products at small d.
inline constexpr Eigen::Index kRowBlock = 256;
using RowBlockVector = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, kRowBlock, 1>;

// Calls visit(j0, n, z) for consecutive blocks of n <= kRowBlock rows starting at row j0, with
// z = A.middleRows(j0, n) w.
template <typename Visit>
void ForEachRowBlock(const Batch& a, const Vector& w, Visit&& visit) {
  RowBlockVector z;
  for (Eigen::Index j0 = 0; j0 < a.rows(); j0 += kRowBlock) {
    const Eigen::Index n = std::min(kRowBlock, a.rows() - j0);
    z.resize(n);
    z.noalias() = a.middleRows(j0, n) * w;
    visit(j0, n, z);
  }
}

// The shared body of SampleGradients: row k <- grad f_j(x) with j = DrawDataIndex(rng, m), drawn in
// row order. P::PointGradientUnchecked is called without virtual dispatch.
template <typename P>
void SampleRows(const P& problem, const Vector& x, Rng& rng, Eigen::Ref<Batch> out) {
  const int m = problem.data_size();
  for (Eigen::Index k = 0; k < out.rows(); ++k) {
    const int j = DrawDataIndex(rng, m);
    problem.PointGradientUnchecked(j, x, out.row(k).transpose());
  }
}

}  // namespace clipsim::sim::problems
