// Optimizer::ScalarStep (the fused step of scalar runs) and ScalarSteps (up to kLanes runs' steps
// at once) against AddRows + FinishStep, bit for bit, over many steps of heavy-tailed rows with
// the edge values (huge, -0, inf, NaN), and Oracle::TakeAhead against Sample. The comparison is
// shown to be sharp: a step that sums the same rows in another order differs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/optimizer.hpp"
#include "clipsim/sim/oracle.hpp"
#include "clipsim/sim/problem_registry.hpp"
#include "clipsim/sim/reduction.hpp"
#include "sim/optimizer_settings.hpp"

namespace clipsim::sim {
namespace {

using test_support::Bits;
using test_support::kInf;
using test_support::Settings;

// Every method whose step is a weighted mean of the rows, with thresholds that clip some, none or
// all rows.
std::vector<OptimizerSettings> Cases(std::int64_t n) {
  return test_support::WeightedMeanCases(n);
}

// Heavy-tailed values and now and then an edge value.
double Draw(Rng& rng) {
  return test_support::EdgyDraw(rng, 64);
}

// The rows of step t of `steps`: heavy-tailed, with edges an edge value now and then, +inf and
// NaN rows near the end.
void NextRows(Rng& rng, std::vector<double>& noise, int t, int steps, bool edges) {
  for (double& e : noise) e = edges ? Draw(rng) : std::tan(UniformOpen01(rng()) - 0.5);
  if (edges && t == steps - 3) noise[0] = kInf;
  if (edges && t == steps - 2) noise.back() = std::nan("");
}

struct Trace {
  std::vector<std::uint64_t> x;
  std::vector<std::int64_t> clipped;
};

// Steps one optimizer with rows noise + shift either way; every step's iterate and clipped count.
// reorder: the fused path, but the rows fed backwards (a different sum of the same rows).
Trace Steps(const OptimizerSettings& s, bool fused, bool reorder, std::uint64_t seed, int steps,
            bool edges) {
  const std::int64_t n = s.batch_size;
  Optimizer opt(s, 1);
  Rng rng = MakeRng({seed, 7});
  std::vector<double> noise(static_cast<std::size_t>(n));
  Batch rows(n, 1);
  Vector x(1);
  x[0] = 1.0;
  Trace trace;
  for (int t = 0; t < steps; ++t) {
    NextRows(rng, noise, t, steps, edges);
    // A shift like grad f(x) = x: finite, changing, sometimes large.
    const double shift = std::isfinite(x[0]) ? x[0] : 0.25;
    const double eta = 0.05 + 0.01 * t;
    if (reorder) std::reverse(noise.begin(), noise.end());
    if (fused) {
      opt.ScalarStep(noise.data(), shift, eta, x[0]);
    } else {
      for (std::int64_t k = 0; k < n; ++k) rows(k, 0) = noise[static_cast<std::size_t>(k)] + shift;
      opt.AddRows(rows);
      opt.FinishStep(eta, x);
    }
    trace.x.push_back(Bits(x[0]));
    trace.clipped.push_back(opt.clipped_samples());
    if (!std::isfinite(x[0])) x[0] = 1.0;  // keep stepping past a blow-up
  }
  return trace;
}

TEST(ScalarStep, EqualsTheGeneralStepBitForBit) {
  int compared = 0;
  for (std::int64_t n : {1, 2, 5, 16, 33}) {
    for (const OptimizerSettings& s : Cases(n)) {
      ASSERT_TRUE(Optimizer(s, 1).TakesScalarSteps()) << ToString(s.method);
      for (bool edges : {false, true}) {
        const std::uint64_t seed = static_cast<std::uint64_t>(100 * n + compared);
        const Trace general = Steps(s, false, false, seed, 60, edges);
        const Trace fused = Steps(s, true, false, seed, 60, edges);
        ASSERT_EQ(general.x, fused.x) << ToString(s.method) << " n = " << n << " case " << compared;
        ASSERT_EQ(general.clipped, fused.clipped) << ToString(s.method) << " n = " << n;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 100);
}

// Up to kLanes optimizers stepped together by ScalarSteps, lane j with the rows Steps(seed_j)
// feeds its optimizer, for steps_j steps: the lanes that end drop out and the others close up.
std::vector<Trace> LaneSteps(const OptimizerSettings& s, const std::vector<std::uint64_t>& seeds,
                             const std::vector<int>& steps, int total, bool edges) {
  const std::size_t m = seeds.size();
  std::vector<Optimizer> opts;
  std::vector<Rng> rngs;
  std::vector<std::vector<double>> noise(m, std::vector<double>(s.batch_size));
  std::vector<double> x(m, 1.0);
  for (std::size_t j = 0; j < m; ++j) {
    opts.emplace_back(s, 1);
    rngs.push_back(MakeRng({seeds[j], 7}));
  }
  std::vector<Trace> traces(m);
  std::vector<double> scratch;
  for (int t = 0; t < total; ++t) {
    std::vector<Optimizer::ScalarLane> lanes;
    std::vector<std::size_t> who;
    for (std::size_t j = 0; j < m; ++j) {
      if (t >= steps[j]) continue;
      NextRows(rngs[j], noise[j], t, total, edges);
      const double shift = std::isfinite(x[j]) ? x[j] : 0.25;
      lanes.push_back({&opts[j], noise[j].data(), shift, 0.05 + 0.01 * t, &x[j]});
      who.push_back(j);
    }
    if (lanes.empty()) break;
    Optimizer::ScalarSteps(lanes, scratch);
    for (std::size_t j : who) {
      traces[j].x.push_back(Bits(x[j]));
      traces[j].clipped.push_back(opts[j].clipped_samples());
      if (!std::isfinite(x[j])) x[j] = 1.0;
    }
  }
  return traces;
}

TEST(ScalarSteps, EveryLaneEqualsItsOwnGeneralStepBitForBit) {
  int compared = 0;
  for (std::int64_t n : {1, 3, 16, 33}) {
    for (const OptimizerSettings& s : Cases(n)) {
      for (std::size_t m : {std::size_t{1}, std::size_t{5}, Optimizer::kLanes}) {
        const bool edges = compared % 2 == 1;
        std::vector<std::uint64_t> seeds;
        std::vector<int> steps;
        for (std::size_t j = 0; j < m; ++j) {
          seeds.push_back(1000 * static_cast<std::uint64_t>(n) + 10 * j + compared);
          steps.push_back(40 - 3 * static_cast<int>(j));  // lanes end at different steps
        }
        const std::vector<Trace> lanes = LaneSteps(s, seeds, steps, 40, edges);
        for (std::size_t j = 0; j < m; ++j) {
          // The general run of 40 steps with the lane's rows, up to where the lane ended.
          Trace general = Steps(s, false, false, seeds[j], 40, edges);
          general.x.resize(static_cast<std::size_t>(steps[j]));
          general.clipped.resize(static_cast<std::size_t>(steps[j]));
          ASSERT_EQ(lanes[j].x, general.x)
              << ToString(s.method) << " n = " << n << " lanes " << m << " lane " << j;
          ASSERT_EQ(lanes[j].clipped, general.clipped) << ToString(s.method) << " n = " << n;
        }
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 200);
}

TEST(ScalarSteps, RefusesRunsOfOtherSettings) {
  OptimizerSettings a = Settings(Method::kPsClipSgd, 16);
  OptimizerSettings b = Settings(Method::kPsClipSgd, 8);
  Optimizer oa(a, 1), ob(b, 1);
  std::vector<double> rows(16, 0.5), scratch;
  double xa = 1.0, xb = 1.0;
  const std::vector<Optimizer::ScalarLane> lanes = {{&oa, rows.data(), 0.0, 0.1, &xa},
                                                    {&ob, rows.data(), 0.0, 0.1, &xb}};
  EXPECT_DEATH(Optimizer::ScalarSteps(lanes, scratch), "runs of one PreparedRun");
  EXPECT_DEATH(Optimizer::ScalarSteps({}, scratch), "between 1 and kLanes runs");
}

TEST(ScalarNorm, EqualsNormOfOneValue) {
  Rng rng = MakeRng({11});
  std::vector<double> values = {0.0,    -0.0,    kInf,  -kInf,  std::nan(""), 1e-320,
                                -1e154, 1.5e154, 1e300, -1e308, 4.9e-324,     3.0};
  for (int i = 0; i < 10000; ++i) values.push_back(Draw(rng) * std::pow(10.0, rng() % 600 - 300.0));
  for (double v : values) EXPECT_EQ(Bits(ScalarNorm(v)), Bits(Norm(&v, 1))) << v;
}

TEST(ScalarStep, TheComparisonSeesTheOrderOfTheSum) {
  // The same rows summed backwards: the check above would catch a fused step that reordered.
  OptimizerSettings s = Settings(Method::kPsClipSgd, 16);
  s.clip_scale = 1.0;
  s.clip_power = 1.4;
  const Trace general = Steps(s, false, false, 5, 60, false);
  const Trace reordered = Steps(s, true, true, 5, 60, false);
  EXPECT_NE(general.x, reordered.x);
}

TEST(ScalarStep, OnlyWhereTheStepIsAWeightedMeanOfScalarRows) {
  EXPECT_FALSE(Optimizer(Settings(Method::kSgd, 4), 2).TakesScalarSteps());
  OptimizerSettings s = Settings(Method::kPsClipSgd, 4);
  s.accumulation = 2;
  EXPECT_FALSE(Optimizer(s, 1).TakesScalarSteps());
  for (Method m : {Method::kNormalizedSgd, Method::kCoordClipSgd, Method::kAdagradNorm,
                   Method::kClipAdamNorm, Method::kMedianClipSgd}) {
    EXPECT_FALSE(Optimizer(Settings(m, 4), 1).TakesScalarSteps()) << ToString(m);
  }
  // A micro-batch of more rows than a chunk arrives in several calls.
  EXPECT_FALSE(Optimizer(Settings(Method::kSgd, ChunkRows(1 << 30, 1) + 1), 1).TakesScalarSteps());
}

TEST(Oracle, TakeAheadHandsOutTheRowsSampleWould) {
  ProblemSpec spec;
  spec.kind = "quadratic";
  spec.dim = 1;
  const auto problem = MakeProblem(spec);
  const auto noise = noise::MakeNoise(noise::ParseNoiseSpec("kind=stable,alpha=1.5"));
  // 24 rows per call: the draws ahead (4096 rows) end inside a call now and then.
  const std::int64_t n = 24;
  const std::int64_t calls = 700;
  Vector x(1), grad(1);
  x[0] = 0.5;
  grad[0] = 0.5;
  Batch rows(n, 1), scratch(0, 1);
  RunStreams plain = MakeRunStreams(3, 4, 5, false);
  RunStreams taking = MakeRunStreams(3, 4, 5, false);
  Oracle a(*problem, noise.get(), OracleRequests{n, n, n * calls});
  Oracle b(*problem, noise.get(), OracleRequests{n, n, n * calls});
  ASSERT_GT(b.ahead_rows(), 0);
  int straddled = 0;
  for (std::int64_t c = 0; c < calls; ++c) {
    a.Sample(x, grad, plain, rows, scratch);
    const Batch expect = rows;
    const double* e = b.TakeAhead(taking.noise, n);
    if (e == nullptr) {
      ++straddled;
      b.Sample(x, grad, taking, rows, scratch);
      ASSERT_EQ(rows, expect) << "call " << c;
      continue;
    }
    for (std::int64_t k = 0; k < n; ++k) {
      ASSERT_EQ(Bits(e[k] + grad[0]), Bits(expect(k, 0))) << "call " << c << " row " << k;
    }
  }
  EXPECT_GT(straddled, 0);
  // Without draws ahead (no noise) there is nothing to take.
  Oracle none(*problem, nullptr, OracleRequests{n, n, n * calls});
  EXPECT_EQ(none.TakeAhead(plain.noise, n), nullptr);
}

}  // namespace
}  // namespace clipsim::sim
