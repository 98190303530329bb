// The optimizers and their options: one flat options struct whose fields carry their defaults,
// a table of which keys each method takes, and one validation function that the YAML loader and
// programmatic users both call. Formulas of every method: sim/include/clipsim/sim/optimizer.hpp.
//
// YAML keys (under `optimizer:`) never collide with noise keys (kind, alpha, skew, scale, loc,
// tail, dof, shape, eps, other).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clipsim::sim {

enum class Method {
  kSgd,              // x -= eta * mean(g)
  kSgdMomentum,      // heavy ball: v = momentum * v + mean(g); x -= eta * v
  kClipSgd,          // clip the batch mean to clip_threshold (optionally heavy ball on top)
  kPsClipSgd,        // per-sample clipping, threshold clip_scale * k^(1/clip_power) for row k
  kPsClipConst,      // per-sample clipping, the same threshold clip_threshold for every row
  kNormalizedSgd,    // m = momentum * m + (1 - momentum) * mean(g); x -= eta * m / ||m||
  kCoordClipSgd,     // clip each coordinate of the batch mean to [-clip_threshold, clip_threshold]
  kAdagradNorm,      // b^2 += ||mean(g)||^2; x -= eta * mean(g) / b   (Ward et al.); optionally
                     // with momentum (beta1) and the delayed b (delay), Chezhegov et al.
  kClipAdagradNorm,  // the same on the clipped batch mean (Chezhegov et al.)
  kAdamNorm,         // m = b1 m + (1-b1) g; b^2 = b2 b^2 + (1-b2)||g||^2; x -= eta m / b
                     // (optionally with the delayed b: delay)
  kClipAdamNorm,     // the same on the clipped batch mean (Chezhegov et al.)
  kMedianClipSgd,    // per-sample clipping at clip_ratio x the median of the last clip_window
                     // per-sample gradient norms (a one-parameter threshold schedule)
};

// Gradient accumulation over K micro-batches (clip_sgd): where the clip is applied.
enum class AccumulationMode {
  kClipPerMicrobatch,      // clip each micro-batch mean, then average the K clipped means
  kClipAfterAccumulation,  // average the K micro-batch means, then clip once (usual practice)
};

// Gradient accumulation over K micro-batches (ps_clip_sgd): which position k a row gets.
enum class PositionMode {
  kPerMicrobatch,       // k = 1..n restarts in every micro-batch (each micro-batch on its own)
  kAcrossMicrobatches,  // k = 1..n*K runs over the whole accumulated batch (one big batch)
};

std::string_view ToString(Method m);
std::string_view ToString(AccumulationMode m);
std::string_view ToString(PositionMode m);
std::optional<Method> MethodFromString(std::string_view text);
std::optional<AccumulationMode> AccumulationModeFromString(std::string_view text);
std::optional<PositionMode> PositionModeFromString(std::string_view text);
// Every method's config name, in enum order.
const std::vector<Method>& AllMethods();
// "sgd, sgd_momentum, ...": for messages.
std::string MethodList();

// Whether a method clips each sample on its own (ps_clip_sgd, ps_clip_const).
bool ClipsPerSample(Method m);

struct OptimizerOptions {
  Method method = Method::kSgd;

  // Heavy-ball momentum mu in [0, 1): v = mu * v + d, x -= eta * v (sgd_momentum default 0.9,
  // others 0 = none). For normalized_sgd an exponential average m = mu m + (1 - mu) d instead.
  // When unset, the method's default applies (see DefaultMomentum).
  std::optional<double> momentum;

  // Threshold of the batch mean (clip_sgd, clip_adagrad_norm, clip_adam_norm), of every sample
  // (ps_clip_const), of every coordinate (coord_clip_sgd). In (0, +inf]; +inf never clips.
  // Unset: sigma(p) of the run's noise in the run's dimension (coord_clip_sgd: in dimension 1,
  // the per-coordinate scale).
  std::optional<double> clip_threshold;
  // ps_clip_sgd: lambda_k = clip_scale * k^(1 / clip_power), k = 1..n. clip_scale in (0, +inf]
  // (unset: sigma(p) of the noise, the paper's recommendation), clip_power in (0, +inf] (unset:
  // p; +inf gives a constant threshold).
  std::optional<double> clip_scale;
  std::optional<double> clip_power;

  // The first-moment factor beta1 in [0, 1): m = beta1 m + (1 - beta1) d, x -= eta m / b.
  // adam_norm, clip_adam_norm: unset means 0.9. adagrad_norm, clip_adagrad_norm: unset means 0,
  // AdaGrad-Norm without momentum (m = d); beta1 > 0 is the paper's AdaGrad-Norm with momentum
  // (Chezhegov et al. 2024, Section 2). See DefaultBeta1.
  std::optional<double> beta1;
  // adam_norm, clip_adam_norm: the second-moment factor beta2 in [0, 1).
  double beta2 = 0.999;
  // adagrad_norm, adam_norm and their clipped versions: b_0 > 0, the initial value of the norm
  // accumulator b (so the first step is finite even for a zero gradient).
  double adaptive_eps = 1e-8;
  // The four adaptive methods: the delayed stepsize of Chezhegov et al. (AdaGradD-Norm,
  // AdamD-Norm): step t divides by b_{t-1}, the accumulator built from the directions of steps
  // 0..t-1 only (b_0 = adaptive_eps for the first step), and the step's own direction enters b
  // after the step. false: the usual order (the direction enters b before the step).
  bool delay = false;

  // median_clip_sgd: row k is clipped at clip_ratio times the median of the norms of the last
  // clip_window rows before it (fewer at the start; no clipping before the first row). The
  // threshold follows the size of the gradients as the run goes, so one ratio serves every phase
  // (Marshall et al. 2024, configs/README.md).
  double clip_ratio = 2.0;         // (0, inf)
  std::int64_t clip_window = 101;  // [1, 10^6]

  // clip_sgd, ps_clip_sgd: K >= 1 micro-batches of batch_size samples per step.
  std::int64_t accumulation = 1;
  AccumulationMode accumulation_mode = AccumulationMode::kClipAfterAccumulation;
  PositionMode position = PositionMode::kPerMicrobatch;
};

// The YAML keys a method takes under `optimizer:` besides `method`, in canonical order.
const std::vector<std::string>& OptimizerKeys(Method m);
// Whether `key` is one of them.
bool MethodTakesKey(Method m, std::string_view key);

// The momentum a method uses when `momentum` is unset: 0.9 for sgd_momentum, else 0.
double DefaultMomentum(Method m);
// The beta1 a method uses when `beta1` is unset: 0.9 for adam_norm and clip_adam_norm, else 0.
double DefaultBeta1(Method m);
// Whether a key is part of a config's canonical text (and so of its cell id) only when set to a
// value other than its default: keys added after sweeps had been run with the methods that take
// them (delay; beta1 of the AdaGrad-Norm methods), so that every config without them keeps its
// text, its cell ids and its results.
bool KeyOnlyWhenSet(Method m, std::string_view key);

// Throws InputError (key "optimizer.<key>", the value, the allowed range) for a value out of
// range or a key the method does not take (an option set that the method would ignore).
void Validate(const OptimizerOptions& options);

}  // namespace clipsim::sim
