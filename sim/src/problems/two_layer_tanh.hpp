// two_layer_tanh: a two-layer tanh network (both layers trained) fit by squared loss to data from a
// teacher network of the same shape (the teacher-student setting of Saad & Solla 1995, with a
// trained second layer):
//   out(a; W, v) = sum_{k<h} v_k tanh(W_k . a),   f(W, v) = (1/(2m)) sum_j (out(a_j; W, v) -
//   y_j)^2,
// h = `width`, m = `samples`, input dimension p = dim / h - 1 (dim must be h (p + 1), p >= 1).
// x = (W row by row, then v): x[k p + i] = W_ki, x[h p + k] = v_k. A data problem with
// f_j = (out(a_j) - y_j)^2 / 2.
//
// Instance (in this order from the instance generator): teacher W* with i.i.d. N(0, 1/p) entries,
// v* with i.i.d. N(0, 1/h) entries; features a_j with i.i.d. N(0, 1) or Student-t(`data_tail`)
// coordinates; labels y_j = out(a_j; W*, v*) + `label_noise` * e_j (e_j of the feature law);
// the default start (W0, v0) drawn like the teacher.
// Facts: f >= 0 = f_low, attained at the teacher (Minimizer()) when label_noise = 0. Not globally
// smooth: d^2 f_j / dW_k^2 contains v_k^2 tanh'(.)^2 a_j a_j^T and the cross derivative in (v_k,
// W_k) grows with the residual, so ||Hess f|| is unbounded as |v| grows; no (L0, L1) pair is known.
// Implementation: full-data passes take blocks of rows, with the block's activations
// tanh(A W^T) from one matrix product into a 32 KB stack buffer; per-sample gradients keep the
// hidden activations in a stack vector (width <= 256). No heap allocation in Value, Gradient or
// SampleGradients at moderate sizes (Eigen's product kernels may allocate work space for large
// ones).
#pragma once

#include <memory>

#include "clipsim/sim/problem.hpp"
#include "problems/resolved_spec.hpp"

namespace clipsim::sim::problems {

inline constexpr int kTwoLayerMaxWidth = 256;

std::unique_ptr<Problem> MakeTwoLayerTanh(const ResolvedSpec& spec);

}  // namespace clipsim::sim::problems
