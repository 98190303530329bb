// Exact reductions between methods, bit for bit over whole runs: they hold because every method
// forms its direction with the one reduction kernel (reduction.hpp), and the noise stream does
// not depend on the method. Each reduction also has a control showing that the comparison can
// fail (the methods differ once the reduction's premise is dropped), and a check that clipping
// was active where the reduction is about clipping.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>

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

}  // namespace
}  // namespace clipsim::sim
