// Per-sample gradient statistics of one batch at the current parameters, from one book-keeping
// pass over the whole batch (used by the warm-up estimate and by the diagnostics).
//
// The noise norms ||g_k - gbar|| (gbar: the batch mean gradient) come from
//   ||g_k - gbar||^2 = ||g_k||^2 - 2 <g_k, gbar> + ||gbar||^2,
// with <g_k, gbar> from PerSampleGradients::Dot (the layer applied to a_k with weights gbar,
// dotted with the output gradient: no per-sample gradient is formed for ghost layers). The
// difference is formed in float64 and clamped at 0 (rounding can make it slightly negative when
// g_k is close to gbar).
#pragma once

#include <ATen/ATen.h>

#include <vector>

#include "clipsim/replay/per_sample.hpp"

namespace clipsim::replay {

struct BatchStatistics {
  std::vector<double> norms;             // ||g_k||, in batch order
  std::vector<double> noise_norms;       // ||g_k - gbar||
  double mean_norm = 0.0;                // ||gbar||
  std::vector<double> micro_mean_norms;  // ||mean over micro-batch j||, j = 1..K
  double loss_sum = 0.0;
};

// accum_steps: K; the batch size must be a multiple of it.
BatchStatistics MeasureBatch(const PerSampleGradients& per_sample, const at::Tensor& images,
                             const at::Tensor& labels, int accum_steps);

}  // namespace clipsim::replay
