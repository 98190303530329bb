#include "clipsim/sim/optimizer_options.hpp"

#include <array>
#include <cmath>
#include <utility>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"

namespace clipsim::sim {
namespace {

constexpr std::array<std::pair<Method, std::string_view>, 12> kMethodNames = {{
    {Method::kSgd, "sgd"},
    {Method::kSgdMomentum, "sgd_momentum"},
    {Method::kClipSgd, "clip_sgd"},
    {Method::kPsClipSgd, "ps_clip_sgd"},
    {Method::kPsClipConst, "ps_clip_const"},
    {Method::kNormalizedSgd, "normalized_sgd"},
    {Method::kCoordClipSgd, "coord_clip_sgd"},
    {Method::kAdagradNorm, "adagrad_norm"},
    {Method::kClipAdagradNorm, "clip_adagrad_norm"},
    {Method::kAdamNorm, "adam_norm"},
    {Method::kClipAdamNorm, "clip_adam_norm"},
    {Method::kMedianClipSgd, "median_clip_sgd"},
}};

void RequireKey(const OptimizerOptions& o, std::string_view key, bool is_set) {
  if (is_set && !MethodTakesKey(o.method, key)) {
    std::string keys;
    for (const std::string& k : OptimizerKeys(o.method)) keys += (keys.empty() ? "" : ", ") + k;
    throw InputError("optimizer." + std::string(key), "",
                     "is not a key of method " + std::string(ToString(o.method)) +
                         " (its keys: " + (keys.empty() ? std::string("none") : keys) + ")");
  }
}

// (0, +inf]
void CheckThreshold(const std::optional<double>& v, const char* key) {
  if (v && !(*v > 0.0)) {
    throw InputError(std::string("optimizer.") + key, ShortestText(*v), "must be in (0, inf]");
  }
}

void CheckUnit(double v, const char* key, bool zero_ok) {
  const bool ok = zero_ok ? (v >= 0.0 && v < 1.0) : (v > 0.0 && v < 1.0);
  if (!ok) {
    throw InputError(std::string("optimizer.") + key, ShortestText(v),
                     zero_ok ? "must be in [0, 1)" : "must be in (0, 1)");
  }
}

}  // namespace

std::string_view ToString(Method m) {
  for (const auto& [method, name] : kMethodNames) {
    if (method == m) return name;
  }
  return "unknown";
}

std::string_view ToString(AccumulationMode m) {
  return m == AccumulationMode::kClipPerMicrobatch ? "clip_per_microbatch"
                                                   : "clip_after_accumulation";
}

std::string_view ToString(PositionMode m) {
  return m == PositionMode::kPerMicrobatch ? "per_microbatch" : "across_microbatches";
}

std::optional<Method> MethodFromString(std::string_view text) {
  for (const auto& [method, name] : kMethodNames) {
    if (name == text) return method;
  }
  return std::nullopt;
}

std::optional<AccumulationMode> AccumulationModeFromString(std::string_view text) {
  if (text == "clip_per_microbatch") return AccumulationMode::kClipPerMicrobatch;
  if (text == "clip_after_accumulation") return AccumulationMode::kClipAfterAccumulation;
  return std::nullopt;
}

std::optional<PositionMode> PositionModeFromString(std::string_view text) {
  if (text == "per_microbatch") return PositionMode::kPerMicrobatch;
  if (text == "across_microbatches") return PositionMode::kAcrossMicrobatches;
  return std::nullopt;
}

const std::vector<Method>& AllMethods() {
  static const std::vector<Method> all = [] {
    std::vector<Method> v;
    for (const auto& [method, name] : kMethodNames) v.push_back(method);
    return v;
  }();
  return all;
}

std::string MethodList() {
  std::string s;
  for (const auto& [method, name] : kMethodNames) s += (s.empty() ? "" : ", ") + std::string(name);
  return s;
}

bool ClipsPerSample(Method m) {
  return m == Method::kPsClipSgd || m == Method::kPsClipConst || m == Method::kMedianClipSgd;
}

const std::vector<std::string>& OptimizerKeys(Method m) {
  static const std::vector<std::string> kNone = {};
  static const std::vector<std::string> kMomentum = {"momentum"};
  static const std::vector<std::string> kClip = {"accumulation", "accumulation_mode",
                                                 "clip_threshold", "momentum"};
  static const std::vector<std::string> kPsClip = {"accumulation", "clip_power", "clip_scale",
                                                   "momentum", "position"};
  static const std::vector<std::string> kThresholdMomentum = {"clip_threshold", "momentum"};
  static const std::vector<std::string> kAdagrad = {"adaptive_eps", "beta1", "delay"};
  static const std::vector<std::string> kClipAdagrad = {"adaptive_eps", "beta1", "clip_threshold",
                                                        "delay"};
  static const std::vector<std::string> kAdam = {"adaptive_eps", "beta1", "beta2", "delay"};
  static const std::vector<std::string> kClipAdam = {"adaptive_eps", "beta1", "beta2",
                                                     "clip_threshold", "delay"};
  static const std::vector<std::string> kMedianClip = {"clip_ratio", "clip_window"};
  switch (m) {
    case Method::kSgd:
      return kNone;
    case Method::kSgdMomentum:
    case Method::kNormalizedSgd:
      return kMomentum;
    case Method::kClipSgd:
      return kClip;
    case Method::kPsClipSgd:
      return kPsClip;
    case Method::kPsClipConst:
    case Method::kCoordClipSgd:
      return kThresholdMomentum;
    case Method::kAdagradNorm:
      return kAdagrad;
    case Method::kClipAdagradNorm:
      return kClipAdagrad;
    case Method::kAdamNorm:
      return kAdam;
    case Method::kClipAdamNorm:
      return kClipAdam;
    case Method::kMedianClipSgd:
      return kMedianClip;
  }
  return kNone;
}

bool MethodTakesKey(Method m, std::string_view key) {
  for (const std::string& k : OptimizerKeys(m)) {
    if (k == key) return true;
  }
  return false;
}

double DefaultMomentum(Method m) {
  return m == Method::kSgdMomentum ? 0.9 : 0.0;
}

double DefaultBeta1(Method m) {
  return m == Method::kAdamNorm || m == Method::kClipAdamNorm ? 0.9 : 0.0;
}

bool KeyOnlyWhenSet(Method m, std::string_view key) {
  if (key == "delay") return true;
  return key == "beta1" && (m == Method::kAdagradNorm || m == Method::kClipAdagradNorm);
}

void Validate(const OptimizerOptions& o) {
  RequireKey(o, "momentum", o.momentum.has_value());
  RequireKey(o, "clip_threshold", o.clip_threshold.has_value());
  RequireKey(o, "clip_scale", o.clip_scale.has_value());
  RequireKey(o, "clip_power", o.clip_power.has_value());
  RequireKey(o, "accumulation", o.accumulation != 1);
  RequireKey(o, "beta1", o.beta1.has_value());
  RequireKey(o, "delay", o.delay);
  RequireKey(o, "clip_ratio", o.clip_ratio != 2.0);
  RequireKey(o, "clip_window", o.clip_window != 101);
  if (!(o.clip_ratio > 0.0) || !std::isfinite(o.clip_ratio)) {
    throw InputError("optimizer.clip_ratio", ShortestText(o.clip_ratio),
                     "must be finite and > 0 (the threshold is clip_ratio x the running median of "
                     "the per-sample gradient norms)");
  }
  if (o.clip_window < 1 || o.clip_window > 1'000'000) {
    throw InputError("optimizer.clip_window", std::to_string(o.clip_window),
                     "must be an integer in [1, 1000000]");
  }
  if (o.momentum) CheckUnit(*o.momentum, "momentum", /*zero_ok=*/true);
  CheckThreshold(o.clip_threshold, "clip_threshold");
  CheckThreshold(o.clip_scale, "clip_scale");
  CheckThreshold(o.clip_power, "clip_power");
  if (o.beta1) CheckUnit(*o.beta1, "beta1", /*zero_ok=*/true);
  if (MethodTakesKey(o.method, "beta2")) CheckUnit(o.beta2, "beta2", /*zero_ok=*/true);
  if (MethodTakesKey(o.method, "adaptive_eps") &&
      (!(o.adaptive_eps > 0.0) || !std::isfinite(o.adaptive_eps))) {
    throw InputError("optimizer.adaptive_eps", ShortestText(o.adaptive_eps),
                     "must be positive and finite (b_0 of the norm accumulator)");
  }
  constexpr std::int64_t kMaxAccumulation = 1'000'000;
  if (o.accumulation < 1 || o.accumulation > kMaxAccumulation) {
    throw InputError("optimizer.accumulation", std::to_string(o.accumulation),
                     "must be an integer in [1, 1000000]");
  }
}

}  // namespace clipsim::sim
