// The one reduction kernel every optimizer forms its update direction with:
//   d = (1/n) sum_k w_k g_k,   w_k = 1 (SGD) or a clipping factor,
// with rows summed in order k = 1, 2, ... into one accumulator. Because every method goes through
// these functions, the exact reductions hold bit for bit (ps_clip_sgd with an infinite threshold
// is sgd; ps_clip_const with batch 1 is clip_sgd with batch 1; clip_per_microbatch with K = 1 is
// clip_after_accumulation), and a batch processed in chunks of rows sums in the same order as
// the whole batch.
//
// Norms are computed in a fixed order that does not depend on memory alignment (Eigen's
// vectorized reductions peel differently for differently aligned rows, which would make the norm
// of a batch row differ in the last bit from the norm of the same numbers in a vector).
#pragma once

#include <cmath>
#include <cstdint>

#include "clipsim/core/types.hpp"

namespace clipsim::sim {

// Euclidean norm of v[0..d), summed in a fixed order; rescaled when the plain sum of squares
// overflows, so a finite vector has a finite norm. +inf or NaN entries give +inf or NaN.
double Norm(const double* v, std::int64_t d);
inline double Norm(const Vector& v) {
  return Norm(v.data(), v.size());
}

// acc + w * g as a loop `acc += w * g` computes it: contracted to one fused multiply-add where
// the build has FMA (GNU dialect, -ffp-contract=fast). Written out wherever the bits must not
// depend on whether the compiler contracts (it decides by the code around the expression, and may
// vectorize a loop as separate products and in-order sums): the reduction kernel, the fused
// scalar step, the run's running sums.
[[gnu::always_inline]] inline double MulAdd(double w, double g, double acc) {
#if defined(__FMA__)
  return std::fma(w, g, acc);
#else
  return acc + w * g;
#endif
}

// Norm(&v, 1) without the call: sqrt(v * v) is that norm bit for bit unless v * v overflows.
// For the per-step norms of scalar runs, where the call cost more than the norm.
inline double ScalarNorm(double v) {
  const double norm = std::sqrt(v * v);
  return std::isinf(norm) ? Norm(&v, 1) : norm;
}

// norms[k] = Norm(row k).
void RowNorms(const Eigen::Ref<const Batch>& rows, double* norms);

// acc += sum_k weights[k] * row k, rows in order k = 0, 1, ...
void AccumulateWeighted(const Eigen::Ref<const Batch>& rows, const double* weights,
                        Eigen::Ref<Vector> acc);

// The rows g_k = noise[k * dim + j] + plus[j] (k < rows, j < dim) given by their parts: the
// oracle's noise drawn ahead and grad f(x), for runs of additive noise.
struct NoisyRows {
  const double* noise;
  const double* plus;
  std::int64_t rows;
  std::int64_t dim;
};

// Per-sample clipping of such rows: w_k = ClipFactor(lambda_k, ||g_k||), counted as clipped where
// ||g_k|| > lambda_k; without it every w_k = 1.
struct RowClipping {
  bool per_sample = false;
  const double* thresholds = nullptr;  // lambda_k = thresholds[k], k < rows; or, where null,
  double threshold = 0.0;              // lambda_k = threshold for every row
};

// The widest rows AccumulateNoisyRows takes: four of them in registers (AVX-512's 32 vector
// registers hold four rows of 16, their sums and the gradient; AVX2's 16 hold most of it).
constexpr std::int64_t kNoisyRowsMaxDim = 16;
// Whether AccumulateNoisyRows takes rows of this dimension: 2 <= dim <= kNoisyRowsMaxDim, in
// builds with AVX2 and FMA (the summation orders it repeats are those builds' orders).
bool FusesNoisyRows(std::int64_t dim);

// acc += sum_k w_k g_k, rows in order; returns the rows clipped. The bits of writing the rows out
// and passing them through RowNorms, Optimizer::AddRows' weights and AccumulateWeighted (checked
// by tests/sim/noisy_rows_test.cpp), in one pass four rows at a time, with each row's sum, norm,
// factor and products in registers: at small dim the writing and reading back, and the three
// calls per chunk, cost more than the arithmetic. Only where FusesNoisyRows(rows.dim).
std::int64_t AccumulateNoisyRows(const NoisyRows& rows, const RowClipping& clip, double* acc);

// The clipping factor min(1, threshold / norm), written so that threshold = +inf or norm = 0
// gives exactly 1 and a NaN norm gives 1 (the NaN then reaches the iterate and ends the run).
inline double ClipFactor(double threshold, double norm) {
  return norm > threshold ? threshold / norm : 1.0;
}

}  // namespace clipsim::sim
