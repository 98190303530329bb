#include "clipsim/sim/run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/sim/oracle.hpp"
#include "clipsim/sim/reduction.hpp"
#include "clipsim/sim/schedule.hpp"
#include "clipsim/theory/registry.hpp"

namespace clipsim::sim {
namespace {

bool AllFinite(const Vector& x) {
  const double* v = x.data();
  for (Eigen::Index j = 0; j < x.size(); ++j) {
    if (!std::isfinite(v[j])) return false;
  }
  return true;
}

// Running statistics of ||grad f(x_s)|| over the iterates s < t, and the reservoir that keeps
// ||grad f(x_R)|| for R uniform on {0, ..., t-1} in O(1) memory: iterate s replaces the kept one
// with probability 1/(s+1) (one uniform from the iterate stream per iterate).
struct IterateStats {
  std::int64_t count = 0;
  double sum = 0.0;
  double sum_sq = 0.0;
  double min = std::numeric_limits<double>::infinity();
  double at_r = 0.0;

  void Add(double g, Rng& rng) {
    ++count;
    sum += g;
    sum_sq += g * g;
    min = std::min(min, g);
    if (UniformOpen01(rng()) * static_cast<double>(count) < 1.0) at_r = g;
  }
};

// Whether a run draws from its data stream: runs that never do leave it unkeyed (MakeRunStreams).
bool WithData(const Problem& problem) {
  return problem.has_data() || problem.has_label_noise();
}

}  // namespace

std::string_view ToString(Termination t) {
  switch (t) {
    case Termination::kDiverged:
      return "diverged";
    case Termination::kReached:
      return "reached";
    case Termination::kFinished:
      break;
  }
  return "finished";
}

Vector RunStart(const RunConfig& config, const Problem& problem) {
  Vector x = problem.DefaultStart();
  if (config.start_scale != 1.0) x *= config.start_scale;
  return x;
}

std::string RunSummary::BriefReport() const {
  std::string s(ToString(termination));
  s += ": " + std::to_string(iterations) + " iterations, " + std::to_string(samples) + " samples";
  if (!checkpoints.empty()) {
    const Checkpoint& c = checkpoints.back();
    s += ", ||grad f|| = " + ShortestText(c.grad_norm) +
         ", f - f_low = " + ShortestText(c.value_gap) +
         ", ||grad f(x_R)|| = " + ShortestText(c.grad_norm_at_R) +
         ", clipped fraction = " + ShortestText(c.clipped_fraction);
  }
  if (!message.empty()) s += " (" + message + ")";
  return s;
}

ResolvedParameters ResolveParameters(const RunConfig& config, const Problem& problem,
                                     const noise::NoiseModel* noise) {
  ResolvedParameters r;
  const OptimizerOptions& o = config.optimizer;
  OptimizerSettings& s = r.optimizer;
  s.method = o.method;
  s.momentum = o.momentum.value_or(DefaultMomentum(o.method));
  s.beta1 = o.beta1.value_or(DefaultBeta1(o.method));
  s.beta2 = o.beta2;
  s.adaptive_eps = o.adaptive_eps;
  s.delay = o.delay;
  s.accumulation = o.accumulation;
  s.accumulation_mode = o.accumulation_mode;
  s.position = o.position;
  s.clip_ratio = o.clip_ratio;
  s.clip_window = o.clip_window;
  s.batch_size = config.batch_size;
  // sigma(p): of the additive noise, or of the problem's own oracle (which takes no additive
  // noise; ValidateRunConfig refuses the combination and a p above the oracle's order).
  // Label noise (streaming problems): sigma(p) of the scalar label law.
  r.sigma = noise != nullptr ? noise->Sigma(config.p, problem.has_label_noise() ? 1 : problem.dim())
            : problem.has_stochastic_oracle() ? problem.OracleSigma(config.p)
                                              : kNaN;
  const double inf = std::numeric_limits<double>::infinity();
  s.clip_threshold = inf;
  s.clip_scale = inf;
  s.clip_power = config.p;
  if (MethodTakesKey(o.method, "clip_threshold")) {
    // coord_clip_sgd clips coordinates: its default is the per-coordinate scale (dimension 1).
    const double fallback =
        o.method == Method::kCoordClipSgd && noise != nullptr ? noise->Sigma(config.p, 1) : r.sigma;
    s.clip_threshold = o.clip_threshold.value_or(fallback);
  }
  if (o.method == Method::kPsClipSgd) {
    s.clip_scale = o.clip_scale.value_or(r.sigma);
    s.clip_power = o.clip_power.value_or(config.p);
  }
  r.eta0 = config.schedule.eta0;

  if (config.schedule.kind == ScheduleKind::kTheory) {
    const std::string method(ToString(o.method));
    const std::string source = PrescriptionEntry(config);
    const theory::TheoryEntry* entry = theory::FindTheory(source);
    if (entry == nullptr) {
      throw InputError("schedule.kind", "theory",
                       "no theory entry for method " + source +
                           " (entries: " + theory::TheoryMethodList() + ")");
    }
    const ProblemFacts facts = problem.Facts();
    r.L = facts.L;
    r.f_low = problem.LowerBound();
    r.delta = problem.Value(RunStart(config, problem)) - r.f_low;
    theory::TheoryInputs in;
    in.L = r.L;
    in.delta = r.delta;
    in.sigma = r.sigma;
    in.p = config.p;
    in.budget = config.budget;
    const theory::Prescription pr = entry->Prescribe(in);
    const ScheduleOptions& sched = config.schedule;
    r.eta0 = pr.eta * sched.step_factor;
    s.batch_size = pr.batch_size;
    if (sched.batch_factor != 1.0) {
      const double n = std::round(static_cast<double>(pr.batch_size) * sched.batch_factor);
      s.batch_size =
          std::clamp<std::int64_t>(static_cast<std::int64_t>(std::min(n, 1e18)), 1, config.budget);
    }
    // Thresholds come from the entry of the method itself; a control (another entry's
    // prescription) keeps its own keys and their defaults.
    if (source == method && o.method == Method::kClipSgd) {
      s.clip_threshold = pr.clip_threshold * sched.clip_factor;
    }
    if (source == method && o.method == Method::kPsClipSgd) {
      s.clip_scale = pr.clip_scale * sched.clip_factor;
      s.clip_power = pr.clip_power;
    }
    r.prescription = source;
    r.theory = pr.formula;
    if (source != method) r.theory = source + "'s prescription: " + r.theory;
    if (sched.step_factor != 1.0) {
      r.theory += "; step multiplied by step_factor = " + ShortestText(sched.step_factor);
    }
    if (sched.batch_factor != 1.0) {
      r.theory += "; batch multiplied by batch_factor = " + ShortestText(sched.batch_factor) +
                  " (n = " + std::to_string(s.batch_size) + ")";
    }
    if (sched.clip_factor != 1.0) {
      r.theory += "; thresholds multiplied by clip_factor = " + ShortestText(sched.clip_factor);
    }
  }
  const std::int64_t per_step = s.batch_size * s.accumulation;
  r.iterations = config.budget / per_step;
  r.samples = r.iterations * per_step;
  return r;
}

PreparedRun::PreparedRun(const RunConfig& config) : config_(config) {
  ValidateRunConfig(config_);
  problem_ = MakeRunProblem(config_);
  if (config_.noise_enabled) noise_ = noise::MakeNoise(config_.noise);
  resolved_ = ResolveParameters(config_, *problem_, noise_.get());
  start_ = RunStart(config_, *problem_);
  targets_ = CheckpointSchedule(config_);
  identity_hash_ = StableHash(NoiseStreamIdentity(config_));
}

PreparedRun::~PreparedRun() = default;

RunSummary PreparedRun::Run(std::uint64_t master_seed, std::uint64_t seed) const {
  // One run's 2-3 keys one at a time: batching them would save little once the batch's
  // default-constructed streams (each seeded by Boost on construction) are paid for.
  RunStreams streams = MakeRunStreams(master_seed, identity_hash_, seed, WithData(*problem_));
  return Run(streams);
}

void PreparedRun::SeedStreams(std::uint64_t master_seed, std::uint64_t first_seed,
                              std::span<RunStreams> out) const {
  SeedRunStreams(master_seed, identity_hash_, first_seed, WithData(*problem_), out);
}

RunSummary PreparedRun::Run(RunStreams& streams) const {
  RunSummary summary;
  summary.resolved = resolved_;
  summary.checkpoints.reserve(targets_.size());

  const Problem& problem = *problem_;
  const int d = problem.dim();
  const OptimizerSettings& settings = resolved_.optimizer;
  const std::int64_t n = settings.batch_size;
  const std::int64_t per_step = n * settings.accumulation;
  const std::int64_t total = resolved_.iterations;
  const double f_low = problem.LowerBound();
  const double inf = std::numeric_limits<double>::infinity();
  const double stop_at = config_.stop_at_grad_norm;

  Optimizer optimizer(settings, d);
  const std::int64_t chunk = ChunkRows(n, d);
  Oracle oracle(problem, noise_.get(), OracleRequests{n, chunk, resolved_.samples});
  Batch rows(chunk, d);
  Batch scratch(oracle.needs_scratch() ? chunk : 0, d);
  Vector x = start_;
  Vector grad(d);
  IterateStats stats;
  std::size_t next = 0;
  bool diverged = false;

  for (std::int64_t t = 0;; ++t) {
    const std::int64_t consumed = t * per_step;
    // A non-finite iterate is never handed to the problem.
    double gnorm = inf;
    if (AllFinite(x)) {
      problem.Gradient(x, grad);
      gnorm = Norm(grad);
    }
    diverged = !std::isfinite(gnorm);
    // The stopping rule: the first iterate with ||grad f(x_t)|| <= eps ends the run here.
    const bool reached = !diverged && stop_at > 0.0 && gnorm <= stop_at;
    // Checkpoints whose target falls before the next step's samples (all of them at the end or
    // where the run stops).
    bool have_value = false;
    double gap = 0.0;
    while (!diverged && next < targets_.size() &&
           (t == total || reached || targets_[next] < consumed + per_step)) {
      if (!have_value) {
        gap = problem.Value(x) - f_low;
        have_value = true;
        if (!std::isfinite(gap)) {
          diverged = true;
          break;
        }
      }
      Checkpoint c;
      c.target = targets_[next];
      c.samples = consumed;
      c.iterations = t;
      c.grad_norm = gnorm;
      c.value_gap = gap;
      if (stats.count == 0) {  // t = 0: the start is the only iterate
        c.mean_grad_norm = gnorm;
        c.mean_sq_grad_norm = gnorm * gnorm;
        c.grad_norm_at_R = gnorm;
      } else {
        const auto count = static_cast<double>(stats.count);
        c.mean_grad_norm = stats.sum / count;
        c.mean_sq_grad_norm = stats.sum_sq / count;
        c.grad_norm_at_R = stats.at_r;
      }
      c.min_grad_norm = std::min(stats.min, gnorm);
      c.clipped_fraction = consumed > 0 ? static_cast<double>(optimizer.clipped_samples()) /
                                              static_cast<double>(consumed)
                                        : 0.0;
      summary.checkpoints.push_back(c);
      ++next;
    }
    if (diverged) {
      summary.termination = Termination::kDiverged;
      summary.message = "non-finite iterate, gradient or value at iteration " + std::to_string(t) +
                        " (" + std::to_string(consumed) + " samples)";
      for (; next < targets_.size(); ++next) {
        Checkpoint c;
        c.target = targets_[next];
        c.samples = consumed;
        c.iterations = t;
        c.grad_norm = c.value_gap = c.mean_grad_norm = c.mean_sq_grad_norm = inf;
        c.grad_norm_at_R = c.min_grad_norm = inf;
        c.clipped_fraction = consumed > 0 ? static_cast<double>(optimizer.clipped_samples()) /
                                                static_cast<double>(consumed)
                                          : 0.0;
        c.diverged = true;
        summary.checkpoints.push_back(c);
      }
      summary.samples = consumed;
      summary.iterations = t;
      break;
    }
    if (t == total || reached) {
      if (reached) {
        summary.termination = Termination::kReached;
        summary.message = "||grad f|| = " + ShortestText(gnorm) +
                          " <= stop_at_grad_norm = " + ShortestText(stop_at) + " at iteration " +
                          std::to_string(t);
      }
      summary.samples = consumed;
      summary.iterations = t;
      break;
    }
    stats.Add(gnorm, streams.iterate);
    for (std::int64_t j = 0; j < settings.accumulation; ++j) {
      for (std::int64_t offset = 0; offset < n; offset += chunk) {
        auto block = rows.topRows(std::min(chunk, n - offset));
        oracle.Sample(x, grad, streams, block, scratch);
        optimizer.AddRows(block);
      }
    }
    optimizer.FinishStep(StepSize(config_.schedule, resolved_.eta0, t), x);
  }
  summary.final_iterate = std::move(x);
  return summary;
}

}  // namespace clipsim::sim
