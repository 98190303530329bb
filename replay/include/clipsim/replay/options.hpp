// Every setting of clipsim-replay, with its default and where the default comes from, validated in
// one place (TrainOptions::Validate, BenchOptions::Validate, sharing their rules) that the command
// line and the tests both call. Every field is recorded in
// run.json and in the header line of each CSV, so a result file says how it was made.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clipsim::replay {

// The optimizers compared. All use heavy-ball momentum and weight decay as torch.optim.SGD does
// (weight decay is added after clipping, so it is never clipped).
enum class Method {
  kSgd,      // "sgd": SGD with momentum on the batch mean.
  kClipSgd,  // "clip-sgd": clip the batch mean (with accumulation: the accumulated mean, once).
  kClipSgdMicro,  // "clip-sgd-micro": clip each micro-batch mean, then average (K = accum_steps).
  kPsClipSgd,     // "ps-clip-sgd": gamma_k = min(1, clip_scale k^(1/clip_power) / ||g_k||).
  kPsClipConst,   // "ps-clip-const": gamma_k = min(1, ps_threshold / ||g_k||).
};
std::string ToString(Method method);
std::optional<Method> MethodFromString(const std::string& name);
// True for the methods that need per-sample gradient norms.
bool IsPerSample(Method method);

enum class Schedule {
  kStep,    // "step": lr * lr_gamma^(number of milestones passed); milestones in epochs.
  kCosine,  // "cosine": lr * (1 + cos(pi * epoch / epochs)) / 2 (Loshchilov & Hutter, SGDR, 2017).
};
std::string ToString(Schedule schedule);
std::optional<Schedule> ScheduleFromString(const std::string& name);

// How a convolution's per-sample gradient norms are formed (linear layers always use the rank-one
// identity ||a delta^T||_F = ||a|| ||delta||).
enum class NormMode {
  kAuto,         // "auto": per layer, whichever of the two below costs fewer flops.
  kGhost,        // "ghost": ||D^T A||_F^2 = <A A^T, D D^T> over the T output positions.
  kInstantiate,  // "instantiate": form each sample's weight gradient D^T A.
};
std::string ToString(NormMode mode);
std::optional<NormMode> NormModeFromString(const std::string& name);

enum class DeviceChoice {
  kAuto,  // "auto": CUDA when LibTorch sees a GPU, else the CPU.
  kCpu,   // "cpu"
  kCuda,  // "cuda": refused (exit 2) when no GPU is visible.
};
std::string ToString(DeviceChoice device);
std::optional<DeviceChoice> DeviceChoiceFromString(const std::string& name);

// A constant given on the command line, or "auto": estimated in the warm-up (see warmup.hpp).
struct AutoValue {
  bool automatic = true;
  double value = 0.0;
};
std::string ToString(const AutoValue& value);

// Defaults follow the AlexNet / CIFAR-100 recipe of bearpaw/pytorch-classification (TRAINING.md
// and cifar.py, the repository that the common CIFAR AlexNet comes from): batch 128, lr 0.1,
// momentum 0.9, weight decay 5e-4, 164 epochs, lr x0.1 at epochs 81 and 122.
struct TrainOptions {
  // --- data ---
  std::string data_dir;             // holds train.bin and test.bin (CIFAR-100 binary version)
  bool synthetic = false;           // build a learnable CIFAR-shaped set in memory instead
  int64_t synthetic_train = 50000;  // CIFAR-100's sizes
  int64_t synthetic_test = 10000;

  // --- optimization ---
  std::vector<Method> methods = {Method::kSgd, Method::kClipSgd, Method::kPsClipSgd};
  int epochs = 164;
  int64_t batch_size = 128;  // samples per optimizer step (all micro-batches together)
  int accum_steps = 1;       // K micro-batches of batch_size / K samples per step
  double lr = 0.1;
  double momentum = 0.9;
  double weight_decay = 5e-4;
  Schedule schedule = Schedule::kStep;
  // Step schedule milestones in epochs; empty: round(epochs * 81/164) and round(epochs * 122/164),
  // i.e. bearpaw's 81 and 122 for 164 epochs, scaled for shorter runs.
  std::vector<int> milestones;
  double lr_gamma = 0.1;

  // --- clipping (see warmup.hpp for how "auto" values are estimated) ---
  AutoValue clip_threshold;     // clip-sgd(-micro): threshold on the norm of the (micro-)batch mean
  AutoValue clip_scale;         // ps-clip-sgd: alpha
  AutoValue clip_power;         // ps-clip-sgd: beta, in (1, 2]
  AutoValue ps_threshold;       // ps-clip-const: the constant per-sample threshold
  double scale_quantile = 0.5;  // quantile of ||g_k|| (and of mean norms) used by "auto"
  int64_t warmup_steps = 390;   // SGD steps of the warm-up before it measures (one CIFAR
                                // epoch at batch 128: past AlexNet's initial plateau)
  int64_t warmup_samples = 10240;  // per-sample gradients pooled by the warm-up estimate
  NormMode norm_mode = NormMode::kAuto;

  // --- diagnostics ---
  int diag_every = 10;          // a diagnostic pass every this many steps; 0 turns them off
  int64_t tail_window = 10000;  // samples pooled per tail-index estimate
  int64_t tail_k = 0;           // order statistics used by the estimators; 0: ceil(sqrt(n))

  // --- runtime ---
  DeviceChoice device = DeviceChoice::kAuto;
  int threads = 0;  // intra-op CPU threads; 0 keeps LibTorch's default. Bit-identical CPU runs
                    // need the same seed and the same thread count.
  uint64_t seed = 1;
  int64_t eval_batch = 500;
  int queue_depth = 4;              // batches prepared ahead by the loader thread
  int64_t max_steps_per_epoch = 0;  // 0: whole epochs; > 0 shortens each epoch (quick runs)
  std::string out_dir = "replay-out";
  bool plots = true;          // write gnuplot scripts (and PNGs when gnuplot is on PATH)
  bool time_clipping = true;  // measure clip_s (adds two device syncs per step on CUDA)

  // Throws InputError naming the option, its value and the rule it broke.
  void Validate() const;
  // The step-schedule milestones actually used.
  std::vector<int> EffectiveMilestones() const;
};

// `clipsim-replay --bench`: median step time per method on one synthetic batch.
struct BenchOptions {
  int64_t batch_size = 128;
  int steps = 20;       // timed steps per method (the median is reported)
  int warmup = 3;       // untimed steps first (allocator, cuDNN autotuning)
  int accum_steps = 4;  // K for the micro-batch rows (clip once vs clip each micro-batch)
  // Throws InputError naming the option, its value and the rule it broke; checks the fields of
  // `train` that --bench reads as well (threads, given clipping constants) by TrainOptions' rules.
  void Validate(const TrainOptions& train) const;
};

// The data and model shape (CIFAR-100): fixed, not options.
inline constexpr int64_t kImageChannels = 3;
inline constexpr int64_t kImageSide = 32;
inline constexpr int64_t kNumClasses = 100;

}  // namespace clipsim::replay
