// One run's configuration: (problem, noise, p, optimizer, schedule, batch size, budget N), read
// from YAML and validated completely before anything runs. configs/README.md documents every key
// with its default and range.
//
//   problem: {kind: quadratic, dim: 10, instance: 0, <the kind's parameters>}
//   noise: {kind: stable, alpha: 1.5, ...}   # noise_spec.hpp keys; `other:` a nested map
//   p: 1.4                                   # moment order in (1, 2], below the tail index
//   optimizer: {method: ps_clip_sgd, ...}    # optimizer_options.hpp keys
//   schedule: {kind: constant, eta0: 0.02}   # schedule.hpp keys
//   batch_size: 8
//   budget: 100000                           # N, sampled gradients
//   checkpoints_per_decade: 4
//   master_seed: 0                           # single runs only (a sweep sets its own)
//   start_scale: 1                           # optional: x_0 = start_scale * the default start
//   stop_at_grad_norm: 0.01                  # optional: end at the first ||grad f(x_t)|| <= eps
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/optimizer_options.hpp"
#include "clipsim/sim/problem_registry.hpp"
#include "clipsim/sim/schedule.hpp"

namespace clipsim::sim {

struct RunConfig {
  ProblemSpec problem;
  // The additive noise xi of g_k = grad f(x) + xi_k. When `noise` is absent from the config
  // (noise_enabled false) the oracle adds none: problems with data then have their sampling noise
  // only, problems without data give exact gradients (a deterministic control).
  noise::NoiseSpec noise;
  bool noise_enabled = true;
  // The moment order of the theory's assumption E||xi||^p <= sigma^p: in (1, 2] and below the
  // noise's tail index. Default 2.
  double p = 2.0;
  OptimizerOptions optimizer;
  ScheduleOptions schedule;
  // Samples per micro-batch n >= 1 (default 1). With the theory schedule it is prescribed and
  // may not be set (batch_size_set false).
  std::int64_t batch_size = 1;
  bool batch_size_set = false;
  std::int64_t budget = 0;         // N >= batch_size * accumulation; required
  int checkpoints_per_decade = 4;  // in [1, 100]
  std::uint64_t master_seed = 0;
  // x_0 = start_scale * Problem::DefaultStart(): moves the start along the ray through the
  // default start (and with it f(x_0) - f_low and the level set {f <= f(x_0)}). In [1e-6, 1e6];
  // 1 (the default) is the default start, bit for bit.
  double start_scale = 1.0;
  // eps > 0: the run ends at the first t with ||grad f(x_t)|| <= eps (exact gradient, also under
  // noise): its remaining checkpoints, the final one included, report x_t and iterations = t,
  // so the final checkpoint carries the hitting time. A run that never gets there runs its
  // budget (censored). 0 (the default): never stops early. Finite, >= 0.
  double stop_at_grad_norm = 0.0;
};

// Validates a run-config node completely (unknown keys, types, ranges, cross-key rules such as p
// below the tail index, the theory schedule only on globally smooth problems) and returns it.
// Every refusal is an InputError naming file:line:column (1-based), the key, the value and the
// allowed range. `file` only labels messages.
RunConfig ParseRunConfig(const YAML::Node& node, const std::string& file);
// Reads and parses a YAML file (missing file, YAML syntax errors: InputError with location).
RunConfig LoadRunConfig(const std::string& path);

// The cross-key rules of ParseRunConfig for a config built in code (tests, benchmarks): throws
// InputError without a file location. Builds the problem when the schedule is `theory`.
void ValidateRunConfig(const RunConfig& config);

// Canonical, complete, stable text of a config: every key the run reads (defaults filled in; an
// unset sigma-based default is written as "sigma"), keys sorted, numbers in shortest round-trip
// form; master_seed left out. Two configs with the same text run the same way.
std::string CanonicalText(const RunConfig& config);
// The theory-registry entry whose prescription a theory-schedule run takes: the schedule's
// `prescription` when set, else the run's own method.
std::string PrescriptionEntry(const RunConfig& config);
// The part that keys the noise and data streams (common random numbers): problem, noise, p and a
// moved start (start_scale != 1), never the optimizer, schedule, batch size, budget or stopping
// rule.
std::string NoiseStreamIdentity(const RunConfig& config);

}  // namespace clipsim::sim
