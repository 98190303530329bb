#include "clipsim/replay/warmup.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "clipsim/replay/alexnet.hpp"
#include "clipsim/replay/batch_statistics.hpp"
#include "clipsim/replay/batch_stream.hpp"
#include "clipsim/replay/device.hpp"
#include "clipsim/replay/method_step.hpp"
#include "clipsim/replay/optimizer.hpp"
#include "clipsim/replay/per_sample.hpp"
#include "clipsim/replay/quantile.hpp"
#include "clipsim/replay/schedule.hpp"

namespace clipsim::replay {
namespace {

// The warm-up's batches use an epoch key no training epoch uses.
constexpr int64_t kWarmupEpochKey = -1;

bool Uses(const TrainOptions& options, Method method) {
  return std::find(options.methods.begin(), options.methods.end(), method) != options.methods.end();
}

}  // namespace

ClipSettings ResolveClipSettings(const TrainOptions& options, const Dataset& train,
                                 const at::Device& device, std::ostream* log) {
  ClipSettings settings;
  const bool needs_scale_power =
      Uses(options, Method::kPsClipSgd) ||
      (Uses(options, Method::kPsClipConst) && options.ps_threshold.automatic);
  const bool needs_estimate =
      (needs_scale_power && (options.clip_scale.automatic || options.clip_power.automatic)) ||
      ((Uses(options, Method::kClipSgd) || Uses(options, Method::kClipSgdMicro)) &&
       options.clip_threshold.automatic);

  std::vector<double> norms;
  std::vector<double> noise_norms;
  std::vector<double> mean_norms;
  std::vector<double> micro_mean_norms;
  if (needs_estimate) {
    const auto start = std::chrono::steady_clock::now();
    const AlexNetCifar model(options.seed, at::kFloat, device);
    const PerSampleGradients per_sample(model, options.norm_mode);
    MomentumSgd optimizer(model.parameters(), options.momentum, options.weight_decay);
    const MethodStep sgd(Method::kSgd, model, options.norm_mode, options.accum_steps,
                         ClipSettings{}, /*time_clipping=*/false);
    const double lr = LearningRate(options, 0);
    const int64_t measured_batches =
        (options.warmup_samples + options.batch_size - 1) / options.batch_size;
    const int64_t total = options.warmup_steps + measured_batches;
    int64_t step = 0;
    // Epoch keys -1, -2, ...: orders no training epoch uses.
    for (int64_t key = kWarmupEpochKey; step < total; --key) {
      StreamOptions stream;
      stream.batch_size = options.batch_size;
      stream.queue_depth = options.queue_depth;
      stream.seed = options.seed;
      stream.epoch = key;
      stream.pin_memory = device.is_cuda();
      BatchStream batches(train, stream);
      if (batches.num_batches() == 0) break;
      while (step < total) {
        std::optional<Batch> batch = batches.Next();
        if (!batch) break;
        const at::Tensor x = ToDevice(batch->images, device);
        const at::Tensor y = ToDevice(batch->labels, device);
        if (step >= options.warmup_steps) {
          const BatchStatistics stats = MeasureBatch(per_sample, x, y, options.accum_steps);
          norms.insert(norms.end(), stats.norms.begin(), stats.norms.end());
          noise_norms.insert(noise_norms.end(), stats.noise_norms.begin(), stats.noise_norms.end());
          mean_norms.push_back(stats.mean_norm);
          micro_mean_norms.insert(micro_mean_norms.end(), stats.micro_mean_norms.begin(),
                                  stats.micro_mean_norms.end());
        }
        optimizer.Step(sgd.Compute(x, y).gradient, lr);
        ++step;
      }
    }
    settings.warmup_ran = true;
    settings.warmup_samples = static_cast<int64_t>(norms.size());
    settings.warmup_tail = EstimateTail(noise_norms, options.tail_k);
    settings.warmup_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  const double q = options.scale_quantile;
  settings.clip_scale =
      options.clip_scale.automatic ? Quantile(norms, q) : options.clip_scale.value;
  if (options.clip_power.automatic) {
    settings.warmup_raw_power = settings.warmup_tail.hill.alpha;
    const double p = settings.warmup_raw_power;
    settings.clip_power =
        std::isfinite(p) ? std::clamp(p, kMinClipPower, kMaxClipPower) : kMaxClipPower;
  } else {
    settings.clip_power = options.clip_power.value;
  }
  settings.ps_threshold =
      options.ps_threshold.automatic
          ? settings.clip_scale * std::pow(0.5 * static_cast<double>(options.batch_size + 1),
                                           1.0 / settings.clip_power)
          : options.ps_threshold.value;
  if (options.clip_threshold.automatic) {
    settings.clip_threshold = Quantile(mean_norms, q);
    settings.clip_threshold_micro = Quantile(micro_mean_norms, q);
  } else {
    settings.clip_threshold = settings.clip_threshold_micro = options.clip_threshold.value;
  }
  if (log != nullptr && settings.warmup_ran) {
    *log << "warm-up: " << settings.warmup_samples << " per-sample gradients after "
         << options.warmup_steps << " SGD steps: "
         << "clip_scale=" << settings.clip_scale << " clip_power=" << settings.clip_power
         << " (Hill " << settings.warmup_tail.hill.alpha << " [" << settings.warmup_tail.hill.lo
         << ", " << settings.warmup_tail.hill.hi << "], k=" << settings.warmup_tail.k << ")"
         << " ps_threshold=" << settings.ps_threshold
         << " clip_threshold=" << settings.clip_threshold
         << " clip_threshold_micro=" << settings.clip_threshold_micro << " ("
         << settings.warmup_seconds << " s)\n";
  }
  return settings;
}

}  // namespace clipsim::replay
