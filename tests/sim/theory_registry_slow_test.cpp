// The clip_sgd and sgd entries of the theory registry (theory/registry.hpp) against simulation,
// at the registry's prescription, judged against TheoryEntry::ExpectationBound (THEORY.md
// Part II, sections 5 and 6, and "Which bound each entry is checked against"), on globally smooth
// problems with a bounded gradient (G = Facts().gradient_bound). PS-Clip-SGD's checks are
// theory_sgd_slow_test.cpp.
//
// What is checked. An entry's bound B bounds sqrt((1/T) sum_t E||grad f(x_t)||^2), which is
// sqrt(E mean_sq_grad_norm) and >= E mean_grad_norm = E||grad f(x_R)|| (R uniform on {0..T-1})
// at the run's last checkpoint. mean_grad_norm lies in [0, G] and mean_sq_grad_norm in [0, G^2],
// so the empirical Bernstein / Hoeffding confidence bounds of their means over seeds are valid.
//   Holds: UCB(E mean_grad_norm) <= B and sqrt(UCB(E mean_sq_grad_norm)) <= B at every budget.
//   Wrong constant: B / 10 is violated (LCB(E mean_grad_norm) > B / 10) at every budget.
//   Broken premise (eta <= 1/L), judged against the PRESCRIPTION's bound: LCB(E mean_grad_norm)
//   > B for the twin.
//
// clip_sgd: batch 1, lambda = sigma s^(1/(3p-2)), eta* = min(1/(4L), s^(-p/(3p-2)) / (3L)),
// T = N (s = sigma^2 N / (L Delta)), under light (Gaussian, p = 2) and heavy (stable
// alpha = 1.5, p = 1.3) noise. The twin is the step 3/L (step_factor = 3 / (L eta*)), three times
// the largest step the premise allows. Why not step_factor 10 (the PS-Clip and sgd twin): a twin
// that is no longer a descent method needs 10 eta* >= 2/L, i.e. L eta* >= 0.2, and wherever
// L eta* >= 0.2 the prescription's bound is at least 0.94 G (THEORY.md Part II, section 5; a scan
// finds 0.976 G), which no twin can credibly exceed. At the settings here 10 eta* <= 1/L still
// holds, so ten times the step breaks no premise: its own bound (the public
// ClipSgdExpectationBound at 10 eta*) is asserted to hold instead.
// Finding (printed, not asserted): on nonconvex_sum under the stable noise the 3/L twin does not
// violate B: heavy-tailed kicks with a step of 3/L throw the iterate out to where the gradient of
// sum x^2/(1+x^2) vanishes. On smooth_rastrigin, whose gradient does not vanish far out, the same
// twin violates B under both noises, and on nonconvex_sum under Gaussian noise.
//
// sgd (p = 2 only): batch 1, eta* = min(1/L, sqrt(2 Delta / (L sigma^2 N))), T = N, bound
// sqrt(2 Delta / (eta T) + L eta sigma^2), under light (Gaussian) and heavy but finite-variance
// (Student-t dof 3, Pareto tail 3) noise. The twin is ten times the prescribed step at N = 1000,
// where 10 eta* is 1.8/L to 3.2/L. The budgets stop at 4000: the range G^2 of mean_sq_grad_norm
// makes its confidence bound's linear term 7 G^2 log(4/alpha) / (3 (n - 1)) about 0.13-0.17 at
// n = 3000 seeds, which is the size of B^2 beyond N = 4000.
//
// Every confidence statement has false-alarm rate kAlpha = 1e-3 (one-sided). The clip_sgd checks
// make 43 of them (4 cases x 3 budgets x 3, 3 twins, 4 own bounds), the sgd checks 40 (4 x 3 x 3,
// 4 twins): by a union bound a false alarm among all 83 has probability at most 0.083 for a
// random master seed. The seeds are fixed (master seed kSeed, seed indices 0..seeds-1, kClipSeeds
// or kSgdSeeds), so the outcome is deterministic for one build.
#include <gtest/gtest.h>

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

constexpr double kAlpha = 1e-3;
constexpr std::uint64_t kSeed = 7;
// The mean_sq_grad_norm confidence bound has range G^2 (about 20-27 here), whose linear term
// 7 G^2 log(4/alpha) / (3 (n - 1)) must stay well below B^2.
constexpr int kClipSeeds = 2000;
constexpr int kSgdSeeds = 3000;

struct Case {
  std::string problem;
  std::string noise;
  double p;
  bool twin_breaks = true;  // whether the twin is asserted to violate the bound (see the header)
};

const std::vector<Case>& ClipCases() {
  static const std::vector<Case> cases = {
      {"kind=smooth_rastrigin,dim=4", "kind=gaussian,scale=1", 2.0, true},
      {"kind=smooth_rastrigin,dim=4", "kind=stable,alpha=1.5,scale=0.25", 1.3, true},
      {"kind=nonconvex_sum,dim=4,scale=4", "kind=gaussian,scale=1", 2.0, true},
      {"kind=nonconvex_sum,dim=4,scale=4", "kind=stable,alpha=1.5,scale=0.5", 1.3, false},
  };
  return cases;
}

const std::vector<std::int64_t> kClipBudgets = {1000, 4000, 16000};
constexpr std::int64_t kClipTwinBudget = 4000;

const std::vector<Case>& SgdCases() {
  static const std::vector<Case> cases = {
      {"kind=smooth_rastrigin,dim=4", "kind=gaussian,scale=0.5", 2.0},
      {"kind=smooth_rastrigin,dim=4", "kind=student_t,dof=3,scale=0.5", 2.0},
      {"kind=nonconvex_sum,dim=4,scale=4", "kind=gaussian,scale=1", 2.0},
      {"kind=nonconvex_sum,dim=4,scale=4", "kind=pareto,tail=3,scale=0.5", 2.0},
  };
  return cases;
}

const std::vector<std::int64_t> kSgdBudgets = {1000, 2000, 4000};
constexpr std::int64_t kSgdTwinBudget = 1000;

RunConfig Config(const Case& c, Method method, std::int64_t budget, double step_factor) {
  RunConfig config = TheoryRunConfig(c.problem, c.noise, c.p, method, budget, kSeed);
  config.schedule.step_factor = step_factor;
  return config;
}

struct Outcome {
  std::vector<double> mean_norm;  // mean_grad_norm at the end of each seed's run
  std::vector<double> mean_sq;    // mean_sq_grad_norm at the end
  int diverged = 0;
};

// Runs seeds 0..seeds-1 on two threads (each seed's result depends only on its seed).
Outcome RunSeeds(const PreparedRun& run, int seeds) {
  Outcome out;
  const auto count = static_cast<std::size_t>(seeds);
  out.mean_norm.assign(count, 0.0);
  out.mean_sq.assign(count, 0.0);
  std::vector<int> diverged(count, 0);
  ForEachSeed(run, kSeed, seeds, [&](int s, const RunSummary& summary) {
    const Checkpoint& last = summary.checkpoints.back();
    out.mean_norm[static_cast<std::size_t>(s)] = last.mean_grad_norm;
    out.mean_sq[static_cast<std::size_t>(s)] = last.mean_sq_grad_norm;
    diverged[static_cast<std::size_t>(s)] = summary.termination == Termination::kDiverged;
  });
  for (int d : diverged) out.diverged += d;
  return out;
}

// The registry's bound of the run's method at the prescription; checks that the run uses that
// prescription (up to its step_factor).
theory::TheoryBound PrescriptionBound(const PreparedRun& run) {
  const std::string method(ToString(run.config().optimizer.method));
  const theory::TheoryBound b = theory::FindTheory(method)->ExpectationBound(RegistryInputs(run));
  EXPECT_TRUE(b.available) << b.why_not;
  const ResolvedParameters& r = run.resolved();
  EXPECT_EQ(r.optimizer.batch_size, b.prescription.batch_size);
  EXPECT_EQ(r.iterations, b.prescription.iterations);
  if (method == "clip_sgd") {
    EXPECT_EQ(r.optimizer.clip_threshold, b.prescription.clip_threshold);
  }
  EXPECT_DOUBLE_EQ(r.eta0, b.prescription.eta * run.config().schedule.step_factor);
  return b;
}

std::string Where(const Case& c, std::int64_t budget, int seeds) {
  return c.problem + " | " + c.noise + " | p = " + std::to_string(c.p) +
         " | N = " + std::to_string(budget) + " (seed " + std::to_string(kSeed) + ", " +
         std::to_string(seeds) + " seeds, confidence 1 - " + std::to_string(kAlpha) + ")";
}

// The holds and wrong-constant checks of one entry at its prescription, with a table row per
// (case, budget).
void CheckAtThePrescription(Method method, const std::vector<Case>& cases,
                            const std::vector<std::int64_t>& budgets, int seeds) {
  std::printf(
      "| problem | noise | p | N | lambda | eta | E mean_grad_norm (LCB, UCB) | sqrt(E "
      "mean_sq_grad_norm) (UCB) | bound | opt / noise term | mean / bound | rms / bound |\n");
  for (const Case& c : cases) {
    for (std::int64_t budget : budgets) {
      const PreparedRun run(Config(c, method, budget, 1.0));
      const theory::TheoryBound b = PrescriptionBound(run);
      const double g = run.problem().Facts().gradient_bound;
      const Outcome o = RunSeeds(run, seeds);
      const std::string where = Where(c, budget, seeds);
      ASSERT_EQ(o.diverged, 0) << where;
      const MeanConfidence mean = BernsteinHoeffdingMean(o.mean_norm, 0.0, g, kAlpha);
      const MeanConfidence sq = BernsteinHoeffdingMean(o.mean_sq, 0.0, g * g, kAlpha);
      std::printf(
          "| %s | %s | %.1f | %lld | %.4g | %.4g | %.4f (%.4f, %.4f) | %.4f (%.4f) | %.4f | "
          "%.4f / %.4f | %.3f | %.3f |\n",
          c.problem.c_str(), c.noise.c_str(), c.p, static_cast<long long>(budget),
          b.prescription.clip_threshold, b.prescription.eta, mean.mean, mean.lower, mean.upper,
          std::sqrt(sq.mean), std::sqrt(sq.upper), b.value, b.optimization, b.noise,
          mean.mean / b.value, std::sqrt(sq.mean) / b.value);
      EXPECT_LT(b.value, g) << "the bound must be informative (below G), " << where;
      EXPECT_LE(mean.upper, b.value) << "E mean_grad_norm, " << where;
      EXPECT_LE(std::sqrt(sq.upper), b.value) << "sqrt(E mean_sq_grad_norm), " << where;
      // Wrong-constant twin: the bound divided by 10 is violated.
      EXPECT_GT(mean.lower, b.value / 10) << "bound / 10, " << where;
    }
  }
}

// The broken-premise twin: the run at `factor(prescribed run)` times the prescribed step,
// against the prescription's bound.
template <class Factor>
void CheckTwin(Method method, const std::vector<Case>& cases, std::int64_t budget, int seeds,
               const char* label, Factor factor) {
  for (const Case& c : cases) {
    const PreparedRun prescribed(Config(c, method, budget, 1.0));
    const double step_factor = factor(prescribed);
    const PreparedRun run(Config(c, method, budget, step_factor));
    const theory::TheoryBound b = PrescriptionBound(run);
    const double g = run.problem().Facts().gradient_bound;
    const double l_eta = run.resolved().L * run.resolved().eta0;
    ASSERT_GT(l_eta, 1.0) << "the twin must break eta <= 1/L";
    const Outcome o = RunSeeds(run, seeds);
    ASSERT_EQ(o.diverged, 0) << Where(c, budget, seeds);
    const MeanConfidence mean = BernsteinHoeffdingMean(o.mean_norm, 0.0, g, kAlpha);
    std::printf(
        "%s %s (step_factor %.1f, L eta = %.2f): %s | %s | N = %lld: E mean_grad_norm %.4f (LCB "
        "%.4f, UCB %.4f) vs bound %.4f (G = %.4f)%s\n",
        std::string(ToString(method)).c_str(), label, step_factor, l_eta, c.problem.c_str(),
        c.noise.c_str(), static_cast<long long>(budget), mean.mean, mean.lower, mean.upper, b.value,
        g, c.twin_breaks ? "" : " [finding: not asserted]");
    if (c.twin_breaks) {
      EXPECT_GT(mean.lower, b.value)
          << "the twin must violate the prescription's bound, " << Where(c, budget, seeds);
    }
  }
}

TEST(ClipSgdTheory, ExpectationBoundHoldsAtThePrescription) {
  CheckAtThePrescription(Method::kClipSgd, ClipCases(), kClipBudgets, kClipSeeds);
}

// Broken premise: the step 3/L (eta <= 1/L broken threefold).
TEST(ClipSgdTheory, ThreeOverLStepBreaksTheBound) {
  CheckTwin(Method::kClipSgd, ClipCases(), kClipTwinBudget, kClipSeeds, "step 3/L",
            [](const PreparedRun& prescribed) {
              return 3.0 / (prescribed.resolved().L * prescribed.resolved().eta0);
            });
}

// Ten times the prescribed step still satisfies eta <= 1/L here, so it is not a broken premise:
// its own bound (ClipSgdExpectationBound at 10 eta*) must hold; printed next to the
// prescription's bound.
TEST(ClipSgdTheory, TenTimesTheStepSatisfiesItsOwnBound) {
  for (const Case& c : ClipCases()) {
    const PreparedRun run(Config(c, Method::kClipSgd, kClipTwinBudget, 10.0));
    const theory::TheoryBound b = PrescriptionBound(run);
    const ResolvedParameters& r = run.resolved();
    ASSERT_LE(r.L * r.eta0, 1.0) << "10 eta* must keep the premise here";
    theory::ClipSgdSetting s;
    s.L = r.L;
    s.Delta = r.delta;
    s.sigma = r.sigma;
    s.p = c.p;
    s.gradient_bound = run.problem().Facts().gradient_bound;
    s.step = r.eta0;
    s.batch = r.optimizer.batch_size;
    s.iterations = r.iterations;
    s.clip_threshold = r.optimizer.clip_threshold;
    const double own = theory::ClipSgdExpectationBound(s).value;
    const Outcome o = RunSeeds(run, kClipSeeds);
    ASSERT_EQ(o.diverged, 0) << Where(c, kClipTwinBudget, kClipSeeds);
    const MeanConfidence mean = BernsteinHoeffdingMean(o.mean_norm, 0.0, s.gradient_bound, kAlpha);
    std::printf(
        "step x10 (L eta = %.3f): %s | %s | N = %lld: E mean_grad_norm %.4f (LCB %.4f, UCB %.4f) "
        "vs its own bound %.4f and the prescription's %.4f\n",
        r.L * r.eta0, c.problem.c_str(), c.noise.c_str(), static_cast<long long>(kClipTwinBudget),
        mean.mean, mean.lower, mean.upper, own, b.value);
    EXPECT_LE(mean.upper, own) << Where(c, kClipTwinBudget, kClipSeeds);
  }
}

TEST(SgdTheory, ExpectationBoundHoldsAtThePrescription) {
  CheckAtThePrescription(Method::kSgd, SgdCases(), kSgdBudgets, kSgdSeeds);
}

// Broken premise: ten times the prescribed step, at a budget where that exceeds 1/L.
TEST(SgdTheory, TenTimesThePrescribedStepBreaksTheBound) {
  CheckTwin(Method::kSgd, SgdCases(), kSgdTwinBudget, kSgdSeeds, "step x10",
            [](const PreparedRun&) { return 10.0; });
}

}  // namespace
}  // namespace clipsim::sim
