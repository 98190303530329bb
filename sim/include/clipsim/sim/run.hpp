// One run: (problem, noise, p, optimizer, schedule, budget N, seed). A PreparedRun is built once
// from a RunConfig (it builds the problem and the noise model, resolves every default and the
// theory schedule) and then runs any (master seed, seed) pair, from many threads at once: Run is
// const, keeps no shared mutable state, and is deterministic bit for bit for one build.
//
// Each iteration t = 0 .. T-1 (T = floor(N / (n K))): one exact gradient grad f(x_t) (for the
// metrics; problems without data also reuse it in the oracle), n K sampled gradients, one step.
// The inner loop does not allocate. NaN or inf in the iterate, its gradient or its value ends the
// run as diverged: a result, never an exception. With stop_at_grad_norm = eps > 0 the run ends at
// the first t with ||grad f(x_t)|| <= eps (reached), checked at every iterate.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/sim/checkpoint.hpp"
#include "clipsim/sim/optimizer.hpp"
#include "clipsim/sim/oracle.hpp"
#include "clipsim/sim/problem.hpp"
#include "clipsim/sim/run_config.hpp"

namespace clipsim::sim {

enum class Termination {
  kFinished,  // consumed its budget
  kDiverged,  // NaN or inf in the iterate, gradient or value
  kReached,   // ||grad f(x_t)|| <= stop_at_grad_norm at iterate t (only with that key set)
};
std::string_view ToString(Termination t);

// The parameters a run actually uses, after defaults and the theory schedule.
struct ResolvedParameters {
  OptimizerSettings optimizer;  // batch size, thresholds, momentum, ... as used
  double eta0 = 0.0;            // base step (theory: prescribed step * step_factor)
  std::int64_t iterations = 0;  // T = floor(N / (n K))
  std::int64_t samples = 0;     // T n K <= N
  double sigma = kNaN;          // sigma(p) of the noise in the run's dimension (NaN: none)
  // Theory schedule inputs (NaN for other schedules).
  double L = kNaN;
  double delta = kNaN;  // f(x0) - f_low
  double f_low = kNaN;
  std::string theory;  // the prescription in words (theory schedule), else ""
  // The registry entry the prescription came from (theory schedule), else "": the run's own
  // method, or another entry for a control (schedule.prescription).
  std::string prescription;
};

struct RunSummary {
  Termination termination = Termination::kFinished;
  std::vector<Checkpoint> checkpoints;  // one per CheckpointSchedule target, in order
  std::string message;                  // why it ended (divergence: where)
  ResolvedParameters resolved;
  Vector final_iterate;      // x after the last step (or where it diverged)
  std::int64_t samples = 0;  // consumed
  std::int64_t iterations = 0;

  // One line: termination, iterations, samples, final ||grad f|| and f - f_low.
  std::string BriefReport() const;
};

class PreparedRun {
 public:
  // Validates (InputError) and resolves; builds the problem and the noise model.
  explicit PreparedRun(const RunConfig& config);
  ~PreparedRun();
  PreparedRun(const PreparedRun&) = delete;
  PreparedRun& operator=(const PreparedRun&) = delete;

  RunSummary Run(std::uint64_t master_seed, std::uint64_t seed) const;
  // The streams Run(master_seed, seed) runs with, for seeds first_seed, first_seed + 1, ... (one
  // per element of out), seeded in place by one SeedRunStreams call: several runs seeded together
  // cost a fraction of what each seeding its own does.
  void SeedStreams(std::uint64_t master_seed, std::uint64_t first_seed,
                   std::span<RunStreams> out) const;
  // Runs with streams seeded as SeedStreams seeds them (and draws from them): the summary
  // Run(master_seed, seed) gives, bit for bit.
  RunSummary Run(RunStreams& streams) const;
  // out[i] = Run(streams[i]), bit for bit. Scalar runs whose steps are fused
  // (Optimizer::TakesScalarSteps) are advanced kRunsInTurn at a time in lockstep: each takes its
  // iteration's metrics and checkpoints, then all take their steps in one
  // Optimizer::ScalarSteps call (a step of a few scalars is a chain of dependent operations,
  // which the runs then share). Others run one by one.
  void RunSeeds(std::span<RunStreams> streams, std::span<RunSummary> out) const;
  static constexpr std::size_t kRunsInTurn = Optimizer::kLanes;
  // How many runs RunSeeds advances together: kRunsInTurn where it takes lockstep steps, else 1.
  std::size_t RunsInTurn() const { return fused_steps_ ? kRunsInTurn : 1; }

  const RunConfig& config() const { return config_; }
  const ResolvedParameters& resolved() const { return resolved_; }
  const Problem& problem() const { return *problem_; }
  // nullptr when the run has no additive noise.
  const noise::NoiseModel* noise() const { return noise_.get(); }

 private:
  RunConfig config_;
  std::unique_ptr<Problem> problem_;
  std::unique_ptr<noise::NoiseModel> noise_;
  ResolvedParameters resolved_;
  Vector start_;
  std::vector<std::int64_t> targets_;
  std::vector<double> thresholds_;  // PsClipThresholds, once for all runs
  std::uint64_t identity_hash_ = 0;
  bool fused_steps_ = false;  // scalar steps in one call, and RunSeeds advances runs in lockstep
  bool noisy_rows_ = false;   // rows of noise drawn ahead go to the optimizer as they lie

  class Loop;  // one run between iterations (run.cpp)
};

// The problem a run config runs on: MakeProblem(config.problem), except for kinds whose instance
// depends on the run's budget (lower_bound_chain with hardness > 0 takes T(N) links at N =
// config.budget). The one function that builds a run's problem: PreparedRun, the theory-schedule
// validation and the sweep's resolved.csv all call it. Throws InputError like MakeProblem, and
// where the budget asks for more than the problem can take (a dim below T(N)). Defined with the
// problem registry (problem_registry.cpp).
std::unique_ptr<Problem> MakeRunProblem(const RunConfig& config);

// The start x_0 of a config's runs: start_scale * problem.DefaultStart() (the default start
// itself, bit for bit, when start_scale is 1). PreparedRun, the theory schedule's Delta and the
// sweep's resolved.csv all take it from here.
Vector RunStart(const RunConfig& config, const Problem& problem);

// Resolves the parameters a config runs with (what PreparedRun does), given its built problem
// and noise (noise may be null). Throws InputError for a theory schedule the registry refuses.
ResolvedParameters ResolveParameters(const RunConfig& config, const Problem& problem,
                                     const noise::NoiseModel* noise);

}  // namespace clipsim::sim
