#include "clipsim/replay/options.hpp"

#include <cmath>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::replay {
namespace {

std::string Str(double value) {
  return ShortestText(value);
}
std::string Str(int64_t value) {
  return std::to_string(value);
}
std::string Str(int value) {
  return std::to_string(value);
}

void RequirePositive(const char* key, double value) {
  if (!(value > 0.0) || !std::isfinite(value)) {
    throw InputError(key, Str(value), "must be > 0 and finite");
  }
}

void RequireAutoPositive(const char* key, const AutoValue& value) {
  if (!value.automatic) RequirePositive(key, value.value);
}

// The rules that --bench shares with training.
void ValidateClipConstants(const TrainOptions& t) {
  RequireAutoPositive("--clip-threshold", t.clip_threshold);
  RequireAutoPositive("--clip-scale", t.clip_scale);
  RequireAutoPositive("--ps-threshold", t.ps_threshold);
  if (!t.clip_power.automatic && !(t.clip_power.value > 1.0 && t.clip_power.value <= 2.0)) {
    throw InputError("--clip-power", Str(t.clip_power.value), "must be in (1, 2]");
  }
}

void ValidateThreads(int threads) {
  if (threads < 0) {
    throw InputError("--threads", Str(threads), "must be >= 0 (0: LibTorch's default)");
  }
}

}  // namespace

std::string ToString(Method method) {
  switch (method) {
    case Method::kSgd:
      return "sgd";
    case Method::kClipSgd:
      return "clip-sgd";
    case Method::kClipSgdMicro:
      return "clip-sgd-micro";
    case Method::kPsClipSgd:
      return "ps-clip-sgd";
    case Method::kPsClipConst:
      return "ps-clip-const";
  }
  return "?";
}

std::optional<Method> MethodFromString(const std::string& name) {
  for (Method m : {Method::kSgd, Method::kClipSgd, Method::kClipSgdMicro, Method::kPsClipSgd,
                   Method::kPsClipConst}) {
    if (ToString(m) == name) return m;
  }
  return std::nullopt;
}

bool IsPerSample(Method method) {
  return method == Method::kPsClipSgd || method == Method::kPsClipConst;
}

std::string ToString(Schedule schedule) {
  return schedule == Schedule::kStep ? "step" : "cosine";
}

std::optional<Schedule> ScheduleFromString(const std::string& name) {
  if (name == "step") return Schedule::kStep;
  if (name == "cosine") return Schedule::kCosine;
  return std::nullopt;
}

std::string ToString(NormMode mode) {
  switch (mode) {
    case NormMode::kAuto:
      return "auto";
    case NormMode::kGhost:
      return "ghost";
    case NormMode::kInstantiate:
      return "instantiate";
  }
  return "?";
}

std::optional<NormMode> NormModeFromString(const std::string& name) {
  for (NormMode m : {NormMode::kAuto, NormMode::kGhost, NormMode::kInstantiate}) {
    if (ToString(m) == name) return m;
  }
  return std::nullopt;
}

std::string ToString(DeviceChoice device) {
  switch (device) {
    case DeviceChoice::kAuto:
      return "auto";
    case DeviceChoice::kCpu:
      return "cpu";
    case DeviceChoice::kCuda:
      return "cuda";
  }
  return "?";
}

std::optional<DeviceChoice> DeviceChoiceFromString(const std::string& name) {
  for (DeviceChoice d : {DeviceChoice::kAuto, DeviceChoice::kCpu, DeviceChoice::kCuda}) {
    if (ToString(d) == name) return d;
  }
  return std::nullopt;
}

std::string ToString(const AutoValue& value) {
  return value.automatic ? std::string("auto") : Str(value.value);
}

std::vector<int> TrainOptions::EffectiveMilestones() const {
  if (!milestones.empty()) return milestones;
  // bearpaw's 81 and 122 of 164 epochs, scaled to the run's length.
  return {static_cast<int>(std::lround(epochs * 81.0 / 164.0)),
          static_cast<int>(std::lround(epochs * 122.0 / 164.0))};
}

void TrainOptions::Validate() const {
  if (synthetic == !data_dir.empty()) {
    throw InputError("--data-dir / --synthetic", data_dir.empty() ? "neither" : "both",
                     "must be exactly one of them (a folder with train.bin and test.bin, or "
                     "--synthetic)");
  }
  if (synthetic_train < 1)
    throw InputError("--synthetic-train", Str(synthetic_train), "must be >= 1");
  if (synthetic_test < 1) throw InputError("--synthetic-test", Str(synthetic_test), "must be >= 1");
  if (methods.empty())
    throw InputError("--methods", "", "must be a non-empty comma-separated list");
  if (epochs < 1) throw InputError("--epochs", Str(epochs), "must be >= 1");
  if (batch_size < 2) throw InputError("--batch", Str(batch_size), "must be >= 2");
  if (accum_steps < 1) throw InputError("--accum-steps", Str(accum_steps), "must be >= 1");
  if (batch_size % accum_steps != 0) {
    throw InputError("--accum-steps", Str(accum_steps),
                     "must be a divisor of --batch (" + Str(batch_size) + ")");
  }
  RequirePositive("--lr", lr);
  if (!(momentum >= 0.0 && momentum < 1.0))
    throw InputError("--momentum", Str(momentum), "must be in [0, 1)");
  if (!(weight_decay >= 0.0) || !std::isfinite(weight_decay)) {
    throw InputError("--weight-decay", Str(weight_decay), "must be >= 0 and finite");
  }
  if (!(lr_gamma > 0.0 && lr_gamma <= 1.0))
    throw InputError("--lr-gamma", Str(lr_gamma), "must be in (0, 1]");
  for (int m : milestones) {
    if (m < 1 || m > epochs) {
      throw InputError("--milestones", Str(m),
                       "must be epochs in [1, --epochs = " + Str(epochs) + "]");
    }
  }
  ValidateClipConstants(*this);
  if (!(scale_quantile > 0.0 && scale_quantile < 1.0)) {
    throw InputError("--scale-quantile", Str(scale_quantile), "must be in (0, 1)");
  }
  if (warmup_samples < batch_size) {
    throw InputError("--warmup-samples", Str(warmup_samples),
                     "must be >= --batch (" + Str(batch_size) + ")");
  }
  if (warmup_steps < 0) throw InputError("--warmup-steps", Str(warmup_steps), "must be >= 0");
  if (diag_every < 0)
    throw InputError("--diag-every", Str(diag_every), "must be >= 0 (0 turns it off)");
  if (tail_window < 100) throw InputError("--tail-window", Str(tail_window), "must be >= 100");
  if (tail_k < 0 || tail_k >= tail_window) {
    throw InputError("--tail-k", Str(tail_k), "must be 0 (auto) or in [1, --tail-window)");
  }
  ValidateThreads(threads);
  if (eval_batch < 1) throw InputError("--eval-batch", Str(eval_batch), "must be >= 1");
  if (queue_depth < 1) throw InputError("--queue", Str(queue_depth), "must be >= 1");
  if (max_steps_per_epoch < 0) {
    throw InputError("--max-steps-per-epoch", Str(max_steps_per_epoch),
                     "must be >= 0 (0: whole epochs)");
  }
  if (out_dir.empty()) throw InputError("--out", "", "must be a folder path");
}

void BenchOptions::Validate(const TrainOptions& train) const {
  if (batch_size < 2) throw InputError("--batch", Str(batch_size), "must be >= 2");
  if (steps < 1) throw InputError("--bench-steps", Str(steps), "must be >= 1");
  if (warmup < 0) throw InputError("--bench-warmup", Str(warmup), "must be >= 0");
  if (accum_steps < 1 || batch_size % accum_steps != 0) {
    throw InputError("--bench-accum", Str(accum_steps),
                     "must be a divisor of --batch (" + Str(batch_size) + ")");
  }
  ValidateClipConstants(train);
  ValidateThreads(train.threads);
}

}  // namespace clipsim::replay
