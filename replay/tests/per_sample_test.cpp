// Book-keeping per-sample gradients against a plain loop over single samples (one ordinary
// autograd backward per sample): per-sample norms, the clipped sum sum_k gamma_k g_k, <g_k, v>,
// the noise norms ||g_k - gbar||, and every method's step direction, in float64 (relative error
// < 1e-10) and float32 (< 1e-4, against the float64 loop) on the CPU.
#include "clipsim/replay/per_sample.hpp"

#include <gtest/gtest.h>
#include <torch/csrc/autograd/autograd.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <utility>

#include "clipsim/replay/batch_statistics.hpp"
#include "clipsim/replay/clip_rules.hpp"
#include "clipsim/replay/method_step.hpp"
#include "clipsim/replay/quantile.hpp"
#include "clipsim/replay/random.hpp"

namespace clipsim::replay {
namespace {

constexpr int64_t kBatch = 6;

struct Problem {
  at::Tensor images;  // float64 (B, 3, 32, 32)
  at::Tensor labels;
};

Problem MakeProblem(uint64_t seed) {
  Rng rng(seed, {42});
  Problem p;
  p.images = at::empty({kBatch, 3, 32, 32}, at::kDouble);
  double* x = p.images.data_ptr<double>();
  for (int64_t i = 0; i < p.images.numel(); ++i) x[i] = 4.0 * rng.Uniform01() - 2.0;
  p.labels = at::empty({kBatch}, at::kLong);
  for (int64_t i = 0; i < kBatch; ++i)
    p.labels.data_ptr<int64_t>()[i] = static_cast<int64_t>(rng.Below(100));
  return p;
}

// Per-sample gradients by the naive loop, in float64: g[k][param].
std::vector<std::vector<at::Tensor>> ComputeNaiveGradients(const AlexNetCifar& model,
                                                           const Problem& p) {
  std::vector<std::vector<at::Tensor>> g;
  for (int64_t k = 0; k < kBatch; ++k) {
    const at::Tensor x = p.images.narrow(0, k, 1).to(model.dtype());
    const at::Tensor logits = model.Forward(x);
    const at::Tensor loss =
        at::nll_loss(logits.log_softmax(1), p.labels.narrow(0, k, 1), {}, at::Reduction::Sum);
    std::vector<at::Tensor> grads = torch::autograd::grad({loss}, model.parameters());
    for (at::Tensor& t : grads) t = t.to(at::kDouble);
    g.push_back(std::move(grads));
  }
  return g;
}

// The float64 loop is the slow part of these tests: computed once per (model seed, data seed).
const std::vector<std::vector<at::Tensor>>& NaiveGradients(uint64_t model_seed,
                                                           uint64_t data_seed) {
  static std::map<std::pair<uint64_t, uint64_t>, std::vector<std::vector<at::Tensor>>> cache;
  auto it = cache.find({model_seed, data_seed});
  if (it == cache.end()) {
    const AlexNetCifar model(model_seed, at::kDouble, at::kCPU);
    it = cache
             .emplace(std::make_pair(model_seed, data_seed),
                      ComputeNaiveGradients(model, MakeProblem(data_seed)))
             .first;
  }
  return it->second;
}

double Norm(const std::vector<at::Tensor>& v) {
  double s = 0.0;
  for (const at::Tensor& t : v) s += t.to(at::kDouble).pow(2).sum().item<double>();
  return std::sqrt(s);
}

std::vector<at::Tensor> Combine(const std::vector<std::vector<at::Tensor>>& g,
                                const std::vector<double>& w) {
  std::vector<at::Tensor> out;
  for (std::size_t i = 0; i < g[0].size(); ++i) {
    at::Tensor s = at::zeros_like(g[0][i]);
    for (std::size_t k = 0; k < g.size(); ++k) s += w[k] * g[k][i];
    out.push_back(s);
  }
  return out;
}

double RelativeError(const std::vector<at::Tensor>& got, const std::vector<at::Tensor>& want) {
  std::vector<at::Tensor> diff;
  for (std::size_t i = 0; i < got.size(); ++i) diff.push_back(got[i].to(at::kDouble) - want[i]);
  return Norm(diff) / Norm(want);
}

double MaxRelativeError(const at::Tensor& got, const std::vector<double>& want) {
  double worst = 0.0;
  const at::Tensor g = got.to(at::kDouble);
  for (std::size_t k = 0; k < want.size(); ++k) {
    worst = std::max(
        worst, std::abs(g[static_cast<int64_t>(k)].item<double>() - want[k]) / std::abs(want[k]));
  }
  return worst;
}

using Instantiation = PerSampleGradients::Instantiation;

struct Case {
  at::ScalarType dtype;
  NormMode mode;
  double tolerance;
  Instantiation instantiation = Instantiation::kDeviceDefault;
};

class PerSampleVsLoop : public ::testing::TestWithParam<Case> {};

TEST_P(PerSampleVsLoop, NormsClippedSumDotsAndNoiseNormsMatch) {
  const Case c = GetParam();
  const Problem p = MakeProblem(3);
  const AlexNetCifar reference(17, at::kDouble, at::kCPU);
  const auto& g = NaiveGradients(17, 3);
  std::vector<double> norms;
  for (const auto& gk : g) norms.push_back(Norm(gk));

  const AlexNetCifar model(17, c.dtype, at::kCPU);
  const PerSampleGradients engine(model, c.mode, c.instantiation);
  PerSamplePass pass = engine.Backward(p.images.to(c.dtype), p.labels);
  const at::Tensor sq = engine.SquaredNorms(pass);
  const double norm_error = MaxRelativeError(sq.sqrt(), norms);

  // PS-Clip factors with a scale that clips some samples and not others.
  const double scale = 0.5 * Quantile(norms, 0.5);
  const double power = 1.5;
  std::vector<double> w;
  for (int64_t k = 0; k < kBatch; ++k) {
    w.push_back(std::min(1.0, scale * std::pow(k + 1.0, 1.0 / power) / norms[k]) / kBatch);
  }
  const int clipped = static_cast<int>(
      std::count_if(w.begin(), w.end(), [](double x) { return x < 1.0 / kBatch; }));
  ASSERT_GT(clipped, 0);
  ASSERT_LT(clipped, kBatch);
  const at::Tensor gamma = PsClipFactors(sq.sqrt(), scale, power, 0) / kBatch;
  const double sum_error = RelativeError(engine.WeightedSum(pass, gamma), Combine(g, w));

  // <g_k, v> for a random v.
  std::vector<at::Tensor> v;
  std::vector<at::Tensor> v_model;
  Rng rng(5, {1});
  for (const at::Tensor& param : reference.parameters()) {
    at::Tensor t = at::empty(param.sizes(), at::kDouble);
    for (int64_t i = 0; i < t.numel(); ++i) t.data_ptr<double>()[i] = rng.Uniform01() - 0.5;
    v.push_back(t);
    v_model.push_back(t.to(c.dtype));
  }
  // Errors relative to ||g_k|| ||v||, the scale of <g_k, v> (a dot near 0 has no relative
  // accuracy to speak of).
  const at::Tensor got_dots = engine.Dot(pass, v_model).to(at::kDouble);
  double dot_error = 0.0;
  for (int64_t k = 0; k < kBatch; ++k) {
    double want = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) want += (g[k][i] * v[i]).sum().item<double>();
    dot_error =
        std::max(dot_error, std::abs(got_dots[k].item<double>() - want) / (norms[k] * Norm(v)));
  }

  // Noise norms ||g_k - gbar||.
  const std::vector<at::Tensor> mean = Combine(g, std::vector<double>(kBatch, 1.0 / kBatch));
  const BatchStatistics stats = MeasureBatch(engine, p.images.to(c.dtype), p.labels, 1);
  double noise_error = 0.0;
  for (int64_t k = 0; k < kBatch; ++k) {
    std::vector<at::Tensor> diff;
    for (std::size_t i = 0; i < mean.size(); ++i) diff.push_back(g[k][i] - mean[i]);
    const double want = Norm(diff);
    noise_error = std::max(noise_error, std::abs(stats.noise_norms[k] - want) / want);
  }
  const double mean_error = std::abs(stats.mean_norm - Norm(mean)) / Norm(mean);

  std::cout << "[ measured ] dtype " << c10::toString(c.dtype) << ", mode " << ToString(c.mode)
            << (c.instantiation == Instantiation::kBatchedMatmul ? " (batched matmul)" : "")
            << ": relative errors: norms " << norm_error << ", clipped sum " << sum_error
            << ", dots (relative to ||g_k|| ||v||) " << dot_error << ", noise norms " << noise_error
            << ", mean norm " << mean_error << " (tolerance " << c.tolerance << ")\n";
  EXPECT_LT(norm_error, c.tolerance);
  EXPECT_LT(sum_error, c.tolerance);
  EXPECT_LT(dot_error, c.tolerance);
  EXPECT_LT(noise_error, c.tolerance);
  EXPECT_LT(mean_error, c.tolerance);
}

INSTANTIATE_TEST_SUITE_P(
    Modes, PerSampleVsLoop,
    ::testing::Values(
        Case{at::kDouble, NormMode::kGhost, 1e-10},
        Case{at::kDouble, NormMode::kInstantiate, 1e-10}, Case{at::kDouble, NormMode::kAuto, 1e-10},
        Case{at::kFloat, NormMode::kGhost, 1e-4}, Case{at::kFloat, NormMode::kInstantiate, 1e-4},
        Case{at::kFloat, NormMode::kAuto, 1e-4},
        // The GPU's way to instantiate (batched matmul), checked on the CPU.
        Case{at::kDouble, NormMode::kInstantiate, 1e-10, Instantiation::kBatchedMatmul},
        Case{at::kFloat, NormMode::kInstantiate, 1e-4, Instantiation::kBatchedMatmul}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      const Case& c = param_info.param;
      return std::string(c.dtype == at::kDouble ? "Float64" : "Float32") + "_" +
             (c.mode == NormMode::kGhost         ? "Ghost"
              : c.mode == NormMode::kInstantiate ? "Instantiate"
                                                 : "Auto") +
             (c.instantiation == Instantiation::kBatchedMatmul ? "Matmul" : "");
    });

TEST(PerSample, AutoModePicksTheCheapestStrategyPerLayer) {
  // conv1: T = 64, P = 363, C = 64: instantiating (T P C = 1.49 M multiply-adds per sample) beats
  // the ghost norm (T^2 (P + C) = 1.75 M by patches, 3.9 M by pixels); the later layers have few
  // positions and many channels, where the pixel-Gram ghost norm is cheapest (conv2: 72 k against
  // 459 k by patches and 4.9 M instantiated).
  const AlexNetCifar model(1, at::kFloat, at::kCPU);
  const PerSampleGradients automatic(model, NormMode::kAuto);
  EXPECT_EQ(automatic.LayerStrategy(0), "instantiate");
  for (std::size_t l = 1; l < 5; ++l) EXPECT_EQ(automatic.LayerStrategy(l), "ghost-pixels") << l;
  EXPECT_EQ(automatic.LayerStrategy(5), "rank-one");
  // Forcing the ghost norm exercises the unfolded-patch route on conv1.
  const PerSampleGradients ghost(model, NormMode::kGhost);
  EXPECT_EQ(ghost.LayerStrategy(0), "ghost-patches");
  EXPECT_EQ(ghost.LayerStrategy(1), "ghost-pixels");
  const PerSampleGradients instantiate(model, NormMode::kInstantiate);
  for (std::size_t l = 0; l < 5; ++l) EXPECT_EQ(instantiate.LayerStrategy(l), "instantiate") << l;
}

// Every method's step direction against the loop, float64, with K = 2 micro-batches of 3: PS-Clip
// positions continue across micro-batches; clip-sgd clips the mean of the micro-batch means,
// clip-sgd-micro each micro-batch mean.
TEST(PerSample, MethodDirectionsMatchTheLoop) {
  const Problem p = MakeProblem(8);
  const AlexNetCifar model(23, at::kDouble, at::kCPU);
  const auto& g = NaiveGradients(23, 8);
  std::vector<double> norms;
  for (const auto& gk : g) norms.push_back(Norm(gk));
  const std::vector<at::Tensor> mean = Combine(g, std::vector<double>(kBatch, 1.0 / kBatch));
  const std::vector<double> half_a = {1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 0, 0};
  const std::vector<double> half_b = {0, 0, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3};
  const std::vector<at::Tensor> mean_a = Combine(g, half_a);
  const std::vector<at::Tensor> mean_b = Combine(g, half_b);

  ClipSettings settings;
  settings.clip_threshold = 0.5 * Norm(mean);
  settings.clip_threshold_micro = 0.5 * std::min(Norm(mean_a), Norm(mean_b));
  settings.clip_scale = 0.3 * norms[0];
  settings.clip_power = 1.3;
  settings.ps_threshold = 0.7 * norms[1];

  std::vector<double> ps_w, const_w;
  for (int64_t k = 0; k < kBatch; ++k) {
    ps_w.push_back(std::min(1.0, settings.clip_scale * std::pow(k + 1.0, 1 / 1.3) / norms[k]) /
                   kBatch);
    const_w.push_back(std::min(1.0, settings.ps_threshold / norms[k]) / kBatch);
  }
  const double once = std::min(1.0, settings.clip_threshold / Norm(mean));
  const double fa = std::min(1.0, settings.clip_threshold_micro / Norm(mean_a));
  const double fb = std::min(1.0, settings.clip_threshold_micro / Norm(mean_b));
  ASSERT_LT(once, 1.0);
  ASSERT_LT(std::min(fa, fb), 1.0);
  std::vector<double> micro_w(kBatch);
  for (int64_t k = 0; k < kBatch; ++k) micro_w[k] = (k < 3 ? fa : fb) / (3.0 * 2.0);

  const std::vector<std::pair<Method, std::vector<at::Tensor>>> expected = {
      {Method::kSgd, mean},
      {Method::kClipSgd, Combine(g, std::vector<double>(kBatch, once / kBatch))},
      {Method::kClipSgdMicro, Combine(g, micro_w)},
      {Method::kPsClipSgd, Combine(g, ps_w)},
      {Method::kPsClipConst, Combine(g, const_w)},
  };
  double loss = 0.0;
  for (int64_t i = 0; i < kBatch; ++i) {
    loss += at::nll_loss(model.Forward(p.images.narrow(0, i, 1)).log_softmax(1),
                         p.labels.narrow(0, i, 1), {}, at::Reduction::Sum)
                .item<double>();
  }
  for (const auto& [method, want] : expected) {
    for (int k : {1, 2}) {
      const MethodStep step(method, model, NormMode::kAuto, k, settings, /*time_clipping=*/true);
      const StepOutput out = step.Compute(p.images, p.labels);
      const double error = RelativeError(out.gradient, want);
      // With K = 1, clip-sgd-micro clips the whole-batch mean: the clip-sgd direction.
      const double error_k1 =
          method == Method::kClipSgdMicro && k == 1
              ? RelativeError(
                    out.gradient,
                    Combine(
                        g, std::vector<double>(
                               kBatch,
                               std::min(1.0, settings.clip_threshold_micro / Norm(mean)) / kBatch)))
              : error;
      EXPECT_LT(k == 1 ? error_k1 : error, 1e-10) << ToString(method) << " K=" << k;
      EXPECT_NEAR(out.loss_sum.item<double>(), loss, 1e-10 * loss) << ToString(method);
    }
  }
}

}  // namespace
}  // namespace clipsim::replay
