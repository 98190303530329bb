// Behaviour of the optimizers over many seeds (issue 3, "What must be shown").
//
// 1. Gaussian noise, decaying steps: every method's median final ||grad f|| over 200 seeds is below
//    a tenth of its start value.
// 2. Stable noise with alpha = 1.2 on the quadratic with identity Hessian, d = 10, constant step:
//    the tail ratio q99/q50 of the final ||grad f|| over 1000 seeds is at least 5 times larger for
//    sgd than for ps_clip_sgd. That rule is about the sample (fixed seeds, so deterministic for a
//    build); a second assertion uses exact order-statistic confidence limits (no normal
//    approximation) to show that the gap is a property of the laws, not of these seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "clipsim/stats/quantile_ci.hpp"

namespace clipsim::sim {
namespace {

// Final ||grad f|| of seeds 0..seeds-1 (sorted) and the start value, on two threads.
std::vector<double> FinalGradNorms(const PreparedRun& run, std::uint64_t master, int seeds,
                                   double* start) {
  std::vector<double> out(static_cast<std::size_t>(seeds));
  const auto work = [&](int first) {
    for (int s = first; s < seeds; s += 2) {
      const RunSummary r = run.Run(master, static_cast<std::uint64_t>(s));
      out[static_cast<std::size_t>(s)] = r.checkpoints.back().grad_norm;
      if (s == 0 && start != nullptr) *start = r.checkpoints.front().grad_norm;
    }
  };
  std::thread helper(work, 1);
  work(0);
  helper.join();
  std::sort(out.begin(), out.end());
  return out;
}

struct MethodCase {
  Method method;
  ScheduleKind schedule;
  double eta0;
};

// Decaying steps: eta0 / (t + 1)^0.75 for the methods with a fixed scale; AdaGrad-Norm's step
// eta0 / b_t already decays like t^(-1/2) through its accumulator, so it keeps eta0 constant.
// Heavy ball takes a tenth of the step (its effective step is eta / (1 - momentum)).
const std::vector<MethodCase>& GaussianCases() {
  static const std::vector<MethodCase> cases = {
      {Method::kSgd, ScheduleKind::kPolynomial, 0.5},
      {Method::kSgdMomentum, ScheduleKind::kPolynomial, 0.05},
      {Method::kClipSgd, ScheduleKind::kPolynomial, 0.5},
      {Method::kPsClipSgd, ScheduleKind::kPolynomial, 0.5},
      {Method::kPsClipConst, ScheduleKind::kPolynomial, 0.5},
      {Method::kNormalizedSgd, ScheduleKind::kPolynomial, 0.5},
      {Method::kCoordClipSgd, ScheduleKind::kPolynomial, 0.5},
      {Method::kAdagradNorm, ScheduleKind::kConstant, 0.5},
      {Method::kClipAdagradNorm, ScheduleKind::kConstant, 0.5},
      {Method::kAdamNorm, ScheduleKind::kPolynomial, 0.5},
      {Method::kClipAdamNorm, ScheduleKind::kPolynomial, 0.5},
      {Method::kMedianClipSgd, ScheduleKind::kPolynomial, 0.5},
  };
  return cases;
}

// Seeds 0..199, master seed 11. The median's exact 99.9% order-statistic upper limit must be
// below start/10, so a pass means the population median is below it with confidence 99.9%.
TEST(Behaviour, EveryMethodConvergesUnderGaussianNoiseWithDecayingSteps) {
  ASSERT_EQ(GaussianCases().size(), AllMethods().size());
  for (const MethodCase& m : GaussianCases()) {
    RunConfig c;
    c.problem.kind = "quadratic";
    c.problem.dim = 10;
    c.noise = noise::ParseNoiseSpec("kind=gaussian,scale=1");
    c.p = 2.0;
    c.optimizer.method = m.method;
    c.schedule.kind = m.schedule;
    c.schedule.eta0 = m.eta0;
    c.schedule.decay = 0.75;
    c.batch_size = 4;
    c.budget = 20000;
    const PreparedRun run(c);
    double start = 0.0;
    const std::vector<double> final_norms = FinalGradNorms(run, 11, 200, &start);
    const stats::QuantileEstimate median = stats::QuantileWithCi(final_norms, 0.5, 0.999);
    std::printf("%-18s start %.4f  median final %.5f  (99.9%% upper limit %.5f)\n",
                std::string(ToString(m.method)).c_str(), start, median.estimate, median.upper);
    ASSERT_EQ(median.status, stats::IntervalStatus::kOk);
    EXPECT_LT(median.upper, 0.1 * start)
        << ToString(m.method) << ": median final ||grad f|| " << median.estimate << " (upper limit "
        << median.upper << ") vs start " << start
        << " (seeds 0..199, master seed 11, confidence 99.9%)";
  }
}

// Seeds 0..999, master seed 12. The rule on the sample quantiles (X_(990) / X_(500)):
//   q99/q50 for sgd  >=  5 q99/q50 for ps_clip_sgd.
// Then each of the four quantiles gets an exact two-sided 99.9% order-statistic interval, and
// the pessimistic ends (q99 lower / q50 upper for sgd, q99 upper / q50 lower for ps_clip_sgd)
// must still differ by a factor 2: the population ratio of ratios exceeds 2 with confidence
// >= 99.6% (union bound over the four intervals). Measured: 8.3 on the sample, 3.75 pessimistic.
TEST(Behaviour, PsClipTamesTheTailUnderStableNoise) {
  auto config = [](Method m) {
    RunConfig c;
    c.problem.kind = "quadratic";
    c.problem.dim = 10;
    c.noise = noise::ParseNoiseSpec("kind=stable,alpha=1.2");
    c.p = 1.1;
    c.optimizer.method = m;  // ps_clip_sgd: clip_scale = sigma(1.1), clip_power = 1.1
    c.schedule.kind = ScheduleKind::kConstant;
    c.schedule.eta0 = 0.1;
    c.batch_size = 8;
    c.budget = 4000;
    return c;
  };
  const PreparedRun sgd(config(Method::kSgd));
  const PreparedRun ps(config(Method::kPsClipSgd));
  const std::vector<double> a = FinalGradNorms(sgd, 12, 1000, nullptr);
  const std::vector<double> b = FinalGradNorms(ps, 12, 1000, nullptr);
  constexpr double kConfidence = 0.999;
  const auto a99 = stats::QuantileWithCi(a, 0.99, kConfidence);
  const auto a50 = stats::QuantileWithCi(a, 0.50, kConfidence);
  const auto b99 = stats::QuantileWithCi(b, 0.99, kConfidence);
  const auto b50 = stats::QuantileWithCi(b, 0.50, kConfidence);
  for (const auto* q : {&a99, &a50, &b99, &b50}) {
    ASSERT_EQ(q->status, stats::IntervalStatus::kOk);
  }
  const double ratio_sgd = a99.estimate / a50.estimate;
  const double ratio_ps = b99.estimate / b50.estimate;
  const double sgd_low = a99.lower / a50.upper;
  const double ps_high = b99.upper / b50.lower;
  std::printf(
      "q99/q50 of final ||grad f||: sgd %.3f (lower limit %.3f), ps_clip_sgd %.3f (upper "
      "limit %.3f); ratio of ratios %.2f (pessimistic %.2f)\n",
      ratio_sgd, sgd_low, ratio_ps, ps_high, ratio_sgd / ratio_ps, sgd_low / ps_high);
  EXPECT_GE(ratio_sgd, 5.0 * ratio_ps) << "sgd q99/q50 " << ratio_sgd << ", ps_clip_sgd q99/q50 "
                                       << ratio_ps << " (seeds 0..999, master seed 12)";
  EXPECT_GE(sgd_low, 2.0 * ps_high)
      << "pessimistic limits: sgd q99/q50 >= " << sgd_low << ", ps_clip_sgd q99/q50 <= " << ps_high
      << " (seeds 0..999, master seed 12, confidence >= 99.6%)";
}

}  // namespace
}  // namespace clipsim::sim
