#include "clipsim/sim/run.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include "clipsim/core/check.hpp"
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
    sum_sq = MulAdd(g, g, sum_sq);  // fused as the compiler once contracted it, written out
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
  thresholds_ = PsClipThresholds(resolved_.optimizer);
  identity_hash_ = StableHash(NoiseStreamIdentity(config_));
  // Scalar runs of additive noise take whole steps in one call (Optimizer::ScalarStep), and
  // RunSeeds advances them in lockstep.
  // Runs of additive noise in small dimension feed the rows of noise drawn ahead, in place, with
  // grad f(x) beside them (Optimizer::AddNoisyRows), instead of writing the rows out first.
  const Problem& p = *problem_;
  const bool additive =
      noise_ != nullptr && !p.has_data() && !p.has_stochastic_oracle() && !p.has_label_noise();
  fused_steps_ = additive && TakesScalarSteps(resolved_.optimizer, p.dim());
  noisy_rows_ = additive && TakesNoisyRows(resolved_.optimizer, p.dim());
}

PreparedRun::~PreparedRun() = default;

// One run's state between iterations: the loop of PreparedRun::Run, one iteration per Iterate(),
// so that several runs can be advanced in lockstep (PreparedRun::RunSeeds).
class PreparedRun::Loop {
 public:
  Loop(const PreparedRun& run, RunStreams& streams)
      : run_(run),
        problem_(*run.problem_),
        settings_(run.resolved_.optimizer),
        d_(problem_.dim()),
        n_(settings_.batch_size),
        per_step_(n_ * settings_.accumulation),
        chunk_(ChunkRows(n_, d_)),
        streams_(streams),
        optimizer_(settings_, d_, &run.thresholds_),
        oracle_(problem_, run.noise_.get(), OracleRequests{n_, chunk_, run.resolved_.samples}),
        rows_(chunk_, d_),
        scratch_(oracle_.needs_scratch() ? chunk_ : 0, d_),
        x_(run.start_),
        grad_(d_) {
    summary_.resolved = run.resolved_;
    summary_.checkpoints.reserve(run.targets_.size());
  }

  // Iteration t: the metrics of x_t, its checkpoints, then the step to x_{t+1}. False once the
  // run has ended (the summary is then complete).
  bool Iterate() {
    Optimizer::ScalarLane lane{};
    const Progress p = Advance(lane);
    if (p == Progress::kStepPending) {
      optimizer_.ScalarStep(lane.noise, lane.shift, lane.eta, *lane.x);
    }
    return p != Progress::kEnded;
  }

  enum class Progress { kEnded, kStepped, kStepPending };
  // Iterate, except that a fused scalar step is handed out in `lane` (kStepPending) for the
  // caller to take (Optimizer::ScalarStep or ScalarSteps) before the next call.
  Progress Advance(Optimizer::ScalarLane& lane);

  RunSummary Finish() {
    summary_.final_iterate = std::move(x_);
    return std::move(summary_);
  }

 private:
  const PreparedRun& run_;
  const Problem& problem_;
  const OptimizerSettings& settings_;
  const int d_;
  const std::int64_t n_;
  const std::int64_t per_step_;
  const std::int64_t chunk_;
  RunStreams& streams_;
  Optimizer optimizer_;
  Oracle oracle_;
  Batch rows_;
  Batch scratch_;
  Vector x_;
  Vector grad_;
  IterateStats stats_;
  RunSummary summary_;
  std::size_t next_ = 0;
  std::int64_t t_ = 0;
};

PreparedRun::Loop::Progress PreparedRun::Loop::Advance(Optimizer::ScalarLane& lane) {
  const std::vector<std::int64_t>& targets = run_.targets_;
  const std::int64_t total = run_.resolved_.iterations;
  const double inf = std::numeric_limits<double>::infinity();
  const double stop_at = run_.config_.stop_at_grad_norm;
  const std::int64_t t = t_;
  const std::int64_t consumed = t * per_step_;
  // A non-finite iterate is never handed to the problem.
  double gnorm = inf;
  if (AllFinite(x_)) {
    problem_.Gradient(x_, grad_);
    gnorm = d_ == 1 ? ScalarNorm(grad_[0]) : Norm(grad_);
  }
  bool diverged = !std::isfinite(gnorm);
  // The stopping rule: the first iterate with ||grad f(x_t)|| <= eps ends the run here.
  const bool reached = !diverged && stop_at > 0.0 && gnorm <= stop_at;
  // Checkpoints whose target falls before the next step's samples (all of them at the end or
  // where the run stops).
  bool have_value = false;
  double gap = 0.0;
  while (!diverged && next_ < targets.size() &&
         (t == total || reached || targets[next_] < consumed + per_step_)) {
    if (!have_value) {
      gap = problem_.Value(x_) - problem_.LowerBound();
      have_value = true;
      if (!std::isfinite(gap)) {
        diverged = true;
        break;
      }
    }
    Checkpoint c;
    c.target = targets[next_];
    c.samples = consumed;
    c.iterations = t;
    c.grad_norm = gnorm;
    c.value_gap = gap;
    if (stats_.count == 0) {  // t = 0: the start is the only iterate
      c.mean_grad_norm = gnorm;
      c.mean_sq_grad_norm = gnorm * gnorm;
      c.grad_norm_at_R = gnorm;
    } else {
      const auto count = static_cast<double>(stats_.count);
      c.mean_grad_norm = stats_.sum / count;
      c.mean_sq_grad_norm = stats_.sum_sq / count;
      c.grad_norm_at_R = stats_.at_r;
    }
    c.min_grad_norm = std::min(stats_.min, gnorm);
    c.clipped_fraction = consumed > 0 ? static_cast<double>(optimizer_.clipped_samples()) /
                                            static_cast<double>(consumed)
                                      : 0.0;
    summary_.checkpoints.push_back(c);
    ++next_;
  }
  if (diverged) {
    summary_.termination = Termination::kDiverged;
    summary_.message = "non-finite iterate, gradient or value at iteration " + std::to_string(t) +
                       " (" + std::to_string(consumed) + " samples)";
    for (; next_ < targets.size(); ++next_) {
      Checkpoint c;
      c.target = targets[next_];
      c.samples = consumed;
      c.iterations = t;
      c.grad_norm = c.value_gap = c.mean_grad_norm = c.mean_sq_grad_norm = inf;
      c.grad_norm_at_R = c.min_grad_norm = inf;
      c.clipped_fraction = consumed > 0 ? static_cast<double>(optimizer_.clipped_samples()) /
                                              static_cast<double>(consumed)
                                        : 0.0;
      c.diverged = true;
      summary_.checkpoints.push_back(c);
    }
    summary_.samples = consumed;
    summary_.iterations = t;
    return Progress::kEnded;
  }
  if (t == total || reached) {
    if (reached) {
      summary_.termination = Termination::kReached;
      summary_.message = "||grad f|| = " + ShortestText(gnorm) +
                         " <= stop_at_grad_norm = " + ShortestText(stop_at) + " at iteration " +
                         std::to_string(t);
    }
    summary_.samples = consumed;
    summary_.iterations = t;
    return Progress::kEnded;
  }
  stats_.Add(gnorm, streams_.iterate);
  ++t_;
  const double eta = StepSize(run_.config_.schedule, run_.resolved_.eta0, t);
  const double* noise = run_.fused_steps_ ? oracle_.TakeAhead(streams_.noise, n_) : nullptr;
  if (noise != nullptr) {
    lane = {&optimizer_, noise, grad_[0], eta, &x_[0]};
    return Progress::kStepPending;
  }
  for (std::int64_t j = 0; j < settings_.accumulation; ++j) {
    for (std::int64_t offset = 0; offset < n_; offset += chunk_) {
      const std::int64_t m = std::min(chunk_, n_ - offset);
      // The noise where it lies in one piece of the draws ahead, else the rows written out.
      const double* ahead = run_.noisy_rows_ ? oracle_.TakeAhead(streams_.noise, m) : nullptr;
      if (ahead != nullptr) {
        optimizer_.AddNoisyRows(ahead, grad_.data(), m);
        continue;
      }
      auto block = rows_.topRows(m);
      oracle_.Sample(x_, grad_, streams_, block, scratch_);
      optimizer_.AddRows(block);
    }
  }
  optimizer_.FinishStep(eta, x_);
  return Progress::kStepped;
}

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
  Loop loop(*this, streams);
  while (loop.Iterate()) {
  }
  return loop.Finish();
}

void PreparedRun::RunSeeds(std::span<RunStreams> streams, std::span<RunSummary> out) const {
  Require(out.size() == streams.size(), "PreparedRun::RunSeeds: one summary per run");
  if (!fused_steps_) {
    for (std::size_t i = 0; i < streams.size(); ++i) out[i] = Run(streams[i]);
    return;
  }
  std::vector<double> scratch;  // for Optimizer::ScalarSteps
  for (std::size_t first = 0; first < streams.size(); first += kRunsInTurn) {
    const std::size_t count = std::min(kRunsInTurn, streams.size() - first);
    std::array<std::optional<Loop>, kRunsInTurn> loops;  // empty once the run has ended
    for (std::size_t i = 0; i < count; ++i) loops[i].emplace(*this, streams[first + i]);
    // Every run's iteration up to its step, then the steps of all in one call. A run that ends
    // drops out; the others' lanes close up (a lane's result does not depend on its position).
    std::array<Optimizer::ScalarLane, kRunsInTurn> lanes;
    std::size_t left = count;
    while (left > 0) {
      std::size_t pending = 0;
      for (std::size_t i = 0; i < count; ++i) {
        if (!loops[i]) continue;
        switch (loops[i]->Advance(lanes[pending])) {
          case Loop::Progress::kEnded:
            --left;
            out[first + i] = loops[i]->Finish();
            loops[i].reset();
            break;
          case Loop::Progress::kStepPending:
            ++pending;
            break;
          case Loop::Progress::kStepped:
            break;
        }
      }
      if (pending > 0) Optimizer::ScalarSteps(std::span(lanes.data(), pending), scratch);
    }
  }
}

}  // namespace clipsim::sim
