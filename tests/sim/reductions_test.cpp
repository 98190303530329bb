// Exact reductions between methods, bit for bit over whole runs: they hold because every method
// forms its direction with the one reduction kernel (reduction.hpp), and the noise stream does
// not depend on the method. Each reduction also has a control showing that the comparison can
// fail (the methods differ once the reduction's premise is dropped), and a check that clipping
// was active where the reduction is about clipping.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"

namespace clipsim::sim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

RunConfig Base(Method m) {
  RunConfig c;
  c.problem.kind = "quadratic";
  c.problem.dim = 10;
  c.noise = noise::ParseNoiseSpec("kind=stable,alpha=1.5");
  c.p = 1.4;
  c.optimizer.method = m;
  c.schedule.kind = ScheduleKind::kConstant;
  c.schedule.eta0 = 0.05;
  c.batch_size = 8;
  c.budget = 4000;
  return c;
}

bool SameBits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Every recorded number and the final iterate, bit for bit.
::testing::AssertionResult Identical(const RunSummary& a, const RunSummary& b) {
  if (a.checkpoints.size() != b.checkpoints.size()) {
    return ::testing::AssertionFailure() << "checkpoint counts differ";
  }
  for (std::size_t i = 0; i < a.checkpoints.size(); ++i) {
    const Checkpoint& x = a.checkpoints[i];
    const Checkpoint& y = b.checkpoints[i];
    const double xs[] = {x.grad_norm,      x.value_gap,     x.mean_grad_norm,  x.mean_sq_grad_norm,
                         x.grad_norm_at_R, x.min_grad_norm, x.clipped_fraction};
    const double ys[] = {y.grad_norm,      y.value_gap,     y.mean_grad_norm,  y.mean_sq_grad_norm,
                         y.grad_norm_at_R, y.min_grad_norm, y.clipped_fraction};
    for (int k = 0; k < 7; ++k) {
      if (!SameBits(xs[k], ys[k])) {
        return ::testing::AssertionFailure()
               << "checkpoint " << i << " field " << k << ": " << xs[k] << " vs " << ys[k];
      }
    }
    if (x.samples != y.samples || x.iterations != y.iterations || x.diverged != y.diverged) {
      return ::testing::AssertionFailure() << "checkpoint " << i << " counters differ";
    }
  }
  if (a.final_iterate.size() != b.final_iterate.size()) {
    return ::testing::AssertionFailure() << "dimensions differ";
  }
  for (Eigen::Index j = 0; j < a.final_iterate.size(); ++j) {
    if (!SameBits(a.final_iterate[j], b.final_iterate[j])) {
      return ::testing::AssertionFailure() << "final iterate differs at " << j;
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(Reductions, PsClipWithInfiniteThresholdIsSgd) {
  RunConfig ps = Base(Method::kPsClipSgd);
  ps.optimizer.clip_scale = kInf;
  const PreparedRun sgd(Base(Method::kSgd));
  const PreparedRun ps_inf(ps);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    EXPECT_TRUE(Identical(sgd.Run(1, seed), ps_inf.Run(1, seed))) << "seed " << seed;
  }
  // The same with heavy-ball momentum on both sides.
  RunConfig hb = Base(Method::kSgdMomentum);
  hb.optimizer.momentum = 0.5;
  ps.optimizer.momentum = 0.5;
  EXPECT_TRUE(Identical(PreparedRun(hb).Run(2, 3), PreparedRun(ps).Run(2, 3)));
  // Control: with its default threshold sigma(p), PS-Clip-SGD clips and differs from SGD.
  const RunSummary clipped = PreparedRun(Base(Method::kPsClipSgd)).Run(1, 0);
  EXPECT_GT(clipped.checkpoints.back().clipped_fraction, 0.0);
  EXPECT_FALSE(Identical(sgd.Run(1, 0), clipped));
}

TEST(Reductions, PsClipSgdWithInfiniteThresholdIsSgdOnADataProblemWithNoise) {
  RunConfig s = Base(Method::kSgd);
  s.problem.kind = "robust_regression";
  s.problem.dim = 5;
  s.budget = 1000;
  RunConfig ps = s;
  ps.optimizer.method = Method::kPsClipSgd;
  ps.optimizer.clip_scale = kInf;
  EXPECT_TRUE(Identical(PreparedRun(s).Run(4, 9), PreparedRun(ps).Run(4, 9)));
}

TEST(Reductions, PsClipConstWithBatchOneIsClipSgdWithBatchOne) {
  for (double momentum : {0.0, 0.9}) {
    RunConfig a = Base(Method::kPsClipConst);
    RunConfig b = Base(Method::kClipSgd);
    for (RunConfig* c : {&a, &b}) {
      c->batch_size = 1;
      c->optimizer.clip_threshold = 1.0;
      c->optimizer.momentum = momentum;
    }
    const PreparedRun pa(a);
    const PreparedRun pb(b);
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      const RunSummary ra = pa.Run(5, seed);
      EXPECT_TRUE(Identical(ra, pb.Run(5, seed))) << "seed " << seed << " momentum " << momentum;
      // Stable noise with scale 1 in d = 10 has norms mostly above 1: the clip is active.
      EXPECT_GT(ra.checkpoints.back().clipped_fraction, 0.5);
    }
  }
  // Control: with batch 8 clipping each sample is not clipping the mean.
  RunConfig a = Base(Method::kPsClipConst);
  RunConfig b = Base(Method::kClipSgd);
  a.optimizer.clip_threshold = b.optimizer.clip_threshold = 1.0;
  EXPECT_FALSE(Identical(PreparedRun(a).Run(5, 0), PreparedRun(b).Run(5, 0)));
}

TEST(Reductions, ClipPerMicrobatchWithOneMicrobatchIsClipAfterAccumulation) {
  RunConfig per = Base(Method::kClipSgd);
  per.optimizer.clip_threshold = 0.3;
  per.optimizer.accumulation_mode = AccumulationMode::kClipPerMicrobatch;
  RunConfig after = per;
  after.optimizer.accumulation_mode = AccumulationMode::kClipAfterAccumulation;
  const PreparedRun pp(per);
  const PreparedRun pa(after);
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    const RunSummary rp = pp.Run(6, seed);
    EXPECT_TRUE(Identical(rp, pa.Run(6, seed))) << "seed " << seed;
    EXPECT_GT(rp.checkpoints.back().clipped_fraction, 0.5);
  }
  // Control: with K = 2 micro-batches the two modes differ.
  per.optimizer.accumulation = after.optimizer.accumulation = 2;
  per.batch_size = after.batch_size = 4;
  EXPECT_FALSE(Identical(PreparedRun(per).Run(6, 0), PreparedRun(after).Run(6, 0)));
}

// Clip-AdaGrad(D)-Norm and Clip-Adam(D)-Norm with an infinite threshold are the unclipped methods,
// with and without momentum and the delayed stepsize (Chezhegov et al.).
TEST(Reductions, ClippedAdaptiveMethodsWithInfiniteThresholdAreTheUnclipped) {
  struct Variant {
    Method clipped, plain;
    std::optional<double> beta1;
    bool delay;
  };
  const Variant variants[] = {{Method::kClipAdagradNorm, Method::kAdagradNorm, std::nullopt, false},
                              {Method::kClipAdagradNorm, Method::kAdagradNorm, 0.9, true},
                              {Method::kClipAdamNorm, Method::kAdamNorm, std::nullopt, false},
                              {Method::kClipAdamNorm, Method::kAdamNorm, 0.5, true}};
  for (const Variant& v : variants) {
    RunConfig clipped = Base(v.clipped);
    RunConfig plain = Base(v.plain);
    for (RunConfig* c : {&clipped, &plain}) {
      c->optimizer.beta1 = v.beta1;
      c->optimizer.delay = v.delay;
      c->optimizer.adaptive_eps = 1.0;
    }
    clipped.optimizer.clip_threshold = kInf;
    const std::string what = std::string(ToString(v.plain)) + " delay " + (v.delay ? "1" : "0");
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      EXPECT_TRUE(Identical(PreparedRun(clipped).Run(7, seed), PreparedRun(plain).Run(7, seed)))
          << what << " seed " << seed;
    }
    // Controls: a finite threshold clips and changes the run; the delay changes the run.
    clipped.optimizer.clip_threshold = 1.0;
    const RunSummary rc = PreparedRun(clipped).Run(7, 0);
    EXPECT_GT(rc.checkpoints.back().clipped_fraction, 0.5) << what;
    EXPECT_FALSE(Identical(rc, PreparedRun(plain).Run(7, 0))) << what;
    RunConfig other = plain;
    other.optimizer.delay = !v.delay;
    EXPECT_FALSE(Identical(PreparedRun(other).Run(7, 0), PreparedRun(plain).Run(7, 0))) << what;
  }
  // AdaGrad-Norm with beta1 = 0 written out is AdaGrad-Norm without the key (no momentum).
  RunConfig zero = Base(Method::kAdagradNorm);
  zero.optimizer.beta1 = 0.0;
  EXPECT_TRUE(
      Identical(PreparedRun(zero).Run(8, 1), PreparedRun(Base(Method::kAdagradNorm)).Run(8, 1)));
  EXPECT_EQ(CanonicalText(zero), CanonicalText(Base(Method::kAdagradNorm)));
}

}  // namespace
}  // namespace clipsim::sim
