// Optimizer::AddNoisyRows (rows given as noise + grad f(x), never written out; the kernel
// AccumulateNoisyRows) against writing the rows out and feeding AddRows, bit for bit, for every
// method it takes, every dimension it takes, batch sizes that leave 1 to 3 rows after the groups
// of four, accumulation and both threshold positions, over many steps of heavy-tailed rows with
// the edge values (entries whose squares overflow, -0, inf, NaN). The comparison is shown to be
// sharp: the same rows summed in another order differ.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/sim/optimizer.hpp"
#include "clipsim/sim/reduction.hpp"
#include "sim/optimizer_settings.hpp"

namespace clipsim::sim {
namespace {

using test_support::Bits;
using test_support::kInf;
using test_support::Settings;

// Every method AddNoisyRows takes: those of weighted means of the rows, also with several
// micro-batches per step and both threshold positions, and the adaptive and normalized ones.
std::vector<OptimizerSettings> Cases(std::int64_t n) {
  std::vector<OptimizerSettings> cases = test_support::WeightedMeanCases(n);
  OptimizerSettings s;
  for (AccumulationMode mode :
       {AccumulationMode::kClipPerMicrobatch, AccumulationMode::kClipAfterAccumulation}) {
    s = Settings(Method::kClipSgd, n);
    s.accumulation_mode = mode;
    s.accumulation = 2;
    s.clip_threshold = 0.7;
    cases.push_back(s);
  }
  for (PositionMode position : {PositionMode::kPerMicrobatch, PositionMode::kAcrossMicrobatches}) {
    s = Settings(Method::kPsClipSgd, n);
    s.clip_scale = 0.3;
    s.clip_power = 1.2;
    s.momentum = 0.7;
    s.accumulation = 3;
    s.position = position;
    cases.push_back(s);
  }
  s = Settings(Method::kNormalizedSgd, n);
  s.momentum = 0.5;
  cases.push_back(s);
  s = Settings(Method::kCoordClipSgd, n);
  s.clip_threshold = 0.4;
  cases.push_back(s);
  cases.push_back(Settings(Method::kAdagradNorm, n));
  s = Settings(Method::kClipAdamNorm, n);
  s.beta1 = 0.9;
  s.clip_threshold = 1.5;
  cases.push_back(s);
  return cases;
}

// Heavy-tailed values and now and then an edge value.
double Draw(Rng& rng) {
  return test_support::EdgyDraw(rng, 97);
}

struct Trace {
  std::vector<std::uint64_t> x;  // every coordinate of every step's iterate
  std::vector<std::int64_t> clipped;
};

// Steps one optimizer with rows noise + grad f(x) = x, fed either way (noisy: AddNoisyRows; else
// the rows written out and AddRows), a micro-batch at a time; with edges, an inf row and a NaN
// row near the end. reorder: the noisy path with the rows of each micro-batch fed backwards.
Trace Steps(const OptimizerSettings& s, int dim, bool noisy, bool reorder, std::uint64_t seed,
            int steps, bool edges) {
  const std::int64_t n = s.batch_size;
  const auto values = static_cast<std::size_t>(n * dim);
  Optimizer opt(s, dim);
  Rng rng = MakeRng({seed, static_cast<std::uint64_t>(dim), 11});
  std::vector<double> noise(values);
  Batch rows(n, dim);
  Vector x = Vector::Ones(dim);
  Vector plus(dim);
  Trace trace;
  for (int t = 0; t < steps; ++t) {
    for (int j = 0; j < dim; ++j) plus[j] = std::isfinite(x[j]) ? x[j] : 0.25;
    for (std::int64_t micro = 0; micro < s.accumulation; ++micro) {
      for (double& e : noise) e = edges ? Draw(rng) : std::tan(UniformOpen01(rng()) - 0.5);
      if (edges && t == steps - 3) noise[0] = kInf;
      if (edges && t == steps - 2) noise.back() = std::nan("");
      if (reorder) {
        for (std::int64_t k = 0; k < n / 2; ++k) {
          std::swap_ranges(noise.begin() + k * dim, noise.begin() + (k + 1) * dim,
                           noise.begin() + (n - 1 - k) * dim);
        }
      }
      if (noisy) {
        opt.AddNoisyRows(noise.data(), plus.data(), n);
      } else {
        for (std::int64_t k = 0; k < n; ++k) {
          for (int j = 0; j < dim; ++j) {
            rows(k, j) = noise[static_cast<std::size_t>(k * dim + j)] + plus[j];
          }
        }
        opt.AddRows(rows);
      }
    }
    opt.FinishStep(0.05 + 0.01 * t, x);
    for (int j = 0; j < dim; ++j) trace.x.push_back(Bits(x[j]));
    trace.clipped.push_back(opt.clipped_samples());
    for (int j = 0; j < dim; ++j) {
      if (!std::isfinite(x[j])) x[j] = 1.0;  // keep stepping past a blow-up
    }
  }
  return trace;
}

TEST(NoisyRows, EqualTheRowsWrittenOutBitForBit) {
  if (!FusesNoisyRows(2)) GTEST_SKIP() << "a build without AVX2 and FMA: AddNoisyRows is not used";
  int compared = 0;
  for (int dim = 2; dim <= kNoisyRowsMaxDim; ++dim) {
    // Batch sizes with 1, 2, 3 and 0 rows after the groups of four, and a batch below four.
    for (std::int64_t n : {1, 3, 6, 7, 16}) {
      for (const OptimizerSettings& s : Cases(n)) {
        ASSERT_TRUE(Optimizer(s, dim).TakesNoisyRows()) << ToString(s.method) << " dim " << dim;
        const bool edges = compared % 2 == 1;
        const auto seed = static_cast<std::uint64_t>(compared);
        const Trace written = Steps(s, dim, false, false, seed, 25, edges);
        const Trace noisy = Steps(s, dim, true, false, seed, 25, edges);
        ASSERT_EQ(written.x, noisy.x)
            << ToString(s.method) << " dim " << dim << " n " << n << " case " << compared;
        ASSERT_EQ(written.clipped, noisy.clipped) << ToString(s.method) << " dim " << dim;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 1000);
}

TEST(NoisyRows, OverflowingRowsTakeTheRescaledNorm) {
  // Every row's squares overflow: the norms come from Norm's rescaled path, and the factors from
  // them (a kernel that kept the infinite norm would give factor 0 and leave x where it is).
  if (!FusesNoisyRows(16)) GTEST_SKIP() << "a build without AVX2 and FMA";
  for (int dim : {2, 5, 16}) {
    OptimizerSettings s = Settings(Method::kPsClipConst, 5);
    s.clip_threshold = 1.0;
    Optimizer written(s, dim), noisy(s, dim);
    std::vector<double> noise(static_cast<std::size_t>(5 * dim));
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = (i % 3 == 0 ? -3e200 : 1e200);
    const Vector plus = Vector::Zero(dim);
    Batch rows(5, dim);
    for (int k = 0; k < 5; ++k) {
      for (int j = 0; j < dim; ++j) rows(k, j) = noise[static_cast<std::size_t>(k * dim + j)];
    }
    Vector xw = Vector::Zero(dim), xn = Vector::Zero(dim);
    written.AddRows(rows);
    written.FinishStep(1.0, xw);
    noisy.AddNoisyRows(noise.data(), plus.data(), 5);
    noisy.FinishStep(1.0, xn);
    for (int j = 0; j < dim; ++j) {
      EXPECT_EQ(Bits(xw[j]), Bits(xn[j])) << "dim " << dim << " coordinate " << j;
      EXPECT_TRUE(std::isfinite(xn[j]) && xn[j] != 0.0) << "dim " << dim;
    }
    EXPECT_EQ(noisy.clipped_samples(), 5);
  }
}

TEST(NoisyRows, TheComparisonSeesTheOrderOfTheSum) {
  // The same rows fed backwards: the check above would catch a kernel that reordered them.
  if (!FusesNoisyRows(10)) GTEST_SKIP() << "a build without AVX2 and FMA";
  for (int dim : {3, 10, 16}) {
    OptimizerSettings s = Settings(Method::kPsClipSgd, 16);
    s.clip_scale = 1.0;
    s.clip_power = 1.4;
    EXPECT_NE(Steps(s, dim, false, false, 5, 30, false).x,
              Steps(s, dim, true, true, 5, 30, false).x)
        << "dim " << dim;
  }
}

TEST(NoisyRows, OnlyWhereTheKernelRepeatsTheOrders) {
  EXPECT_FALSE(FusesNoisyRows(1));
  EXPECT_FALSE(FusesNoisyRows(kNoisyRowsMaxDim + 1));
  EXPECT_FALSE(Optimizer(Settings(Method::kSgd, 4), 1).TakesNoisyRows());
  EXPECT_FALSE(Optimizer(Settings(Method::kSgd, 4), kNoisyRowsMaxDim + 1).TakesNoisyRows());
  // median_clip_sgd's threshold depends on the norms fed before, row by row.
  EXPECT_FALSE(Optimizer(Settings(Method::kMedianClipSgd, 4), 10).TakesNoisyRows());
  // ps_clip_sgd with positions beyond the stored thresholds.
  OptimizerSettings s = Settings(Method::kPsClipSgd, std::int64_t{1} << 19);
  s.accumulation = 4;
  s.position = PositionMode::kAcrossMicrobatches;
  EXPECT_FALSE(TakesNoisyRows(s, 10));
  s.position = PositionMode::kPerMicrobatch;
  EXPECT_EQ(TakesNoisyRows(s, 10), FusesNoisyRows(10));
  Optimizer median(Settings(Method::kMedianClipSgd, 4), 10);
  const std::vector<double> rows(40, 0.5), plus(10, 0.0);
  EXPECT_DEATH(median.AddNoisyRows(rows.data(), plus.data(), 4), "not for these settings");
}

}  // namespace
}  // namespace clipsim::sim
