#include "clipsim/sim/run_config.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

#include "clipsim/core/file_text.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/core/yaml_input.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/theory/registry.hpp"

namespace clipsim::sim {
namespace {

using yaml::ReadInt;
using yaml::ReadNumber;
using yaml::Where;

constexpr std::int64_t kMaxBatch = 100'000'000;
constexpr std::int64_t kMaxBudget = 1'000'000'000'000'000;  // 1e15 sampled gradients
constexpr std::int64_t kMaxDim = 100'000'000;

const std::vector<std::string>& TopKeys() {
  static const std::vector<std::string> keys = {"batch_size",
                                                "budget",
                                                "checkpoints_per_decade",
                                                "master_seed",
                                                "noise",
                                                "optimizer",
                                                "p",
                                                "problem",
                                                "schedule",
                                                "start_scale",
                                                "stop_at_grad_norm"};
  return keys;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& k : v) s += (s.empty() ? "" : ", ") + k;
  return s.empty() ? std::string("none") : s;
}

std::string ScalarText(const YAML::Node& node) {
  return node.IsScalar() ? node.Scalar() : "";
}

std::string ReadString(const YAML::Node& node, const std::string& key, const std::string& allowed,
                       const std::string& file) {
  if (!node.IsScalar()) throw InputError(key, "", allowed, Where(file, node));
  return node.Scalar();
}

// The node a dotted key names inside `root` ("optimizer.clip_scale", "p"), or, when the path does
// not exist as such, the first map entry anywhere below root whose key is the last component
// (libraries name their keys without our prefixes: "alpha", "other.tail"). Undefined if none.
YAML::Node FindKey(const YAML::Node& root, const std::string& key) {
  if (!root.IsMap() || key.empty()) return YAML::Node(YAML::NodeType::Undefined);
  YAML::Node cur = root;
  bool found = true;
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t dot = key.find('.', start);
    const std::string part = key.substr(start, dot == std::string::npos ? dot : dot - start);
    const YAML::Node& c = cur;
    if (!c.IsMap() || !c[part]) {
      found = false;
      break;
    }
    cur = c[part];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (found) return cur;
  const std::string last = key.substr(key.rfind('.') == std::string::npos ? 0 : key.rfind('.') + 1);
  std::function<YAML::Node(const YAML::Node&)> search = [&](const YAML::Node& n) -> YAML::Node {
    for (const auto& kv : n) {
      if (kv.first.IsScalar() && kv.first.Scalar() == last) return kv.second;
    }
    for (const auto& kv : n) {
      if (kv.second.IsMap()) {
        YAML::Node hit = search(kv.second);
        if (hit.IsDefined()) return hit;
      }
    }
    return YAML::Node(YAML::NodeType::Undefined);
  };
  return search(root);
}

// Gives an error raised without a location the location of its key inside `scope` (or of
// `fallback` when the key is not written there, e.g. a default that breaks a rule).
InputError Locate(const InputError& e, const YAML::Node& scope, const YAML::Node& fallback,
                  const std::string& file) {
  if (e.where().line > 0) return e;
  YAML::Node at = FindKey(scope, e.key());
  if (!at.IsDefined()) at = fallback;
  return e.At(Where(file, at));
}

void RequireMap(const YAML::Node& node, const std::string& key, const std::string& shape,
                const std::string& file) {
  if (!node.IsMap())
    throw InputError(key, ScalarText(node), "must be a map " + shape, Where(file, node));
}

// ---------------------------------------------------------------------------------------------

ProblemSpec ParseProblem(const YAML::Node& node, const std::string& file) {
  const std::string shape = "{kind: ..., dim: ..., instance: ..., <parameters of the kind>}";
  RequireMap(node, "problem", shape, file);
  ProblemSpec spec;
  const YAML::Node kind = node["kind"];
  if (!kind) throw InputError("problem.kind", "", "is required", Where(file, node));
  spec.kind = ReadString(kind, "problem.kind", "must be a problem kind", file);
  std::vector<ParamInfo> params;
  try {
    params = ProblemParams(spec.kind);
  } catch (const InputError& e) {
    throw e.At(Where(file, kind));
  }
  std::vector<std::string> allowed = {"dim", "instance", "kind"};
  for (const ParamInfo& p : params) allowed.push_back(p.key);
  for (const auto& kv : node) {
    const std::string key = yaml::KeyText(kv.first, file);
    if (key == "kind") continue;
    if (key == "dim") {
      spec.dim = static_cast<int>(ReadInt(kv.second, "problem.dim", 1, kMaxDim, file));
    } else if (key == "instance") {
      spec.instance = static_cast<std::uint64_t>(ReadInt(
          kv.second, "problem.instance", 0, std::numeric_limits<std::int64_t>::max(), file));
    } else if (std::any_of(params.begin(), params.end(),
                           [&](const ParamInfo& p) { return p.key == key; })) {
      if (!kv.second.IsScalar()) {
        throw InputError("problem." + key, "", "must be a single value", Where(file, kv.second));
      }
      try {
        spec.params[key] = ParamValueFromString(spec.kind, key, kv.second.Scalar());
      } catch (const InputError& e) {
        throw e.At(Where(file, kv.second));
      }
    } else {
      throw InputError(
          "problem." + key, "",
          "is not a key of problem kind " + spec.kind + " (its keys: " + Join(allowed) + ")",
          Where(file, kv.first));
    }
  }
  try {
    ValidateProblemSpec(spec);
  } catch (const InputError& e) {
    throw Locate(e, node, node, file);
  }
  return spec;
}

// The noise map as the text form of noise_spec.hpp ("kind=stable,alpha=1.5,other=[...]"), so
// that the noise library's own parser and validation apply unchanged.
std::string NoiseText(const YAML::Node& node, const std::string& path, const std::string& file) {
  RequireMap(node, path, "of noise keys {kind: ..., alpha: ..., ...}", file);
  std::string text;
  for (const auto& kv : node) {
    const std::string key = yaml::KeyText(kv.first, file);
    if (!text.empty()) text += ',';
    if (key == "other") {
      text += "other=[";
      text +=
          kv.second.IsScalar() ? kv.second.Scalar() : NoiseText(kv.second, path + ".other", file);
      text += ']';
      continue;
    }
    if (!kv.second.IsScalar()) {
      throw InputError(path + "." + key, "", "must be a single value", Where(file, kv.second));
    }
    const std::string& v = kv.second.Scalar();
    if (v.find_first_of(",[]=") != std::string::npos) {
      throw InputError(path + "." + key, v, "must be a single value", Where(file, kv.second));
    }
    text += key + "=" + v;
  }
  return text;
}

noise::NoiseSpec ParseNoise(const YAML::Node& node, const std::string& file) {
  const std::string text = NoiseText(node, "noise", file);
  try {
    return noise::ParseNoiseSpec(text);
  } catch (const InputError& e) {
    throw Locate(e, node, node, file);
  }
}

OptimizerOptions ParseOptimizer(const YAML::Node& node, const std::string& file) {
  RequireMap(node, "optimizer", "{method: ..., <keys of the method>}", file);
  OptimizerOptions o;
  const YAML::Node method = node["method"];
  if (!method) {
    throw InputError("optimizer.method", "", "is required (one of: " + MethodList() + ")",
                     Where(file, node));
  }
  const std::string name =
      ReadString(method, "optimizer.method", "must be one of: " + MethodList(), file);
  const auto m = MethodFromString(name);
  if (!m) {
    throw InputError("optimizer.method", name, "must be one of: " + MethodList(),
                     Where(file, method));
  }
  o.method = *m;
  for (const auto& kv : node) {
    const std::string key = yaml::KeyText(kv.first, file);
    if (key == "method") continue;
    const std::string full = "optimizer." + key;
    if (!MethodTakesKey(o.method, key)) {
      throw InputError(
          full, "",
          "is not a key of method " + name + " (its keys: " + Join(OptimizerKeys(o.method)) + ")",
          Where(file, kv.first));
    }
    const YAML::Node& v = kv.second;
    if (key == "momentum") {
      o.momentum = ReadNumber(v, full, "in [0, 1)", file);
    } else if (key == "clip_threshold") {
      o.clip_threshold = ReadNumber(v, full, "in (0, inf]", file);
    } else if (key == "clip_scale") {
      o.clip_scale = ReadNumber(v, full, "in (0, inf]", file);
    } else if (key == "clip_power") {
      o.clip_power = ReadNumber(v, full, "in (0, inf]", file);
    } else if (key == "beta1") {
      o.beta1 = ReadNumber(v, full, "in [0, 1)", file);
    } else if (key == "beta2") {
      o.beta2 = ReadNumber(v, full, "in [0, 1)", file);
    } else if (key == "adaptive_eps") {
      o.adaptive_eps = ReadNumber(v, full, "> 0", file);
    } else if (key == "delay") {
      o.delay = yaml::ReadBool(v, full, file);
    } else if (key == "accumulation") {
      o.accumulation = ReadInt(v, full, 1, 1'000'000, file);
    } else if (key == "clip_ratio") {
      o.clip_ratio = ReadNumber(v, full, "finite and > 0", file);
    } else if (key == "clip_window") {
      o.clip_window = ReadInt(v, full, 1, 1'000'000, file);
    } else if (key == "accumulation_mode") {
      const std::string allowed = "must be clip_per_microbatch or clip_after_accumulation";
      const auto mode = AccumulationModeFromString(ReadString(v, full, allowed, file));
      if (!mode) throw InputError(full, v.Scalar(), allowed, Where(file, v));
      o.accumulation_mode = *mode;
    } else if (key == "position") {
      const std::string allowed = "must be per_microbatch or across_microbatches";
      const auto mode = PositionModeFromString(ReadString(v, full, allowed, file));
      if (!mode) throw InputError(full, v.Scalar(), allowed, Where(file, v));
      o.position = *mode;
    }
  }
  try {
    Validate(o);
  } catch (const InputError& e) {
    throw Locate(e, node, node, file);
  }
  return o;
}

const std::vector<std::string>& ScheduleKeys(ScheduleKind kind) {
  static const std::vector<std::string> constant = {"eta0", "kind"};
  static const std::vector<std::string> polynomial = {"decay", "eta0", "kind"};
  static const std::vector<std::string> theory = {"batch_factor", "clip_factor", "kind",
                                                  "prescription", "step_factor"};
  switch (kind) {
    case ScheduleKind::kConstant:
      return constant;
    case ScheduleKind::kPolynomial:
      return polynomial;
    case ScheduleKind::kTheory:
      return theory;
  }
  return constant;
}

ScheduleOptions ParseSchedule(const YAML::Node& node, const std::string& file) {
  RequireMap(node, "schedule", "{kind: constant|polynomial|theory, ...}", file);
  ScheduleOptions s;
  const std::string allowed = "must be constant, polynomial or theory";
  if (const YAML::Node kind = node["kind"]) {
    const auto k = ScheduleKindFromString(ReadString(kind, "schedule.kind", allowed, file));
    if (!k) throw InputError("schedule.kind", kind.Scalar(), allowed, Where(file, kind));
    s.kind = *k;
  }
  const std::vector<std::string>& keys = ScheduleKeys(s.kind);
  for (const auto& kv : node) {
    const std::string key = yaml::KeyText(kv.first, file);
    const std::string full = "schedule." + key;
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw InputError(full, "",
                       "is not a key of the " + std::string(ToString(s.kind)) +
                           " schedule (its keys: " + Join(keys) + ")" +
                           (s.kind == ScheduleKind::kTheory && key == "eta0"
                                ? "; the theory schedule prescribes the step"
                                : ""),
                       Where(file, kv.first));
    }
    if (key == "eta0") s.eta0 = ReadNumber(kv.second, full, "> 0", file);
    if (key == "decay") s.decay = ReadNumber(kv.second, full, "in (0, 2]", file);
    if (key == "step_factor") s.step_factor = ReadNumber(kv.second, full, "in (0, 1e6]", file);
    if (key == "batch_factor") s.batch_factor = ReadNumber(kv.second, full, "in (0, 1e6]", file);
    if (key == "clip_factor") s.clip_factor = ReadNumber(kv.second, full, "in (0, 1e6]", file);
    if (key == "prescription") {
      const std::string allowed_entries =
          "must be a theory-registry entry (" + std::string(theory::TheoryMethodList()) + ")";
      s.prescription = ReadString(kv.second, full, allowed_entries, file);
      if (theory::FindTheory(s.prescription) == nullptr) {
        throw InputError(full, s.prescription, allowed_entries, Where(file, kv.second));
      }
    }
  }
  try {
    Validate(s);
  } catch (const InputError& e) {
    throw Locate(e, node, node, file);
  }
  return s;
}

// The keys of a method whose default is sigma(p) of the noise.
bool UsesSigmaDefault(const OptimizerOptions& o) {
  if (o.method == Method::kPsClipSgd) return !o.clip_scale.has_value();
  return MethodTakesKey(o.method, "clip_threshold") && !o.clip_threshold.has_value();
}

void CheckTheory(const RunConfig& c) {
  const std::string method(ToString(c.optimizer.method));
  const std::string source = PrescriptionEntry(c);
  const theory::TheoryEntry* entry = theory::FindTheory(source);
  if (entry == nullptr) {
    throw InputError("schedule.kind", "theory",
                     "needs a theory-registry entry for the method; " + method +
                         " has none (entries: " + theory::TheoryMethodList() +
                         "; `schedule.prescription: ENTRY` runs it with another entry's batch "
                         "size and step)");
  }
  if (!entry->Covers(c.p)) {
    throw InputError("p", ShortestText(c.p),
                     "the theory schedule of " + source + " covers only p in " +
                         (entry->min_p == entry->max_p ? "{" + ShortestText(entry->max_p) + "}"
                                                       : "(" + ShortestText(entry->min_p) + ", " +
                                                             ShortestText(entry->max_p) + "]"));
  }
  if (c.batch_size_set) {
    throw InputError("batch_size", std::to_string(c.batch_size),
                     "is prescribed by the theory schedule; remove it");
  }
  const auto prescribed = [&](const char* key) {
    throw InputError(std::string("optimizer.") + key, "",
                     "is prescribed by the theory schedule (or not part of the theory); remove it");
  };
  if (c.optimizer.accumulation != 1) prescribed("accumulation");
  // A control (another entry's prescription) takes only the batch size and the step from it;
  // its own keys keep their meaning and defaults.
  if (source == method) {
    if (c.optimizer.momentum && *c.optimizer.momentum != 0.0) prescribed("momentum");
    if (c.optimizer.clip_threshold) prescribed("clip_threshold");
    if (c.optimizer.clip_scale) prescribed("clip_scale");
    if (c.optimizer.clip_power) prescribed("clip_power");
  }
  // The run's own problem (a lower_bound_chain with hardness > 0 has T(N) links at this budget).
  const std::unique_ptr<Problem> problem = MakeRunProblem(c);
  if (!c.noise_enabled && !problem->has_stochastic_oracle()) {
    throw InputError("noise", "none",
                     "the theory schedule needs a known sigma(p): additive noise, or a problem "
                     "with its own stochastic oracle (lower_bound_chain)");
  }
  if (problem->has_data() || problem->has_label_noise()) {
    throw InputError("problem.kind", c.problem.kind,
                     "the theory schedule needs a problem without data (the sampling noise of a "
                     "data problem has no known sigma(p))");
  }
  const ProblemFacts facts = problem->Facts();
  if (!facts.globally_smooth || !(facts.L > 0.0) || !std::isfinite(facts.L)) {
    throw InputError("problem.kind", c.problem.kind,
                     "the theory schedule needs a globally smooth problem with a known global L; " +
                         (facts.note.empty() ? c.problem.kind + " is not globally smooth"
                                             : c.problem.kind + ": " + facts.note));
  }
  // Resolve the prescription now (Delta > 0, sigma finite, ...), so that a config the registry
  // refuses is refused with the rest of the validation, before anything runs.
  std::unique_ptr<noise::NoiseModel> model;
  if (c.noise_enabled) model = noise::MakeNoise(c.noise);
  ResolveParameters(c, *problem, model.get());
}

void AppendKey(std::vector<std::pair<std::string, std::string>>& kv, std::string key,
               std::string value) {
  kv.emplace_back(std::move(key), std::move(value));
}

}  // namespace

void ValidateRunConfig(const RunConfig& c) {
  ValidateProblemSpec(c.problem);
  Validate(c.optimizer);
  Validate(c.schedule);
  if (!(c.p > 1.0 && c.p <= 2.0)) {
    throw InputError("p", ShortestText(c.p), "must be in (1, 2]");
  }
  if (c.noise_enabled) {
    const std::unique_ptr<noise::NoiseModel> model = noise::MakeNoise(c.noise);
    const double tail = model->TailIndex();
    if (!(c.p < tail)) {
      throw InputError("p", ShortestText(c.p),
                       "must be in (1, 2] and below the noise's tail index " + ShortestText(tail) +
                           " (E||xi||^p is infinite for p >= the tail index)");
    }
  }
  if (c.batch_size < 1 || c.batch_size > kMaxBatch) {
    throw InputError("batch_size", std::to_string(c.batch_size),
                     "must be an integer in [1, " + std::to_string(kMaxBatch) + "]");
  }
  if (c.budget < 1 || c.budget > kMaxBudget) {
    throw InputError("budget", std::to_string(c.budget),
                     "must be an integer in [1, " + std::to_string(kMaxBudget) + "]");
  }
  if (c.checkpoints_per_decade < 1 || c.checkpoints_per_decade > 100) {
    throw InputError("checkpoints_per_decade", std::to_string(c.checkpoints_per_decade),
                     "must be an integer in [1, 100]");
  }
  if (!(c.start_scale >= 1e-6 && c.start_scale <= 1e6)) {
    throw InputError("start_scale", ShortestText(c.start_scale), "must be in [1e-6, 1e6]");
  }
  if (!(c.stop_at_grad_norm >= 0.0 && std::isfinite(c.stop_at_grad_norm))) {
    throw InputError("stop_at_grad_norm", ShortestText(c.stop_at_grad_norm),
                     "must be a finite number >= 0 (0: never stop early)");
  }
  // A problem with its own stochastic oracle (lower_bound_chain): no additive noise on top (it
  // would reveal every coordinate at once and so break the zero-respecting structure that makes
  // the instance hard; and the oracle's sigma(p) would no longer be the run's), and p at most the
  // order the oracle is calibrated at (above it the oracle's p-th moment grows as q -> 0, i.e.
  // with N). The problem is built at the run's budget, which also refuses a dim below T(N).
  const bool own_oracle = KindHasOwnOracle(c.problem.kind);
  if (own_oracle) {
    if (c.noise_enabled) {
      throw InputError("noise", noise::FormatNoiseSpec(c.noise),
                       "must be absent: problem kind " + c.problem.kind +
                           " has its own stochastic oracle, and additive noise would break its "
                           "zero-respecting structure");
    }
    const std::unique_ptr<Problem> problem = MakeRunProblem(c);
    const double p0 = problem->OracleMomentOrder();
    if (!(c.p <= p0)) {
      throw InputError("p", ShortestText(c.p),
                       "must be in (1, " + ShortestText(p0) + "]: at most problem.moment_p = " +
                           ShortestText(p0) + ", the order " + c.problem.kind +
                           "'s oracle is calibrated at (its moment of a higher order grows "
                           "without bound as q -> 0)");
    }
  }
  // Label noise (streaming_least_squares): the gradient's noise is (<a, x - x*> - eps) a, whose
  // size has nothing to do with sigma(p) of eps, so a threshold must be set (the theory schedule
  // is refused on such problems below, with its own reason).
  if (KindHasLabelNoise(c.problem.kind) && c.schedule.kind != ScheduleKind::kTheory &&
      UsesSigmaDefault(c.optimizer)) {
    const char* key = c.optimizer.method == Method::kPsClipSgd ? "optimizer.clip_scale"
                                                               : "optimizer.clip_threshold";
    throw InputError(key, "",
                     "has no default on " + c.problem.kind +
                         " (its noise sits in the labels, so sigma(p) of the noise is not the "
                         "gradient noise's size); set it");
  }
  if (!c.noise_enabled && !own_oracle && UsesSigmaDefault(c.optimizer)) {
    const char* key = c.optimizer.method == Method::kPsClipSgd ? "optimizer.clip_scale"
                                                               : "optimizer.clip_threshold";
    throw InputError(key, "",
                     "has no default without noise (the default is sigma(p) of the noise); set it");
  }
  if (c.schedule.kind == ScheduleKind::kTheory) {
    CheckTheory(c);
    return;
  }
  const std::int64_t per_step = c.batch_size * c.optimizer.accumulation;
  if (c.budget < per_step) {
    throw InputError(
        "budget", std::to_string(c.budget),
        "must be at least batch_size * accumulation = " + std::to_string(per_step) + " (one step)");
  }
}

RunConfig ParseRunConfig(const YAML::Node& node, const std::string& file) {
  if (!node.IsMap()) {
    throw InputError("a run config must be a YAML map of keys (problem, noise, p, optimizer, ...)",
                     Where(file, node));
  }
  for (const auto& kv : node) {
    const std::string key = yaml::KeyText(kv.first, file);
    if (std::find(TopKeys().begin(), TopKeys().end(), key) == TopKeys().end()) {
      throw InputError(key, "", "is not a run key (keys: " + Join(TopKeys()) + ")",
                       Where(file, kv.first));
    }
  }
  RunConfig c;
  if (!node["problem"]) throw InputError("problem", "", "is required", Where(file, node));
  c.problem = ParseProblem(node["problem"], file);
  if (const YAML::Node n = node["noise"]) {
    c.noise = ParseNoise(n, file);
    c.noise_enabled = true;
  } else {
    c.noise_enabled = false;
  }
  if (const YAML::Node n = node["p"]) c.p = ReadNumber(n, "p", "in (1, 2]", file);
  if (!node["optimizer"]) {
    throw InputError("optimizer", "", "is required ({method: ...})", Where(file, node));
  }
  c.optimizer = ParseOptimizer(node["optimizer"], file);
  if (const YAML::Node n = node["schedule"]) c.schedule = ParseSchedule(n, file);
  if (const YAML::Node n = node["batch_size"]) {
    c.batch_size = ReadInt(n, "batch_size", 1, kMaxBatch, file);
    c.batch_size_set = true;
  }
  if (!node["budget"]) {
    throw InputError("budget", "", "is required (N, the number of sampled gradients)",
                     Where(file, node));
  }
  c.budget = ReadInt(node["budget"], "budget", 1, kMaxBudget, file);
  if (const YAML::Node n = node["checkpoints_per_decade"]) {
    c.checkpoints_per_decade = static_cast<int>(ReadInt(n, "checkpoints_per_decade", 1, 100, file));
  }
  if (const YAML::Node n = node["master_seed"]) {
    c.master_seed = static_cast<std::uint64_t>(
        ReadInt(n, "master_seed", 0, std::numeric_limits<std::int64_t>::max(), file));
  }
  if (const YAML::Node n = node["start_scale"]) {
    c.start_scale = ReadNumber(n, "start_scale", "in [1e-6, 1e6]", file);
  }
  if (const YAML::Node n = node["stop_at_grad_norm"]) {
    c.stop_at_grad_norm =
        ReadNumber(n, "stop_at_grad_norm", "a finite number >= 0 (0: never stop early)", file);
  }
  if (!node["p"] && c.noise_enabled) {
    // The default p = 2 needs a finite variance: say so where the noise is written.
    const double tail = noise::MakeNoise(c.noise)->TailIndex();
    if (!(c.p < tail)) {
      const std::string rule =
          tail <= 1.0 ? "the noise's tail index " + ShortestText(tail) +
                            " is at most 1, so no p in (1, 2] has a finite moment E||xi||^p"
                      : "is required: the default p = 2 is not below the noise's tail index " +
                            ShortestText(tail) + "; set p in (1, " + ShortestText(tail) + ")";
      throw InputError("p", "", rule, Where(file, node["noise"]));
    }
  }
  try {
    ValidateRunConfig(c);
  } catch (const InputError& e) {
    throw Locate(e, node, node, file);
  }
  return c;
}

RunConfig LoadRunConfig(const std::string& path) {
  return ParseRunConfig(yaml::Parse(ReadFileText(path, "run config"), path), path);
}

std::string CanonicalText(const RunConfig& c) {
  std::vector<std::pair<std::string, std::string>> kv;
  const OptimizerOptions& o = c.optimizer;
  const bool theory = c.schedule.kind == ScheduleKind::kTheory;
  // A control's prescription entry is part of the text only when set, so that the text (and
  // the cell ids derived from it) of every config without one stays as it was.
  const bool control =
      theory && !c.schedule.prescription.empty() && c.schedule.prescription != ToString(o.method);
  AppendKey(kv, "batch_size", theory ? "theory" : std::to_string(c.batch_size));
  AppendKey(kv, "budget", std::to_string(c.budget));
  AppendKey(kv, "checkpoints_per_decade", std::to_string(c.checkpoints_per_decade));
  AppendKey(kv, "noise", c.noise_enabled ? noise::FormatNoiseSpec(c.noise) : "none");
  AppendKey(kv, "optimizer.method", std::string(ToString(o.method)));
  for (const std::string& key : OptimizerKeys(o.method)) {
    if (KeyOnlyWhenSet(o.method, key) &&
        ((key == "delay" && !o.delay) ||
         (key == "beta1" && o.beta1.value_or(DefaultBeta1(o.method)) == DefaultBeta1(o.method)))) {
      continue;
    }
    std::string v;
    if (key == "momentum") v = ShortestText(o.momentum.value_or(DefaultMomentum(o.method)));
    if (key == "clip_threshold") v = o.clip_threshold ? ShortestText(*o.clip_threshold) : "sigma";
    if (key == "clip_scale") v = o.clip_scale ? ShortestText(*o.clip_scale) : "sigma";
    if (key == "clip_power") v = o.clip_power ? ShortestText(*o.clip_power) : "p";
    if (key == "beta1") v = ShortestText(o.beta1.value_or(DefaultBeta1(o.method)));
    if (key == "delay") v = "true";
    if (key == "beta2") v = ShortestText(o.beta2);
    if (key == "adaptive_eps") v = ShortestText(o.adaptive_eps);
    if (key == "accumulation") v = std::to_string(o.accumulation);
    if (key == "accumulation_mode") v = std::string(ToString(o.accumulation_mode));
    if (key == "position") v = std::string(ToString(o.position));
    if (key == "clip_ratio") v = ShortestText(o.clip_ratio);
    if (key == "clip_window") v = std::to_string(o.clip_window);
    if (theory && !control &&
        (key == "clip_threshold" || key == "clip_scale" || key == "clip_power")) {
      v = "theory";
    }
    AppendKey(kv, "optimizer." + key, v);
  }
  AppendKey(kv, "p", ShortestText(c.p));
  AppendKey(kv, "problem", FormatProblemSpec(c.problem));
  AppendKey(kv, "schedule.kind", std::string(ToString(c.schedule.kind)));
  if (c.schedule.kind != ScheduleKind::kTheory) {
    AppendKey(kv, "schedule.eta0", ShortestText(c.schedule.eta0));
  }
  if (c.schedule.kind == ScheduleKind::kPolynomial) {
    AppendKey(kv, "schedule.decay", ShortestText(c.schedule.decay));
  }
  if (control) AppendKey(kv, "schedule.prescription", c.schedule.prescription);
  if (theory) AppendKey(kv, "schedule.step_factor", ShortestText(c.schedule.step_factor));
  // The factors are part of the text only when not 1, so that every existing theory cell keeps
  // its id.
  if (theory && c.schedule.batch_factor != 1.0) {
    AppendKey(kv, "schedule.batch_factor", ShortestText(c.schedule.batch_factor));
  }
  if (theory && c.schedule.clip_factor != 1.0) {
    AppendKey(kv, "schedule.clip_factor", ShortestText(c.schedule.clip_factor));
  }
  // The start and the stopping rule likewise only when not at their defaults.
  if (c.start_scale != 1.0) AppendKey(kv, "start_scale", ShortestText(c.start_scale));
  if (c.stop_at_grad_norm != 0.0) {
    AppendKey(kv, "stop_at_grad_norm", ShortestText(c.stop_at_grad_norm));
  }
  return results_folder::JoinConfigText(std::move(kv));
}

std::string PrescriptionEntry(const RunConfig& c) {
  if (!c.schedule.prescription.empty()) return c.schedule.prescription;
  return std::string(ToString(c.optimizer.method));
}

std::string NoiseStreamIdentity(const RunConfig& c) {
  // A moved start is another experiment on the same problem: its own streams (the text of every
  // config with the default start is as before).
  return "noise=" + (c.noise_enabled ? noise::FormatNoiseSpec(c.noise) : std::string("none")) +
         ";p=" + ShortestText(c.p) + ";problem=" + FormatProblemSpec(c.problem) +
         (c.start_scale != 1.0 ? ";start_scale=" + ShortestText(c.start_scale) : std::string());
}

}  // namespace clipsim::sim
