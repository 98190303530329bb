// The optimizers one step at a time, against the formulas written out independently here with
// Eigen (not with the reduction kernel), and the options' validation and enum <-> string helpers.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/sim/optimizer.hpp"
#include "clipsim/sim/optimizer_options.hpp"
#include "clipsim/sim/reduction.hpp"
#include "sim/optimizer_settings.hpp"

namespace clipsim::sim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A fixed batch with rows of very different norms, so that thresholds bite on some rows only.
Batch TestBatch() {
  Batch g(4, 3);
  g << 1.0, 2.0, 2.0,  // norm 3
      0.1, -0.2, 0.2,  // norm 0.3
      -6.0, 0.0, 8.0,  // norm 10
      0.5, 0.5, -0.5;  // norm sqrt(0.75)
  return g;
}

using test_support::Settings;

Vector Step(const OptimizerSettings& s, const Batch& g, double eta, Vector x) {
  Optimizer opt(s, static_cast<int>(g.cols()));
  opt.AddRows(g);
  opt.FinishStep(eta, x);
  return x;
}

TEST(Norm, MatchesTheDefinitionAndIgnoresAlignment) {
  std::vector<double> buf(1 + 37);
  for (int i = 0; i < 37; ++i) buf[1 + i] = std::sin(1.0 + i) * (i + 1);
  Vector v = Eigen::Map<Vector>(buf.data() + 1, 37);
  double naive = 0.0;
  for (int i = 0; i < 37; ++i) naive += v[i] * v[i];
  EXPECT_NEAR(Norm(v), std::sqrt(naive), 1e-14 * std::sqrt(naive));
  // The same numbers at an address 8 bytes off give the same bits.
  EXPECT_EQ(Norm(buf.data() + 1, 37), Norm(v.data(), 37));
}

TEST(Norm, RescalesInsteadOfOverflowing) {
  const Vector v = Vector::Constant(4, 1e200);
  EXPECT_DOUBLE_EQ(Norm(v), 2e200);
  Vector w = Vector::Ones(3);
  w[1] = kInf;
  EXPECT_EQ(Norm(w), kInf);
}

TEST(ClipFactor, EdgeCases) {
  EXPECT_EQ(ClipFactor(kInf, 1e300), 1.0);
  EXPECT_EQ(ClipFactor(1.0, 0.0), 1.0);
  EXPECT_EQ(ClipFactor(1.0, 4.0), 0.25);
  EXPECT_EQ(ClipFactor(kInf, kInf), 1.0);
  EXPECT_EQ(ClipFactor(1.0, std::numeric_limits<double>::quiet_NaN()), 1.0);
}

TEST(Optimizer, SgdStepsAlongTheMean) {
  const Batch g = TestBatch();
  const Vector x0 = Vector::Constant(3, 1.0);
  const Vector x1 = Step(Settings(Method::kSgd, 4), g, 0.1, x0);
  const Vector expected = x0 - 0.1 * g.colwise().mean().transpose();
  EXPECT_LT((x1 - expected).norm(), 1e-15);
}

TEST(Optimizer, PsClipSgdUsesGrowingPerSampleThresholds) {
  const Batch g = TestBatch();
  OptimizerSettings s = Settings(Method::kPsClipSgd, 4);
  s.clip_scale = 0.5;
  s.clip_power = 1.5;
  const Vector x0 = Vector::Zero(3);
  Optimizer opt(s, 3);
  opt.AddRows(g);
  Vector x = x0;
  opt.FinishStep(1.0, x);
  Vector d = Vector::Zero(3);
  int clipped = 0;
  for (int k = 0; k < 4; ++k) {
    const double lambda = 0.5 * std::pow(k + 1.0, 1.0 / 1.5);
    const double norm = g.row(k).norm();
    const double gamma = std::min(1.0, lambda / norm);
    clipped += gamma < 1.0;
    d += gamma * g.row(k).transpose();
  }
  d /= 4.0;
  EXPECT_LT((x - (x0 - d)).norm(), 1e-15);
  // Row norms 3, 0.3, 10, 0.87 against thresholds 0.5, 0.79, 1.04, 1.26: rows 1 and 3 clip.
  EXPECT_EQ(clipped, 2);
  EXPECT_EQ(opt.clipped_samples(), 2);
}

TEST(Optimizer, PsClipConstUsesOneThreshold) {
  const Batch g = TestBatch();
  OptimizerSettings s = Settings(Method::kPsClipConst, 4);
  s.clip_threshold = 1.0;
  const Vector x = Step(s, g, 1.0, Vector::Zero(3));
  Vector d = Vector::Zero(3);
  for (int k = 0; k < 4; ++k) {
    d += std::min(1.0, 1.0 / g.row(k).norm()) * g.row(k).transpose();
  }
  EXPECT_LT((x + d / 4.0).norm(), 1e-15);
}

// median_clip_sgd: row k is clipped at clip_ratio x the (lower) median of the norms of the last
// clip_window rows before it; no clipping before the first row. TestBatch's norms are 3, 0.3, 10,
// sqrt(0.75): with ratio 2 and window 3 the thresholds are inf, 6, 2 x 0.3 and 6, so only the
// third row is clipped (factor 0.6 / 10). The window runs across steps: the next step's first
// row sees {0.3, 10, sqrt(0.75)}, median sqrt(0.75).
TEST(Optimizer, MedianClipSgdClipsAtRatioTimesTheRunningMedian) {
  const Batch g = TestBatch();
  OptimizerSettings s = Settings(Method::kMedianClipSgd, 4);
  s.clip_ratio = 2.0;
  s.clip_window = 3;
  Optimizer opt(s, 3);
  Vector x = Vector::Zero(3);
  opt.AddRows(g.topRows(2));
  opt.AddRows(g.bottomRows(2));
  opt.FinishStep(1.0, x);
  Vector expected = g.row(0) + g.row(1) + (0.6 / 10.0) * g.row(2) + g.row(3);
  expected /= -4.0;
  EXPECT_LT((x - expected).norm(), 1e-15);
  EXPECT_EQ(opt.clipped_samples(), 1);
  // Next step: a row of norm 5 against 2 x median{0.3, 10, sqrt(0.75)} = 2 sqrt(0.75).
  Batch big(4, 3);
  big.setZero();
  big(0, 0) = 5.0;
  big(1, 0) = 1e-3;
  big(2, 0) = 1e-3;
  big(3, 0) = 1e-3;
  Vector y = Vector::Zero(3);
  opt.AddRows(big);
  opt.FinishStep(1.0, y);
  EXPECT_NEAR(y(0), -(2.0 * std::sqrt(0.75) + 3e-3) / 4.0, 1e-15);
  EXPECT_EQ(opt.clipped_samples(), 2);
}

TEST(Optimizer, ClipSgdClipsTheBatchMean) {
  const Batch g = TestBatch();
  OptimizerSettings s = Settings(Method::kClipSgd, 4);
  s.clip_threshold = 0.5;
  Optimizer opt(s, 3);
  opt.AddRows(g);
  Vector x = Vector::Zero(3);
  opt.FinishStep(2.0, x);
  const Vector mean = g.colwise().mean().transpose();
  ASSERT_GT(mean.norm(), 0.5);
  EXPECT_LT((x + 2.0 * 0.5 * mean / mean.norm()).norm(), 1e-15);
  EXPECT_EQ(opt.clipped_samples(), 4);  // the whole batch was shrunk
}

TEST(Optimizer, ClipSgdAccumulationModesDiffer) {
  // Two micro-batches whose means are (3, 0, 0) and (0, 0.1, 0): clipping each at 1 before
  // averaging gives (0.5, 0.05, 0); clipping the average (1.5, 0.05, 0) gives it norm 1.
  Batch a(1, 3), b(1, 3);
  a << 3.0, 0.0, 0.0;
  b << 0.0, 0.1, 0.0;
  OptimizerSettings s = Settings(Method::kClipSgd, 1);
  s.clip_threshold = 1.0;
  s.accumulation = 2;
  s.accumulation_mode = AccumulationMode::kClipPerMicrobatch;
  Optimizer per(s, 3);
  per.AddRows(a);
  per.AddRows(b);
  Vector x = Vector::Zero(3);
  per.FinishStep(1.0, x);
  EXPECT_LT((x + Eigen::Vector3d(0.5, 0.05, 0.0)).norm(), 1e-15);
  EXPECT_EQ(per.clipped_samples(), 1);

  s.accumulation_mode = AccumulationMode::kClipAfterAccumulation;
  Optimizer after(s, 3);
  after.AddRows(a);
  after.AddRows(b);
  Vector y = Vector::Zero(3);
  after.FinishStep(1.0, y);
  const Eigen::Vector3d avg(1.5, 0.05, 0.0);
  EXPECT_LT((y + avg / avg.norm()).norm(), 1e-15);
  EXPECT_EQ(after.clipped_samples(), 2);
}

TEST(Optimizer, PsClipPositionAcrossMicrobatchesEqualsOneBigBatch) {
  const Batch g = TestBatch();
  OptimizerSettings s = Settings(Method::kPsClipSgd, 2);
  s.clip_scale = 0.5;
  s.clip_power = 1.2;
  s.accumulation = 2;
  s.position = PositionMode::kAcrossMicrobatches;
  Optimizer acc(s, 3);
  acc.AddRows(g.topRows(2));
  acc.AddRows(g.bottomRows(2));
  Vector x = Vector::Zero(3);
  acc.FinishStep(1.0, x);

  OptimizerSettings big = s;
  big.batch_size = 4;
  big.accumulation = 1;
  const Vector y = Step(big, g, 1.0, Vector::Zero(3));
  // Same weights; only the order of the additions differs: (m1 + m2)/2 vs sum/4.
  EXPECT_LT((x - y).norm(), 1e-15);
  EXPECT_EQ(acc.clipped_samples(), 2);

  // Restarting k in each micro-batch gives rows 3 and 4 the thresholds of rows 1 and 2.
  s.position = PositionMode::kPerMicrobatch;
  Optimizer restart(s, 3);
  restart.AddRows(g.topRows(2));
  restart.AddRows(g.bottomRows(2));
  Vector z = Vector::Zero(3);
  restart.FinishStep(1.0, z);
  EXPECT_GT((z - y).norm(), 1e-3);
}

TEST(Optimizer, ChunkedRowsGiveTheSameBitsAsOneBlock) {
  const Batch g = TestBatch();
  for (Method m : {Method::kSgd, Method::kPsClipSgd, Method::kClipSgd}) {
    OptimizerSettings s = Settings(m, 4);
    s.clip_scale = 0.5;
    s.clip_power = 1.5;
    s.clip_threshold = 0.7;
    const Vector whole = Step(s, g, 0.3, Vector::Ones(3));
    Optimizer opt(s, 3);
    for (int k = 0; k < 4; ++k) opt.AddRows(g.middleRows(k, 1));
    Vector x = Vector::Ones(3);
    opt.FinishStep(0.3, x);
    for (int j = 0; j < 3; ++j) EXPECT_EQ(x[j], whole[j]) << ToString(m);
  }
}

TEST(Optimizer, CoordClipCutsCoordinates) {
  const Batch g = TestBatch();
  OptimizerSettings s = Settings(Method::kCoordClipSgd, 4);
  s.clip_threshold = 0.5;
  const Vector mean = g.colwise().mean().transpose();
  const Vector expected = -mean.cwiseMax(-0.5).cwiseMin(0.5);
  EXPECT_LT((Step(s, g, 1.0, Vector::Zero(3)) - expected).norm(), 1e-15);
}

TEST(Optimizer, HeavyBallAndNormalizedOverTwoSteps) {
  const Batch g = TestBatch();
  const Vector mean = g.colwise().mean().transpose();
  {
    OptimizerSettings s = Settings(Method::kSgdMomentum, 4);
    s.momentum = 0.9;
    Optimizer opt(s, 3);
    Vector x = Vector::Zero(3);
    opt.AddRows(g);
    opt.FinishStep(0.1, x);
    opt.AddRows(g);
    opt.FinishStep(0.1, x);
    // v1 = m, v2 = 0.9 m + m: x = -0.1 (1 + 1.9) m.
    EXPECT_LT((x + 0.1 * 2.9 * mean).norm(), 1e-15);
  }
  {
    OptimizerSettings s = Settings(Method::kNormalizedSgd, 4);
    s.momentum = 0.5;
    Optimizer opt(s, 3);
    Vector x = Vector::Zero(3);
    opt.AddRows(g);
    opt.FinishStep(0.1, x);
    // m1 = 0.5 mean: a step of exactly 0.1 along mean.
    EXPECT_NEAR(x.norm(), 0.1, 1e-15);
    EXPECT_NEAR(x.dot(mean) / (x.norm() * mean.norm()), -1.0, 1e-15);
  }
}

TEST(Optimizer, AdagradNormAndAdamNormFollowTheirRecursions) {
  const Batch g = TestBatch();
  const Vector m = g.colwise().mean().transpose();
  const double eps = 1e-3;
  {
    OptimizerSettings s = Settings(Method::kAdagradNorm, 4);
    s.adaptive_eps = eps;
    Optimizer opt(s, 3);
    Vector x = Vector::Zero(3);
    opt.AddRows(g);
    opt.FinishStep(0.5, x);
    opt.AddRows(g);
    opt.FinishStep(0.5, x);
    const double b1 = std::sqrt(eps * eps + m.squaredNorm());
    const double b2 = std::sqrt(eps * eps + 2.0 * m.squaredNorm());
    EXPECT_LT((x + 0.5 * (1.0 / b1 + 1.0 / b2) * m).norm(), 1e-14);
  }
  {
    OptimizerSettings s = Settings(Method::kClipAdamNorm, 4);
    s.adaptive_eps = eps;
    s.beta1 = 0.8;
    s.beta2 = 0.9;
    s.clip_threshold = 0.25;
    Optimizer opt(s, 3);
    Vector x = Vector::Zero(3);
    opt.AddRows(g);
    opt.FinishStep(0.5, x);
    opt.AddRows(g);
    opt.FinishStep(0.5, x);
    const Vector c = m * std::min(1.0, 0.25 / m.norm());
    const Vector m1 = 0.2 * c;
    const double bsq1 = 0.9 * eps * eps + 0.1 * c.squaredNorm();
    const Vector m2 = 0.8 * m1 + 0.2 * c;
    const double bsq2 = 0.9 * bsq1 + 0.1 * c.squaredNorm();
    const Vector expected = -0.5 * m1 / std::sqrt(bsq1) - 0.5 * m2 / std::sqrt(bsq2);
    EXPECT_LT((x - expected).norm(), 1e-14);
    EXPECT_EQ(opt.clipped_samples(), 8);
  }
}

// The delayed stepsize (AdaGradD-Norm, AdamD-Norm) and AdaGrad-Norm with momentum, three steps
// on batches of different sizes, against the recursions written out here: step t divides by b of
// steps 0..t-1 (b_0 = adaptive_eps at t = 0) and the direction enters b only afterwards.
TEST(Optimizer, DelayedAndMomentumAdaptiveMethodsFollowTheirRecursions) {
  const Batch g = TestBatch();
  // Three steps whose batch means differ: the full batch, then its rows scaled by 3 and by -0.5.
  const std::vector<Batch> batches = {g, 3.0 * g, -0.5 * g};
  std::vector<Vector> d;
  for (const Batch& b : batches) d.push_back(b.colwise().mean().transpose());
  const double eps = 0.7;
  const double eta = 0.5;
  const auto run = [&](const OptimizerSettings& s) {
    Optimizer opt(s, 3);
    Vector x = Vector::Zero(3);
    for (const Batch& b : batches) {
      opt.AddRows(b);
      opt.FinishStep(eta, x);
    }
    return x;
  };
  {  // AdaGradD-Norm, no momentum: x = -eta sum_t d_t / b_{t-1}.
    OptimizerSettings s = Settings(Method::kAdagradNorm, 4);
    s.adaptive_eps = eps;
    s.delay = true;
    double bsq = eps * eps;
    Vector expected = Vector::Zero(3);
    for (const Vector& dt : d) {
      expected -= eta * dt / std::sqrt(bsq);
      bsq += dt.squaredNorm();
    }
    EXPECT_LT((run(s) - expected).norm(), 1e-14);
    // The first step is eta d_0 / b_0: not normalized by its own gradient.
    OptimizerSettings one = s;
    Optimizer opt(one, 3);
    Vector x = Vector::Zero(3);
    opt.AddRows(g);
    opt.FinishStep(eta, x);
    EXPECT_LT((x + eta * d[0] / eps).norm(), 1e-15);
  }
  {  // AdaGrad-Norm with momentum beta1, undelayed and delayed.
    for (const bool delay : {false, true}) {
      OptimizerSettings s = Settings(Method::kAdagradNorm, 4);
      s.adaptive_eps = eps;
      s.beta1 = 0.6;
      s.delay = delay;
      double bsq = eps * eps;
      Vector m = Vector::Zero(3);
      Vector expected = Vector::Zero(3);
      for (const Vector& dt : d) {
        const double b_prev = std::sqrt(bsq);
        bsq += dt.squaredNorm();
        m = 0.6 * m + 0.4 * dt;
        expected -= eta * m / (delay ? b_prev : std::sqrt(bsq));
      }
      EXPECT_LT((run(s) - expected).norm(), 1e-14) << "delay " << delay;
    }
  }
  {  // Clip-AdamD-Norm: the clipped direction feeds both moments; the step uses b before it.
    OptimizerSettings s = Settings(Method::kClipAdamNorm, 4);
    s.adaptive_eps = eps;
    s.beta1 = 0.8;
    s.beta2 = 0.9;
    s.clip_threshold = 2.0;
    s.delay = true;
    double bsq = eps * eps;
    Vector m = Vector::Zero(3);
    Vector expected = Vector::Zero(3);
    for (const Vector& dt : d) {
      const Vector c = dt * std::min(1.0, 2.0 / dt.norm());
      m = 0.8 * m + 0.2 * c;
      expected -= eta * m / std::sqrt(bsq);
      bsq = 0.9 * bsq + 0.1 * c.squaredNorm();
    }
    EXPECT_LT((run(s) - expected).norm(), 1e-14);
  }
  {  // Clip-AdaGradD-Norm with momentum.
    OptimizerSettings s = Settings(Method::kClipAdagradNorm, 4);
    s.adaptive_eps = eps;
    s.beta1 = 0.5;
    s.clip_threshold = 1.0;
    s.delay = true;
    double bsq = eps * eps;
    Vector m = Vector::Zero(3);
    Vector expected = Vector::Zero(3);
    for (const Vector& dt : d) {
      const Vector c = dt * std::min(1.0, 1.0 / dt.norm());
      m = 0.5 * m + 0.5 * c;
      expected -= eta * m / std::sqrt(bsq);
      bsq += c.squaredNorm();
    }
    EXPECT_LT((run(s) - expected).norm(), 1e-14);
  }
}

// A delayed step after a huge gradient moves x by eta ||d|| / b_prev (unbounded), the undelayed
// one by at most eta: the mechanism the paper's negative results for the delayed methods use.
TEST(Optimizer, OnlyTheDelayedStepIsUnboundedInTheGradient) {
  Batch spike(1, 1);
  spike << 1e6;
  for (const bool delay : {false, true}) {
    OptimizerSettings s = Settings(Method::kAdagradNorm, 1);
    s.adaptive_eps = 1.0;
    s.delay = delay;
    Optimizer opt(s, 1);
    Vector x = Vector::Zero(1);
    opt.AddRows(spike);
    opt.FinishStep(0.1, x);
    if (delay) {
      EXPECT_DOUBLE_EQ(x[0], -0.1 * 1e6 / 1.0);
    } else {
      EXPECT_LE(std::abs(x[0]), 0.1);
    }
  }
}

TEST(OptimizerOptions, EveryMethodNameRoundTrips) {
  EXPECT_EQ(AllMethods().size(), 12u);
  for (Method m : AllMethods()) {
    const auto back = MethodFromString(ToString(m));
    ASSERT_TRUE(back.has_value()) << ToString(m);
    EXPECT_EQ(*back, m);
  }
  EXPECT_FALSE(MethodFromString("SGD").has_value());
  EXPECT_EQ(*AccumulationModeFromString("clip_per_microbatch"),
            AccumulationMode::kClipPerMicrobatch);
  EXPECT_EQ(*PositionModeFromString("across_microbatches"), PositionMode::kAcrossMicrobatches);
}

TEST(OptimizerOptions, ValidationNamesKeyAndRange) {
  auto expect_refused = [](const OptimizerOptions& o, const std::string& key) {
    try {
      Validate(o);
      ADD_FAILURE() << "accepted; expected a refusal of " << key;
    } catch (const InputError& e) {
      EXPECT_EQ(e.key(), key) << e.what();
    }
  };
  OptimizerOptions o;
  o.method = Method::kSgdMomentum;
  o.momentum = 1.0;
  expect_refused(o, "optimizer.momentum");
  o = {};
  o.method = Method::kClipSgd;
  o.clip_threshold = 0.0;
  expect_refused(o, "optimizer.clip_threshold");
  o = {};
  o.method = Method::kSgd;
  o.clip_scale = 1.0;  // sgd takes no clip_scale
  expect_refused(o, "optimizer.clip_scale");
  o = {};
  o.method = Method::kMedianClipSgd;
  o.clip_ratio = 0.0;
  expect_refused(o, "optimizer.clip_ratio");
  o = {};
  o.method = Method::kMedianClipSgd;
  o.clip_window = 0;
  expect_refused(o, "optimizer.clip_window");
  o = {};
  o.method = Method::kClipSgd;
  o.clip_ratio = 3.0;  // clip_sgd takes no clip_ratio
  expect_refused(o, "optimizer.clip_ratio");
  o = {};
  o.method = Method::kNormalizedSgd;
  o.accumulation = 2;
  expect_refused(o, "optimizer.accumulation");
  o = {};
  o.method = Method::kAdamNorm;
  o.beta2 = 1.0;
  expect_refused(o, "optimizer.beta2");
  o = {};
  o.method = Method::kAdagradNorm;
  o.beta1 = 1.0;
  expect_refused(o, "optimizer.beta1");
  o = {};
  o.method = Method::kSgd;
  o.delay = true;  // only the adaptive methods have a delayed stepsize
  expect_refused(o, "optimizer.delay");
  o = {};
  o.method = Method::kClipAdagradNorm;
  o.beta1 = 0.9;
  o.delay = true;
  EXPECT_NO_THROW(Validate(o));
  EXPECT_EQ(DefaultBeta1(Method::kAdagradNorm), 0.0);
  EXPECT_EQ(DefaultBeta1(Method::kClipAdamNorm), 0.9);
  o = {};
  o.method = Method::kPsClipSgd;
  o.clip_scale = kInf;  // allowed: never clips
  o.clip_power = 1.5;
  EXPECT_NO_THROW(Validate(o));
}

}  // namespace
}  // namespace clipsim::sim
