// The clipping factors of the methods, gamma in [0, 1] multiplying a gradient of norm `norm`.
// A zero norm gives gamma = 1; a NaN norm gives NaN, so a blow-up shows up as divergence.
#pragma once

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace clipsim::replay {

// PS-Clip-SGD (Nobile & Grohs 2026): gamma_k = min(1, clip_scale k^(1/clip_power) / ||g_k||) with
// k = offset + 1, ..., offset + B the samples' positions in the (randomly ordered) batch; offset
// continues the count across the micro-batches of one step. norms: (B), any floating dtype.
inline at::Tensor PsClipFactors(const at::Tensor& norms, double clip_scale, double clip_power,
                                int64_t offset) {
  const int64_t n = norms.size(0);
  const at::Tensor positions = at::arange(offset + 1, offset + n + 1, norms.options());
  const at::Tensor thresholds = positions.pow(1.0 / clip_power).mul_(clip_scale);
  return (thresholds / norms).clamp_max_(1.0);
}

// Constant per-sample threshold: gamma_k = min(1, threshold / ||g_k||).
inline at::Tensor ConstClipFactors(const at::Tensor& norms, double threshold) {
  return (threshold / norms).clamp_max(1.0);
}

// Batch-level clipping of one mean gradient: min(1, threshold / norm).
inline double ClipFactor(double norm, double threshold) {
  if (std::isnan(norm)) return norm;
  return norm > threshold ? threshold / norm : 1.0;
}

}  // namespace clipsim::replay
