// Optimizer::ScalarStep: AddRows + FinishStep for one micro-batch of scalar rows, fused. Every
// operation below is the one the general path performs on the same value, in the same order:
//   the rows          g_k = noise_k + shift                        (Oracle::DrawNoise)
//   their norms       sqrt(g_k * g_k), Norm where that overflows   (RowNorms' d = 1 path)
//   the factors       the branch-free loop of AddRows
//   the sum           fma(w_k, g_k, sum) from +0, k in order       (AccumulateWeighted, d = 1)
//   the mean          sum / n, clipped per micro-batch             (EndMicrobatch)
//   the direction     0 + mean (step_sum_ starts at +0: -0 becomes +0), clipped after
//                     accumulation; the division by K = 1 is exact and left out (FinishStep)
//   the update        FinishStep's default branch, the same expressions (so the compiler
//                     contracts them alike)
// ScalarSteps computes the same for up to eight runs at once through the same code (WeightedSums,
// every operation elementwise across lanes). tests/sim/scalar_step_test.cpp compares the paths
// bit for bit, and the sweeps of every method at d = 1 are byte-identical with and without them.
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "clipsim/core/check.hpp"
#include "clipsim/sim/optimizer.hpp"
#include "clipsim/sim/reduction.hpp"

namespace clipsim::sim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The weighted sums of the rows of L runs' steps: sum[i] = sum_k w_ik g_ik in order k = 0, 1, ...
// from +0, with g_ik = noise[i][k] + shift[i] and w_ik the clipping factor of ps_clip_sgd or
// ps_clip_const (1 for the other methods); clipped[i] += the rows of lane i clipped. Scratch g and
// w hold n * L values, lane i of row k at [k * L + i], so that each loop over i is one vector
// operation. Every lane's operations are those of one run, in its order: L changes no bit.
template <std::size_t L>
void WeightedSums(const OptimizerSettings& s, const double* lambdas, const double* const* noise,
                  const double* shift, double* g, double* w, double* sum, std::int64_t* clipped) {
  // Written for the vectorizer: sums and counts in local arrays, and no conditional loads (the
  // constant threshold is read through a stride of 0, the unit weights are a separate loop).
  const auto n = static_cast<std::size_t>(s.batch_size);
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t i = 0; i < L; ++i) g[k * L + i] = noise[i][k] + shift[i];
  }
  double acc[L];
  for (std::size_t i = 0; i < L; ++i) acc[i] = 0.0;
  if (s.method != Method::kPsClipSgd && s.method != Method::kPsClipConst) {
    for (std::size_t k = 0; k < n; ++k) {
      for (std::size_t i = 0; i < L; ++i) acc[i] = MulAdd(1.0, g[k * L + i], acc[i]);
    }
    for (std::size_t i = 0; i < L; ++i) sum[i] = acc[i];
    return;
  }
  // The norms (into w), their overflows counted in the vector loop (a norm is >= 0 or NaN, so
  // inf means +inf): a scalar isinf test per row cost as much as the square roots.
  std::int64_t overflows = 0;
  for (std::size_t j = 0; j < n * L; ++j) {
    w[j] = std::sqrt(g[j] * g[j]);
    overflows += w[j] == kInfinity ? 1 : 0;
  }
  for (std::size_t j = 0; overflows > 0 && j < n * L; ++j) {
    if (std::isinf(w[j])) w[j] = Norm(&g[j], 1);
  }
  const bool constant = s.method == Method::kPsClipConst;
  const double* lambda = constant ? &s.clip_threshold : lambdas;
  const std::size_t stride = constant ? 0 : 1;
  std::int64_t count[L];
  for (std::size_t i = 0; i < L; ++i) count[i] = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double lambda_k = lambda[k * stride];
    for (std::size_t i = 0; i < L; ++i) {
      const double norm = w[k * L + i];
      const double quotient = lambda_k / norm;
      const bool clip = norm > lambda_k;
      w[k * L + i] = clip ? quotient : 1.0;
      count[i] += clip ? 1 : 0;
    }
  }
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t i = 0; i < L; ++i) acc[i] = MulAdd(w[k * L + i], g[k * L + i], acc[i]);
  }
  for (std::size_t i = 0; i < L; ++i) {
    sum[i] = acc[i];
    clipped[i] += count[i];
  }
}

}  // namespace

double Optimizer::ClipScalarMean(double v, std::int64_t rows) {
  const double norm = ScalarNorm(v);
  if (norm > settings_.clip_threshold) {
    v *= ClipFactor(settings_.clip_threshold, norm);
    clipped_samples_ += rows;
  }
  return v;
}

void Optimizer::FinishScalarStep(double sum, double eta, double& x) {
  const std::int64_t n = settings_.batch_size;
  const Method method = settings_.method;
  double mean = sum / static_cast<double>(n);
  const bool clip_mean = method == Method::kClipSgd;
  const bool per_micro = settings_.accumulation_mode == AccumulationMode::kClipPerMicrobatch;
  if (clip_mean && per_micro) mean = ClipScalarMean(mean, n);
  double direction = 0.0 + mean;
  if (clip_mean && !per_micro) direction = ClipScalarMean(direction, n);
  const double mu = settings_.momentum;
  if (mu == 0.0) {
    x -= eta * direction;
  } else {
    velocity_[0] = mu * velocity_[0] + direction;
    x -= eta * velocity_[0];
  }
}

void Optimizer::ScalarStep(const double* noise, double shift, double eta, double& x) {
  double sum = 0.0;
  std::int64_t clipped = 0;
  WeightedSums<1>(settings_, thresholds_.data(), &noise, &shift, norms_.data(), weights_.data(),
                  &sum, &clipped);
  clipped_samples_ += clipped;
  FinishScalarStep(sum, eta, x);
}

void Optimizer::ScalarSteps(std::span<const ScalarLane> lanes, std::vector<double>& scratch) {
  Require(!lanes.empty() && lanes.size() <= kLanes,
          "Optimizer::ScalarSteps: between 1 and kLanes runs");
  const Optimizer& first = *lanes[0].optimizer;
  const OptimizerSettings& s = first.settings_;
  for (const ScalarLane& lane : lanes) {
    Require(lane.optimizer->scalar_steps_ && lane.optimizer->settings_.method == s.method &&
                lane.optimizer->settings_.batch_size == s.batch_size,
            "Optimizer::ScalarSteps: runs of one PreparedRun, taking scalar steps");
  }
  const auto n = static_cast<std::size_t>(s.batch_size);
  // g and w, then zeros: the rows of the lanes without a run (their results are dropped).
  scratch.resize(2 * n * kLanes + n);
  double* g = scratch.data();
  double* w = g + n * kLanes;
  double* zeros = w + n * kLanes;
  std::fill(zeros, zeros + n, 0.0);
  const double* noise[kLanes];
  double shift[kLanes];
  for (std::size_t i = 0; i < kLanes; ++i) {
    noise[i] = i < lanes.size() ? lanes[i].noise : zeros;
    shift[i] = i < lanes.size() ? lanes[i].shift : 0.0;
  }
  double sum[kLanes];
  std::int64_t clipped[kLanes] = {};
  WeightedSums<kLanes>(s, first.thresholds_.data(), noise, shift, g, w, sum, clipped);
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    Optimizer& o = *lanes[i].optimizer;
    o.clipped_samples_ += clipped[i];
    o.FinishScalarStep(sum[i], lanes[i].eta, *lanes[i].x);
  }
}

}  // namespace clipsim::sim
