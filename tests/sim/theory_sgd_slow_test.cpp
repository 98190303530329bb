// Issue 6, items 3 and 4: PS-Clip-SGD at the parameters the theory registry prescribes
// (theory/registry.hpp: eta = 1/L, n = (sigma^2 N / (L Delta))^(p/(3p-2)), clip_scale = sigma,
// clip_power = p) against the bounds of theory/bounds.hpp, on globally smooth problems
// with bounded gradients, under stable, Pareto and Student-t noise with known sigma(p).
//
//   Item 3 (in expectation): the theorem quantity ||grad f(x_R)|| (R uniform on {0..T-1}) lies
//   in [0, G], G = Facts().gradient_bound, so the empirical Bernstein / Hoeffding upper
//   confidence bound of its mean over seeds is valid; it must stay below
//   PsClipSgdExpectationBound for every budget (which is, bit for bit, the registry's
//   TheoryEntry::ExpectationBound of ps_clip_sgd at the run's inputs).
//   Item 4 (high probability): the quantity sqrt((1/T) sum_{t<T} ||grad f(x_t)||^2); the
//   order-statistic upper confidence limit of its (1 - delta)-quantile over seeds must stay below
//   PsClipSgdHighProbabilityBound(delta), for delta down to what the seed count supports.
//   Broken twin: ten times the prescribed step (the bounds need eta <= 1/L) must break both
//   bounds. Plain SGD (same step and batch, no clipping) under stable noise alpha = 1.2 is
//   measurably worse than PS-Clip but does not break the high-probability bound on these
//   bounded-gradient problems (see that test's comment).
//
// Every confidence statement has false-alarm rate kAlpha; seeds are kSeed with seed indices
// 0..kSeeds-1 (deterministic for one build). The registry's clip_sgd and sgd entries are checked
// against simulation in theory_registry_slow_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "clipsim/sim/problem.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "clipsim/stats/confidence_bounds.hpp"
#include "clipsim/theory/bounds.hpp"
#include "clipsim/theory/registry.hpp"
#include "sim/theory_runs.hpp"

namespace clipsim::sim {
namespace {

using clipsim::testing::ForEachSeed;
using clipsim::testing::RegistryInputs;
using clipsim::testing::TheoryRunConfig;

using stats::BernsteinHoeffdingMean;
using stats::MeanConfidence;
using stats::QuantileLimit;
using theory::PsClipSgdSetting;

constexpr double kAlpha = 1e-3;
constexpr std::uint64_t kSeed = 6;
// 700 seeds support the upper confidence limit of the 0.99-quantile at kAlpha
// (MinDrawsForQuantileUpperLimit(0.99, 1e-3) = 688).
constexpr int kSeeds = 700;

struct Case {
  std::string problem;
  std::string noise;
  double p;
};

// The problems: globally smooth with a bounded gradient (sim/src/problems/*.hpp state L and G).
// The noises: sigma(p) is finite since p is below the tail index.
const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"kind=smooth_rastrigin,dim=4", "kind=stable,alpha=1.5,scale=0.25", 1.3},
      {"kind=smooth_rastrigin,dim=4", "kind=pareto,tail=2.5,scale=0.5", 1.5},
      {"kind=smooth_rastrigin,dim=4", "kind=student_t,dof=2.5,scale=0.5", 1.5},
      {"kind=nonconvex_sum,dim=4,scale=4", "kind=stable,alpha=1.5,scale=0.25", 1.3},
      {"kind=nonconvex_sum,dim=4,scale=4", "kind=pareto,tail=2.5,scale=0.5", 1.5},
      {"kind=nonconvex_sum,dim=4,scale=4", "kind=student_t,dof=2.5,scale=0.5", 1.5},
  };
  return cases;
}

const std::vector<std::int64_t> kBudgets = {1000, 4000, 20000};

RunConfig Config(const Case& c, Method method, std::int64_t budget, double step_factor) {
  RunConfig config = TheoryRunConfig(c.problem, c.noise, c.p, method, budget, kSeed);
  config.schedule.step_factor = step_factor;
  return config;
}

struct Outcome {
  std::vector<double> at_r;      // ||grad f(x_R)|| at the end of each seed's run
  std::vector<double> rms_path;  // sqrt((1/T) sum_{t<T} ||grad f(x_t)||^2), sorted
  int diverged = 0;
};

// Runs kSeeds seeds on two threads (each seed's result depends only on its seed).
Outcome RunSeeds(const PreparedRun& run) {
  Outcome out;
  out.at_r.assign(kSeeds, 0.0);
  out.rms_path.assign(kSeeds, 0.0);
  std::vector<int> diverged(kSeeds, 0);
  ForEachSeed(run, kSeed, kSeeds, [&](int s, const RunSummary& summary) {
    const Checkpoint& last = summary.checkpoints.back();
    out.at_r[static_cast<std::size_t>(s)] = last.grad_norm_at_R;
    out.rms_path[static_cast<std::size_t>(s)] = std::sqrt(last.mean_sq_grad_norm);
    diverged[static_cast<std::size_t>(s)] = summary.termination == Termination::kDiverged;
  });
  for (int d : diverged) out.diverged += d;
  std::sort(out.rms_path.begin(), out.rms_path.end());
  return out;
}

// The bound's inputs from what the run resolved (L, Delta, sigma, the prescription). `step` is
// the prescribed step (the run's eta0 divided by its step_factor).
PsClipSgdSetting BoundSetting(const PreparedRun& run) {
  const ResolvedParameters& r = run.resolved();
  PsClipSgdSetting s;
  s.L = r.L;
  s.Delta = r.delta;
  s.sigma = r.sigma;
  s.p = run.config().p;
  s.gradient_bound = run.problem().Facts().gradient_bound;
  s.step = r.eta0 / run.config().schedule.step_factor;
  s.batch = r.optimizer.batch_size;
  s.iterations = r.iterations;
  s.clip_scale = r.optimizer.clip_scale;
  s.clip_power = r.optimizer.clip_power;
  return s;
}

std::string Where(const Case& c, std::int64_t budget) {
  return c.problem + " | " + c.noise + " | p = " + std::to_string(c.p) +
         " | N = " + std::to_string(budget) + " (seed " + std::to_string(kSeed) + ", " +
         std::to_string(kSeeds) + " seeds, confidence 1 - " + std::to_string(kAlpha) + ")";
}

TEST(PsClipSgdTheory, ExpectationAndHighProbabilityBoundsHoldAtThePrescription) {
  std::printf(
      "| problem | noise | p | N | n | T | E||grad f(x_R)|| (UCB) | bound | ratio | "
      "q0.9 (UCL) | HP bound 0.1 | q0.99 (UCL) | HP bound 0.01 |\n");
  for (const Case& c : Cases()) {
    for (std::int64_t budget : kBudgets) {
      const PreparedRun run(Config(c, Method::kPsClipSgd, budget, 1.0));
      const PsClipSgdSetting setting = BoundSetting(run);
      const double bound = theory::PsClipSgdExpectationBound(setting).value;
      const std::string where = Where(c, budget);
      // The registry's bound at the run's inputs is the same number, bit for bit.
      const theory::TheoryBound entry =
          theory::FindTheory("ps_clip_sgd")->ExpectationBound(RegistryInputs(run));
      ASSERT_TRUE(entry.available) << entry.why_not;
      EXPECT_EQ(entry.value, bound) << where;
      const Outcome o = RunSeeds(run);
      ASSERT_EQ(o.diverged, 0) << where;
      const MeanConfidence mean =
          BernsteinHoeffdingMean(o.at_r, 0.0, setting.gradient_bound, kAlpha);
      std::printf("| %s | %s | %.1f | %lld | %lld | %lld | %.4f (%.4f) | %.4f | %.3f |",
                  c.problem.c_str(), c.noise.c_str(), c.p, static_cast<long long>(budget),
                  static_cast<long long>(setting.batch), static_cast<long long>(setting.iterations),
                  mean.mean, mean.upper, bound, mean.mean / bound);
      EXPECT_LE(mean.upper, bound) << "in-expectation bound, " << where;
      for (double delta : {0.1, 0.01}) {
        const QuantileLimit q = stats::QuantileUpperLimit(o.rms_path, 1.0 - delta, kAlpha);
        const double hp = theory::PsClipSgdHighProbabilityBound(setting, delta).value;
        std::printf(" %.4f (%.4f) | %.4f |", q.estimate, q.limit, hp);
        ASSERT_TRUE(q.supported) << where;
        EXPECT_LE(q.limit, hp) << "high-probability bound, delta = " << delta << ", " << where;
        // Wrong-constant twin: the bound divided by 10 is violated (the lower confidence limit
        // of the quantile lies above it), so the check can tell a constant 10 times too small.
        const QuantileLimit lo = stats::QuantileLowerLimit(o.rms_path, 1.0 - delta, kAlpha);
        ASSERT_TRUE(lo.supported) << where;
        EXPECT_GT(lo.limit, hp / 10) << "HP bound / 10, delta = " << delta << ", " << where;
      }
      std::printf("\n");
    }
  }
}

// Broken twin of items 3 and 4: the prescribed step times 10 (eta = 10/L breaks the premise
// eta <= 1/L). Both bounds at the prescription must then be violated: the lower confidence bound
// of the mean of ||grad f(x_R)|| lies above the expectation bound, and the lower confidence limit
// of the (1 - delta)-quantile of the path's root mean square gradient above the
// high-probability bound.
TEST(PsClipSgdTheory, TenTimesThePrescribedStepBreaksBothBounds) {
  for (const Case& c : Cases()) {
    const std::int64_t budget = 10000;
    const PreparedRun run(Config(c, Method::kPsClipSgd, budget, 10.0));
    const PsClipSgdSetting setting = BoundSetting(run);
    const double bound = theory::PsClipSgdExpectationBound(setting).value;
    const Outcome o = RunSeeds(run);
    // A diverged run would report +inf; none is expected on these bounded-gradient problems.
    ASSERT_EQ(o.diverged, 0) << Where(c, budget);
    const MeanConfidence mean = BernsteinHoeffdingMean(o.at_r, 0.0, setting.gradient_bound, kAlpha);
    std::printf("10x step: %s | %s: E||grad f(x_R)|| %.4f (LCB %.4f) vs bound %.4f;",
                c.problem.c_str(), c.noise.c_str(), mean.mean, mean.lower, bound);
    EXPECT_GT(mean.lower, bound) << "broken twin (10x step) must violate the expectation bound, "
                                 << Where(c, budget);
    for (double delta : {0.1, 0.01}) {
      const double hp = theory::PsClipSgdHighProbabilityBound(setting, delta).value;
      const QuantileLimit q = stats::QuantileLowerLimit(o.rms_path, 1.0 - delta, kAlpha);
      std::printf(" q%.2f %.4f (LCL %.4f) vs HP bound %.4f;", 1 - delta, q.estimate, q.limit, hp);
      ASSERT_TRUE(q.supported);
      EXPECT_GT(q.limit, hp) << "broken twin (10x step) must violate the HP bound, delta = "
                             << delta << ", " << Where(c, budget);
    }
    std::printf("\n");
  }
}

// Plain SGD with PS-Clip's prescribed step and batch, under stable noise alpha = 1.2 (p = 1.1),
// noise scaled so that the bound is informative (below G). Measured: plain SGD is worse than
// PS-Clip in every (1 - delta)-quantile, but on these bounded-gradient problems it does NOT
// violate PS-Clip's high-probability bound (a heavy-tailed kick lands the iterate in another
// well of the Rastrigin landscape, from which eta = 1/L recovers in a few steps, and the path
// average of ||grad f||^2 is at most G^2). This is reported, not hidden: the assertions are that
// PS-Clip satisfies its bound and that SGD's quantile is above PS-Clip's (both at confidence
// 1 - kAlpha); the broken twin that violates the bound is the 10x step above, and at the level of
// one estimator the plain mean (theory_estimator_slow_test).
TEST(PsClipSgdTheory, PlainSgdIsWorseThanPsClipUnderStableNoise) {
  const Case c{"kind=smooth_rastrigin,dim=4", "kind=stable,alpha=1.2,scale=0.03", 1.1};
  const std::int64_t budget = 10000;
  const PreparedRun ps_clip(Config(c, Method::kPsClipSgd, budget, 1.0));
  const PsClipSgdSetting setting = BoundSetting(ps_clip);
  RunConfig sgd_config = Config(c, Method::kSgd, budget, 1.0);
  sgd_config.schedule.kind = ScheduleKind::kConstant;
  sgd_config.schedule.eta0 = setting.step;
  sgd_config.batch_size = setting.batch;
  sgd_config.batch_size_set = true;
  const PreparedRun sgd(sgd_config);
  const Outcome clipped = RunSeeds(ps_clip);
  const Outcome plain = RunSeeds(sgd);
  for (double delta : {0.1, 0.01}) {
    const double hp = theory::PsClipSgdHighProbabilityBound(setting, delta).value;
    const QuantileLimit up = stats::QuantileUpperLimit(clipped.rms_path, 1 - delta, kAlpha);
    const QuantileLimit lo = stats::QuantileLowerLimit(plain.rms_path, 1 - delta, kAlpha);
    std::printf(
        "stable 1.2, delta %.2f: PS-Clip q %.4f (UCL %.4f), SGD q %.4f (LCL %.4f), "
        "PS-Clip HP bound %.4f, G = %.4f\n",
        delta, up.estimate, up.limit, lo.estimate, lo.limit, hp, setting.gradient_bound);
    ASSERT_TRUE(up.supported && lo.supported);
    EXPECT_LE(up.limit, hp) << "PS-Clip, delta = " << delta << ", " << Where(c, budget);
    EXPECT_GT(lo.limit, up.limit) << "SGD must be worse than PS-Clip, delta = " << delta << ", "
                                  << Where(c, budget);
  }
}

}  // namespace
}  // namespace clipsim::sim
