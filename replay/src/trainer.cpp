#include "clipsim/replay/trainer.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "clipsim/core/input_error.hpp"
#include "clipsim/replay/batch_statistics.hpp"
#include "clipsim/replay/batch_stream.hpp"
#include "clipsim/replay/device.hpp"
#include "clipsim/replay/diagnostics.hpp"
#include "clipsim/replay/method_step.hpp"
#include "clipsim/replay/optimizer.hpp"
#include "clipsim/replay/per_sample.hpp"
#include "clipsim/replay/report.hpp"
#include "clipsim/replay/schedule.hpp"
#include "clipsim/replay/warmup.hpp"

namespace clipsim::replay {

class RunOutputs {
 public:
  RunOutputs(const std::string& dir, const RunRecord& record)
      : epochs(dir + "/epochs.csv", record,
               {"method", "epoch", "lr", "steps", "train_loss", "test_loss", "test_top1",
                "test_top5", "elapsed_s", "clip_s", "diag_s", "diverged"}),
        diagnostics(dir + "/diagnostics.csv", record, DiagnosticColumns()),
        tail(dir + "/tail.csv", record,
             {"method", "step", "epoch", "n", "k", "hill_alpha", "hill_lo", "hill_hi",
              "moment_alpha", "moment_lo", "moment_hi"}) {}

  CsvTable epochs;
  CsvTable diagnostics;
  CsvTable tail;
  int64_t tail_rows = 0;

 private:
  static std::vector<std::string> DiagnosticColumns() {
    std::vector<std::string> columns = {"method", "step",       "epoch",
                                        "lr",     "batch_loss", "fraction_clipped"};
    for (const char* what : {"factor", "norm", "noise"}) {
      for (const char* q : {"min", "q10", "q50", "q90", "max"}) {
        columns.push_back(std::string(what) + "_" + q);
      }
    }
    columns.push_back("mean_norm");
    return columns;
  }
};

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Num(double v) {
  return FormatNumber(v);
}
std::string Num(int64_t v) {
  return std::to_string(v);
}

void AppendAll(std::vector<std::string>& row, const std::vector<double>& values) {
  for (double v : values) row.push_back(Num(v));
}

bool ParametersFinite(const AlexNetCifar& model) {
  return std::isfinite(SquaredNorm(model.parameters()).item<double>());
}

}  // namespace

EvalResult Evaluate(const AlexNetCifar& model, const Dataset& data, int64_t batch_size,
                    int queue_depth) {
  at::NoGradGuard no_grad;
  StreamOptions stream;
  stream.batch_size = batch_size;
  stream.shuffle = false;
  stream.augment = false;
  stream.drop_last = false;
  stream.queue_depth = queue_depth;
  stream.pin_memory = model.device().is_cuda();
  BatchStream batches(data, stream);
  const at::TensorOptions acc = at::TensorOptions().dtype(at::kDouble).device(model.device());
  at::Tensor loss_sum = at::zeros({}, acc);
  at::Tensor top1 = at::zeros({}, acc);
  at::Tensor top5 = at::zeros({}, acc);
  while (std::optional<Batch> batch = batches.Next()) {
    const at::Tensor x = ToDevice(batch->images, model.device()).to(model.dtype());
    const at::Tensor y = ToDevice(batch->labels, model.device());
    const at::Tensor logits = model.Forward(x);
    loss_sum += at::nll_loss(logits.log_softmax(1), y, {}, at::Reduction::Sum).to(at::kDouble);
    const at::Tensor hits = std::get<1>(logits.topk(5, 1)).eq(y.unsqueeze(1));  // (B, 5)
    top1 += hits.select(1, 0).sum().to(at::kDouble);
    top5 += hits.any(1).sum().to(at::kDouble);
  }
  const auto n = static_cast<double>(data.size());
  return {loss_sum.item<double>() / n, 100.0 * top1.item<double>() / n,
          100.0 * top5.item<double>() / n};
}

MethodResult TrainMethod(Method method, const TrainOptions& options, const DataSplit& data,
                         const ClipSettings& settings, const at::Device& device,
                         RunOutputs* outputs, std::ostream& log) {
  const std::string name = ToString(method);
  const AlexNetCifar model(options.seed, at::kFloat, device);
  MomentumSgd optimizer(model.parameters(), options.momentum, options.weight_decay);
  const MethodStep step(method, model, options.norm_mode, options.accum_steps, settings,
                        options.time_clipping);
  const PerSampleGradients diag_engine(model, options.norm_mode);
  TailWindow tail(options.tail_window, options.tail_k);

  MethodResult result;
  result.method = method;
  int64_t global_step = 0;
  double elapsed = 0.0;
  double clip = 0.0;
  double diag = 0.0;
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    const double lr = LearningRate(options, epoch);
    StreamOptions stream;
    stream.batch_size = options.batch_size;
    stream.max_batches = options.max_steps_per_epoch;
    stream.queue_depth = options.queue_depth;
    stream.seed = options.seed;
    stream.epoch = epoch;
    stream.pin_memory = device.is_cuda();
    BatchStream batches(data.train, stream);

    at::Tensor loss_total = at::zeros({}, at::TensorOptions().dtype(at::kDouble).device(device));
    int64_t samples = 0;
    double diag_epoch = 0.0;
    Synchronize(device);
    const Clock::time_point epoch_start = Clock::now();
    while (std::optional<Batch> batch = batches.Next()) {
      const at::Tensor x = ToDevice(batch->images, device);
      const at::Tensor y = ToDevice(batch->labels, device);
      if (options.diag_every > 0 && global_step % options.diag_every == 0) {
        Synchronize(device);
        const Clock::time_point diag_start = Clock::now();
        const BatchStatistics stats = MeasureBatch(diag_engine, x, y, options.accum_steps);
        const DiagnosticRecord record = Summarize(method, settings, stats);
        const std::optional<TailReport> report = tail.Add(stats.noise_norms);
        if (outputs != nullptr) {
          std::vector<std::string> row = {
              name,    Num(global_step),       Num(int64_t{epoch + 1}),
              Num(lr), Num(record.batch_loss), Num(record.fraction_clipped)};
          AppendAll(row, record.factor_quantiles);
          AppendAll(row, record.norm_quantiles);
          AppendAll(row, record.noise_quantiles);
          row.push_back(Num(record.mean_norm));
          outputs->diagnostics.Row(row);
          if (report) {
            outputs->tail.Row({name, Num(global_step), Num(int64_t{epoch + 1}), Num(report->n),
                               Num(report->k), Num(report->hill.alpha), Num(report->hill.lo),
                               Num(report->hill.hi), Num(report->moment.alpha),
                               Num(report->moment.lo), Num(report->moment.hi)});
            ++outputs->tail_rows;
          }
        }
        diag_epoch += SecondsSince(diag_start);
      }
      StepOutput out = step.Compute(x, y);
      optimizer.Step(out.gradient, lr);
      loss_total += out.loss_sum.to(at::kDouble);
      samples += x.size(0);
      clip += out.clip_seconds;
      ++global_step;
    }
    Synchronize(device);
    elapsed += SecondsSince(epoch_start) - diag_epoch;
    diag += diag_epoch;

    EpochRecord record;
    record.epoch = epoch + 1;
    record.lr = lr;
    record.steps = global_step;
    record.train_loss = samples > 0 ? loss_total.item<double>() / static_cast<double>(samples)
                                    : std::numeric_limits<double>::quiet_NaN();
    record.diverged = !std::isfinite(record.train_loss) || !ParametersFinite(model);
    if (record.diverged) {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      record.test = {nan, nan, nan};
    } else {
      record.test = Evaluate(model, data.test, options.eval_batch, options.queue_depth);
    }
    record.elapsed_s = elapsed;
    record.clip_s = clip;
    record.diag_s = diag;
    result.epochs.push_back(record);
    if (outputs != nullptr) {
      outputs->epochs.Row({name, Num(int64_t{record.epoch}), Num(lr), Num(record.steps),
                           Num(record.train_loss), Num(record.test.loss), Num(record.test.top1),
                           Num(record.test.top5), Num(elapsed), Num(clip), Num(diag),
                           record.diverged ? "1" : "0"});
    }
    log << name << " epoch " << record.epoch << "/" << options.epochs << ": lr " << lr
        << ", train loss " << record.train_loss << ", test top-1 " << record.test.top1
        << "%, top-5 " << record.test.top5 << "%, " << elapsed << " s (clip " << clip << " s)"
        << (record.diverged ? "  DIVERGED" : "") << std::endl;
    if (record.diverged) {
      result.diverged = true;
      break;
    }
  }
  return result;
}

namespace {

RunRecord MakeRecord(const TrainOptions& options, const ClipSettings& settings,
                     const at::Device& device, const DataSplit& data,
                     const std::string& command_line) {
  RunRecord r;
  r.Add("program", "clipsim-replay");
  r.Add("command_line", command_line);
  r.Add("libtorch", LibTorchVersion());
  r.Add("device", DescribeDevice(device));
  r.Add("model", "alexnet-cifar (bearpaw/pytorch-classification models/cifar/alexnet.py)");
  r.Add("data", data.source);
  r.Add("train_size", data.train.size());
  r.Add("test_size", data.test.size());
  std::string methods;
  for (Method m : options.methods) methods += (methods.empty() ? "" : ",") + ToString(m);
  r.Add("methods", methods);
  r.Add("epochs", options.epochs);
  r.Add("batch", options.batch_size);
  r.Add("accum_steps", options.accum_steps);
  r.Add("lr", options.lr);
  r.Add("momentum", options.momentum);
  r.Add("weight_decay", options.weight_decay);
  r.Add("schedule", ToString(options.schedule));
  std::string milestones;
  for (int m : options.EffectiveMilestones()) {
    milestones += (milestones.empty() ? "" : ",") + std::to_string(m);
  }
  r.Add("milestones", milestones);
  r.Add("lr_gamma", options.lr_gamma);
  r.Add("clip_threshold_option", ToString(options.clip_threshold));
  r.Add("clip_scale_option", ToString(options.clip_scale));
  r.Add("clip_power_option", ToString(options.clip_power));
  r.Add("ps_threshold_option", ToString(options.ps_threshold));
  r.Add("scale_quantile", options.scale_quantile);
  r.Add("warmup_samples_option", options.warmup_samples);
  r.Add("warmup_steps", options.warmup_steps);
  r.Add("clip_threshold", settings.clip_threshold);
  r.Add("clip_threshold_micro", settings.clip_threshold_micro);
  r.Add("clip_scale", settings.clip_scale);
  r.Add("clip_power", settings.clip_power);
  r.Add("ps_threshold", settings.ps_threshold);
  r.Add("warmup_ran", settings.warmup_ran);
  r.Add("warmup_samples", settings.warmup_samples);
  r.Add("warmup_s", settings.warmup_seconds);
  r.Add("warmup_tail_n", settings.warmup_tail.n);
  r.Add("warmup_tail_k", settings.warmup_tail.k);
  r.Add("warmup_hill_alpha", settings.warmup_tail.hill.alpha);
  r.Add("warmup_hill_lo", settings.warmup_tail.hill.lo);
  r.Add("warmup_hill_hi", settings.warmup_tail.hill.hi);
  r.Add("warmup_moment_alpha", settings.warmup_tail.moment.alpha);
  r.Add("warmup_moment_lo", settings.warmup_tail.moment.lo);
  r.Add("warmup_moment_hi", settings.warmup_tail.moment.hi);
  r.Add("norm_mode", ToString(options.norm_mode));
  {
    const AlexNetCifar probe(options.seed, at::kFloat, at::kCPU);
    const PerSampleGradients per_sample(probe, options.norm_mode);
    std::string strategies;
    for (std::size_t l = 0; l < AlexNetCifar::Layers().size(); ++l) {
      strategies +=
          (l > 0 ? "," : "") + AlexNetCifar::Layers()[l].name + ":" + per_sample.LayerStrategy(l);
    }
    r.Add("per_sample_norms", strategies);
  }
  r.Add("diag_every", options.diag_every);
  r.Add("tail_window", options.tail_window);
  r.Add("tail_k", options.tail_k);
  r.Add("threads", options.threads);
  r.Add("seed", static_cast<int64_t>(options.seed));
  r.Add("eval_batch", options.eval_batch);
  r.Add("max_steps_per_epoch", options.max_steps_per_epoch);
  r.Add("time_clipping", options.time_clipping);
  r.Add("normalization",
        "CIFAR-100 train mean (0.5071, 0.4865, 0.4409), std (0.2673, 0.2564, 0.2762)");
  r.Add("augmentation", "random crop 32 with zero padding 4, horizontal flip p=0.5");
  return r;
}

}  // namespace

int RunReplay(const TrainOptions& options, const std::string& command_line, std::ostream& log) {
  options.Validate();
  const at::Device device = ResolveDevice(options.device);
  ConfigureBackends(device, options.threads);
  std::error_code error;
  std::filesystem::create_directories(options.out_dir, error);
  if (error) {
    throw InputError("--out", options.out_dir,
                     "must be a folder that can be created (" + error.message() + ")");
  }

  const Clock::time_point start = Clock::now();
  const DataSplit data = options.synthetic ? MakeSynthetic(options.synthetic_train,
                                                           options.synthetic_test, options.seed)
                                           : LoadCifar100(options.data_dir);
  log << "data: " << data.source << " (" << data.train.size() << " train, " << data.test.size()
      << " test), device " << DescribeDevice(device) << ", LibTorch " << LibTorchVersion() << " ("
      << SecondsSince(start) << " s)" << std::endl;
  const ClipSettings settings = ResolveClipSettings(options, data.train, device, &log);
  const RunRecord record = MakeRecord(options, settings, device, data, command_line);
  {
    std::ofstream json(options.out_dir + "/run.json");
    json << record.Json() << "\n";
  }
  RunOutputs outputs(options.out_dir, record);
  std::vector<MethodResult> results;
  for (Method method : options.methods) {
    results.push_back(TrainMethod(method, options, data, settings, device, &outputs, log));
  }

  log << "\nsummary (" << data.source << ", batch " << options.batch_size << "):\n";
  for (const MethodResult& r : results) {
    double best = std::numeric_limits<double>::quiet_NaN();
    for (const EpochRecord& e : r.epochs) {
      if (std::isfinite(e.test.top1) && (std::isnan(best) || e.test.top1 > best))
        best = e.test.top1;
    }
    const EpochRecord& last = r.epochs.back();
    log << "  " << ToString(r.method) << ": final top-1 " << last.test.top1 << "%, best top-1 "
        << best << "%, final top-5 " << last.test.top5 << "%, " << last.elapsed_s << " training s, "
        << last.clip_s << " s clipping" << (r.diverged ? ", DIVERGED" : "") << "\n";
  }
  if (options.plots) {
    PlotSpec spec;
    spec.out_dir = options.out_dir;
    for (Method m : options.methods) spec.methods.push_back(ToString(m));
    spec.has_tail_rows = outputs.tail_rows > 0;
    spec.title =
        "AlexNet, " + data.source + ", batch " + std::to_string(options.batch_size) +
        (options.accum_steps > 1 ? " (K=" + std::to_string(options.accum_steps) + ")" : "");
    WritePlots(spec, log);
  }
  log << "results in " << options.out_dir << "/ (run.json, epochs.csv, diagnostics.csv, tail.csv)"
      << std::endl;
  return 0;
}

}  // namespace clipsim::replay
