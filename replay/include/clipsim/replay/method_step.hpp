// One optimizer step's update direction for each method (before weight decay and momentum).
//   sgd, clip-sgd, clip-sgd-micro: the ordinary autograd backward per micro-batch (the baseline
//     cost), then no clipping, clipping of the accumulated mean, or of each micro-batch mean;
//   ps-clip-sgd, ps-clip-const: per-sample norms by book-keeping (per_sample.hpp) and
//     (1/B) sum_k gamma_k g_k formed from the reweighted output gradients.
// With K = accum_steps micro-batches of B/K samples, the micro-batches are processed one after
// the other (the memory use of B/K), as in gradient accumulation.
#pragma once

#include <ATen/ATen.h>

#include <vector>

#include "clipsim/replay/alexnet.hpp"
#include "clipsim/replay/clip_settings.hpp"
#include "clipsim/replay/options.hpp"
#include "clipsim/replay/per_sample.hpp"

namespace clipsim::replay {

struct StepOutput {
  std::vector<at::Tensor> gradient;  // one tensor per parameter
  at::Tensor loss_sum;               // sum of the batch's per-sample losses (0-dim, on device)
  double clip_seconds = 0.0;         // time in clipping (see MethodStep), when timed
};

class MethodStep {
 public:
  // time_clipping: measure clip_seconds, with a device synchronization before and after each
  // clipping section. What counts as clipping: for clip-sgd(-micro), the norm of the mean
  // gradient and the rescaling; for the per-sample methods, the per-sample norms (including the
  // instantiated per-sample gradients of layers that use them) and the factors gamma_k.
  MethodStep(Method method, const AlexNetCifar& model, NormMode norm_mode, int accum_steps,
             const ClipSettings& settings, bool time_clipping);

  StepOutput Compute(const at::Tensor& images, const at::Tensor& labels) const;

  Method method() const { return method_; }

 private:
  StepOutput ComputeBatchLevel(const at::Tensor& images, const at::Tensor& labels) const;
  StepOutput ComputePerSample(const at::Tensor& images, const at::Tensor& labels) const;

  Method method_;
  const AlexNetCifar& model_;
  PerSampleGradients per_sample_;
  int accum_steps_;
  ClipSettings settings_;
  bool time_clipping_;
};

}  // namespace clipsim::replay
