#include "clipsim/replay/batch_statistics.hpp"

#include <cmath>

namespace clipsim::replay {
namespace {

std::vector<double> ToVector(const at::Tensor& t) {
  const at::Tensor cpu = t.detach().to(at::kCPU, at::kDouble).contiguous();
  return std::vector<double>(cpu.data_ptr<double>(), cpu.data_ptr<double>() + cpu.numel());
}

}  // namespace

BatchStatistics MeasureBatch(const PerSampleGradients& per_sample, const at::Tensor& images,
                             const at::Tensor& labels, int accum_steps) {
  PerSamplePass pass = per_sample.Backward(images, labels);
  at::NoGradGuard no_grad;
  const int64_t batch = pass.batch_size();
  const int64_t micro = batch / accum_steps;
  const at::Tensor sq_norms = per_sample.SquaredNorms(pass);

  // Micro-batch means (the full-batch mean is their average).
  BatchStatistics stats;
  std::vector<at::Tensor> mean;
  for (int j = 0; j < accum_steps; ++j) {
    at::Tensor weights = at::zeros({batch}, sq_norms.options());
    weights.narrow(0, j * micro, micro).fill_(1.0 / static_cast<double>(micro));
    std::vector<at::Tensor> micro_mean = per_sample.WeightedSum(pass, weights);
    stats.micro_mean_norms.push_back(std::sqrt(SquaredNorm(micro_mean).item<double>()));
    if (accum_steps == 1) {
      mean = std::move(micro_mean);
    } else if (mean.empty()) {
      for (const at::Tensor& m : micro_mean) mean.push_back(m / accum_steps);
    } else {
      for (std::size_t i = 0; i < mean.size(); ++i) mean[i].add_(micro_mean[i] / accum_steps);
    }
  }
  const double mean_sq = SquaredNorm(mean).item<double>();
  stats.mean_norm = std::sqrt(mean_sq);
  const at::Tensor dots = per_sample.Dot(pass, mean).to(at::kDouble);
  const at::Tensor sq64 = sq_norms.to(at::kDouble);
  stats.norms = ToVector(sq64.sqrt());
  stats.noise_norms = ToVector((sq64 - 2.0 * dots + mean_sq).clamp_min(0.0).sqrt());
  stats.loss_sum = pass.losses.sum().item<double>();
  return stats;
}

}  // namespace clipsim::replay
