#include "clipsim/replay/method_step.hpp"

#include <torch/csrc/autograd/autograd.h>

#include <chrono>

#include "clipsim/replay/clip_rules.hpp"
#include "clipsim/replay/device.hpp"

namespace clipsim::replay {
namespace {

// Times a section when enabled, synchronizing the device at both ends so that the time is the
// device's and not the launch overhead's.
class SectionTimer {
 public:
  SectionTimer(bool enabled, const at::Device& device, double* seconds)
      : enabled_(enabled), device_(device), seconds_(seconds) {
    if (!enabled_) return;
    Synchronize(device_);
    start_ = std::chrono::steady_clock::now();
  }
  ~SectionTimer() {
    if (!enabled_) return;
    Synchronize(device_);
    *seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  SectionTimer(const SectionTimer&) = delete;
  SectionTimer& operator=(const SectionTimer&) = delete;

 private:
  bool enabled_;
  const at::Device& device_;
  double* seconds_;
  std::chrono::steady_clock::time_point start_;
};

// min(1, threshold / ||g||) as a 0-dim tensor, without a host synchronization.
at::Tensor ClipFactorTensor(const std::vector<at::Tensor>& gradient, double threshold) {
  return (threshold / SquaredNorm(gradient).sqrt()).clamp_max(1.0);
}

void AddScaled(std::vector<at::Tensor>& total, const std::vector<at::Tensor>& part,
               const at::Tensor& scale) {
  if (total.empty()) {
    for (const at::Tensor& p : part) total.push_back(p * scale);
    return;
  }
  for (std::size_t i = 0; i < total.size(); ++i) total[i].add_(part[i] * scale);
}

void AddAll(std::vector<at::Tensor>& total, std::vector<at::Tensor>&& part) {
  if (total.empty()) {
    total = std::move(part);
    return;
  }
  for (std::size_t i = 0; i < total.size(); ++i) total[i].add_(part[i]);
}

}  // namespace

MethodStep::MethodStep(Method method, const AlexNetCifar& model, NormMode norm_mode,
                       int accum_steps, const ClipSettings& settings, bool time_clipping)
    : method_(method),
      model_(model),
      per_sample_(model, norm_mode),
      accum_steps_(accum_steps),
      settings_(settings),
      time_clipping_(time_clipping) {}

StepOutput MethodStep::Compute(const at::Tensor& images, const at::Tensor& labels) const {
  return IsPerSample(method_) ? ComputePerSample(images, labels)
                              : ComputeBatchLevel(images, labels);
}

StepOutput MethodStep::ComputeBatchLevel(const at::Tensor& images, const at::Tensor& labels) const {
  StepOutput out;
  const int64_t micro = images.size(0) / accum_steps_;
  const at::Tensor inv_k = at::scalar_tensor(1.0 / accum_steps_, images.options());
  for (int j = 0; j < accum_steps_; ++j) {
    const at::Tensor x = images.narrow(0, j * micro, micro);
    const at::Tensor y = labels.narrow(0, j * micro, micro);
    const at::Tensor losses =
        at::nll_loss(model_.Forward(x).log_softmax(1), y, {}, at::Reduction::None);
    std::vector<at::Tensor> grads =
        torch::autograd::grad({losses.mean()}, model_.parameters(), {}, /*retain_graph=*/false);
    const at::Tensor loss_sum = losses.detach().sum();
    out.loss_sum = out.loss_sum.defined() ? out.loss_sum.add_(loss_sum) : loss_sum;
    at::NoGradGuard no_grad;
    if (method_ == Method::kClipSgdMicro) {
      at::Tensor factor;
      {
        SectionTimer timer(time_clipping_, model_.device(), &out.clip_seconds);
        factor = ClipFactorTensor(grads, settings_.clip_threshold_micro) * inv_k;
      }
      AddScaled(out.gradient, grads, factor);
    } else if (accum_steps_ == 1) {
      out.gradient = std::move(grads);
    } else {
      AddScaled(out.gradient, grads, inv_k);
    }
  }
  if (method_ == Method::kClipSgd) {
    at::NoGradGuard no_grad;
    SectionTimer timer(time_clipping_, model_.device(), &out.clip_seconds);
    const at::Tensor factor = ClipFactorTensor(out.gradient, settings_.clip_threshold);
    for (at::Tensor& g : out.gradient) g.mul_(factor);
  }
  return out;
}

StepOutput MethodStep::ComputePerSample(const at::Tensor& images, const at::Tensor& labels) const {
  StepOutput out;
  const int64_t batch = images.size(0);
  const int64_t micro = batch / accum_steps_;
  for (int j = 0; j < accum_steps_; ++j) {
    PerSamplePass pass = per_sample_.Backward(images.narrow(0, j * micro, micro),
                                              labels.narrow(0, j * micro, micro));
    at::NoGradGuard no_grad;
    const at::Tensor loss_sum = pass.losses.sum();
    out.loss_sum = out.loss_sum.defined() ? out.loss_sum.add_(loss_sum) : loss_sum;
    at::Tensor weights;
    {
      SectionTimer timer(time_clipping_, model_.device(), &out.clip_seconds);
      const at::Tensor norms = per_sample_.SquaredNorms(pass).sqrt_();
      const at::Tensor gamma =
          method_ == Method::kPsClipSgd
              ? PsClipFactors(norms, settings_.clip_scale, settings_.clip_power, j * micro)
              : ConstClipFactors(norms, settings_.ps_threshold);
      weights = gamma.div_(static_cast<double>(batch));
    }
    AddAll(out.gradient, per_sample_.WeightedSum(pass, weights));
  }
  return out;
}

}  // namespace clipsim::replay
