#include "clipsim/replay/bench.hpp"

#include <chrono>
#include <cstdio>
#include <memory>

#include "clipsim/replay/alexnet.hpp"
#include "clipsim/replay/batch_statistics.hpp"
#include "clipsim/replay/batch_stream.hpp"
#include "clipsim/replay/cifar.hpp"
#include "clipsim/replay/device.hpp"
#include "clipsim/replay/method_step.hpp"
#include "clipsim/replay/optimizer.hpp"
#include "clipsim/replay/quantile.hpp"

namespace clipsim::replay {
namespace {

struct Contender {
  BenchRow row;
  std::unique_ptr<AlexNetCifar> model;
  std::unique_ptr<MomentumSgd> optimizer;
  std::unique_ptr<MethodStep> step;
  std::vector<double> times_ms;
};

ClipSettings BenchSettings(const TrainOptions& options, const BatchStatistics& stats) {
  ClipSettings s;
  const double median = Quantile(stats.norms, 0.5);
  s.clip_scale = options.clip_scale.automatic ? median : options.clip_scale.value;
  s.clip_power = options.clip_power.automatic ? 2.0 : options.clip_power.value;
  s.ps_threshold = options.ps_threshold.automatic ? median : options.ps_threshold.value;
  s.clip_threshold =
      options.clip_threshold.automatic ? stats.mean_norm : options.clip_threshold.value;
  s.clip_threshold_micro = s.clip_threshold;
  return s;
}

}  // namespace

BenchReport RunBench(const BenchOptions& bench, const TrainOptions& options, std::ostream& out) {
  bench.Validate(options);
  const at::Device device = ResolveDevice(options.device);
  ConfigureBackends(device, options.threads);

  // One augmented synthetic batch, on the device for the whole benchmark.
  const DataSplit data = MakeSynthetic(bench.batch_size, 1, options.seed);
  StreamOptions stream;
  stream.batch_size = bench.batch_size;
  stream.seed = options.seed;
  BatchStream batches(data.train, stream);
  const Batch host = *batches.Next();
  const at::Tensor x = ToDevice(host.images, device);
  const at::Tensor y = ToDevice(host.labels, device);

  ClipSettings settings;
  {
    const AlexNetCifar probe(options.seed, at::kFloat, device);
    const PerSampleGradients per_sample(probe, options.norm_mode);
    settings = BenchSettings(options, MeasureBatch(per_sample, x, y, bench.accum_steps));
  }

  std::vector<Contender> contenders;
  auto add = [&](Method method, int k) {
    Contender c;
    c.row.method = method;
    c.row.accum_steps = k;
    c.model = std::make_unique<AlexNetCifar>(options.seed, at::kFloat, device);
    c.optimizer = std::make_unique<MomentumSgd>(c.model->parameters(), options.momentum,
                                                options.weight_decay);
    c.step = std::make_unique<MethodStep>(method, *c.model, options.norm_mode, k, settings,
                                          /*time_clipping=*/false);
    contenders.push_back(std::move(c));
  };
  for (Method m : {Method::kSgd, Method::kClipSgd, Method::kPsClipSgd, Method::kPsClipConst}) {
    add(m, 1);
  }
  if (bench.accum_steps > 1) {
    for (Method m : {Method::kSgd, Method::kClipSgd, Method::kClipSgdMicro, Method::kPsClipSgd}) {
      add(m, bench.accum_steps);
    }
  }

  // A small learning rate keeps the weights (and so the work) steady over the timed steps.
  constexpr double kBenchLr = 1e-3;
  for (int s = 0; s < bench.warmup + bench.steps; ++s) {
    for (Contender& c : contenders) {
      Synchronize(device);
      const auto start = std::chrono::steady_clock::now();
      StepOutput step = c.step->Compute(x, y);
      c.optimizer->Step(step.gradient, kBenchLr);
      Synchronize(device);
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      if (s >= bench.warmup) c.times_ms.push_back(ms);
    }
  }

  BenchReport report;
  report.device = DescribeDevice(device);
  double sgd1 = 0.0, ps1 = 0.0, once = 0.0, micro = 0.0;
  for (Contender& c : contenders) {
    c.row.median_ms = Quantile(c.times_ms, 0.5);
    c.row.q25_ms = Quantile(c.times_ms, 0.25);
    c.row.q75_ms = Quantile(c.times_ms, 0.75);
    report.rows.push_back(c.row);
    if (c.row.accum_steps == 1 && c.row.method == Method::kSgd) sgd1 = c.row.median_ms;
    if (c.row.accum_steps == 1 && c.row.method == Method::kPsClipSgd) ps1 = c.row.median_ms;
    if (c.row.accum_steps > 1 && c.row.method == Method::kClipSgd) once = c.row.median_ms;
    if (c.row.accum_steps > 1 && c.row.method == Method::kClipSgdMicro) micro = c.row.median_ms;
  }
  report.ps_clip_over_sgd = ps1 / sgd1;
  report.micro_over_once = once > 0.0 ? micro / once : 0.0;

  out << "clipsim-replay bench: AlexNet-CIFAR (" << contenders.front().model->NumParameters()
      << " parameters), batch " << bench.batch_size << ", float32, device " << report.device
      << ", LibTorch " << LibTorchVersion() << ", norm mode " << ToString(options.norm_mode)
      << "\nmedian of " << bench.steps << " steps after " << bench.warmup
      << " warm-up steps, rows interleaved\n";
  char line[160];
  std::snprintf(line, sizeof(line), "%-16s %3s %11s %11s %11s %9s\n", "method", "K", "median ms",
                "q25 ms", "q75 ms", "/ sgd");
  out << line;
  for (const BenchRow& r : report.rows) {
    double sgd_same_k = 0.0;
    for (const BenchRow& s : report.rows) {
      if (s.method == Method::kSgd && s.accum_steps == r.accum_steps) sgd_same_k = s.median_ms;
    }
    std::snprintf(line, sizeof(line), "%-16s %3d %11.3f %11.3f %11.3f %9.3f\n",
                  ToString(r.method).c_str(), r.accum_steps, r.median_ms, r.q25_ms, r.q75_ms,
                  r.median_ms / sgd_same_k);
    out << line;
  }
  std::snprintf(line, sizeof(line), "PS-Clip / SGD (K=1): %.3f\n", report.ps_clip_over_sgd);
  out << line;
  if (bench.accum_steps > 1) {
    std::snprintf(line, sizeof(line), "clip each micro-batch / clip once (K=%d): %.3f\n",
                  bench.accum_steps, report.micro_over_once);
    out << line;
  }
  return report;
}

}  // namespace clipsim::replay
