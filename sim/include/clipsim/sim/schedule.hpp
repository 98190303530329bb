// Step-size schedules. `constant` and `polynomial` take eta0 from the config; `theory` takes the
// step size, batch size and thresholds that the theory registry (theory/registry.hpp) prescribes
// for the run's budget N, from (L, Delta = f(x0) - f_low, sigma(p), p, N). Resolving `theory`
// needs the problem and the noise, so it happens in PreparedRun (run.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clipsim::sim {

enum class ScheduleKind {
  kConstant,    // eta_t = eta0
  kPolynomial,  // eta_t = eta0 / (t + 1)^decay, t = 0, 1, ... the iteration index
  kTheory,      // eta_t = step_factor * eta prescribed by the theory registry (constant in t)
};

std::string_view ToString(ScheduleKind kind);
std::optional<ScheduleKind> ScheduleKindFromString(std::string_view text);

struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::kConstant;
  double eta0 = 0.01;  // constant, polynomial: > 0 and finite
  double decay = 0.5;  // polynomial: in (0, 2]
  // theory: multiplies the prescribed step (1 = as prescribed; the theory checks' broken twin
  // uses 10). In (0, 1e6].
  double step_factor = 1.0;
  // theory: multiply the prescribed batch size n (rounded, kept in [1, N]) and the prescribed
  // thresholds (PS-Clip-SGD's clip_scale, Clip-SGD's clip_threshold). For sensitivity sweeps
  // around the prescription; 1 = as prescribed. Each in (0, 1e6].
  double batch_factor = 1.0;
  double clip_factor = 1.0;
  // theory: the registry entry whose prescribed batch size and step the run takes; empty = the
  // run's own method. Another entry makes a control: e.g. `sgd` with `prescription: ps_clip_sgd`
  // is mini-batch SGD with PS-Clip-SGD's n and eta, so that a verdict can tell what clipping
  // adds. Thresholds are prescribed only for the entry's own method.
  std::string prescription;
};

// Throws InputError (key "schedule.<key>", value, allowed range).
void Validate(const ScheduleOptions& options);

// The step at iteration t (0-based) given the resolved base step eta0 (for `theory` the
// prescribed step times step_factor).
double StepSize(const ScheduleOptions& options, double eta0, std::int64_t t);

}  // namespace clipsim::sim
