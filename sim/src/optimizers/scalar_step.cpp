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
// tests/sim/scalar_step_test.cpp compares both paths bit for bit, and the sweeps of every method
// at d = 1 are byte-identical with and without this path.
#include <cmath>
#include <limits>

#include "clipsim/sim/optimizer.hpp"
#include "clipsim/sim/reduction.hpp"

namespace clipsim::sim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

}  // namespace

double Optimizer::ClipScalarMean(double v, std::int64_t rows) {
  const double norm = ScalarNorm(v);
  if (norm > settings_.clip_threshold) {
    v *= ClipFactor(settings_.clip_threshold, norm);
    clipped_samples_ += rows;
  }
  return v;
}

void Optimizer::ScalarStep(const double* noise, double shift, double eta, double& x) {
  const std::int64_t n = settings_.batch_size;
  const Method method = settings_.method;
  const double* weights = ones_.data();
  if (method == Method::kPsClipSgd || method == Method::kPsClipConst) {
    double* norms = norms_.data();
    // The overflows counted in the vector loop (a norm is >= 0 or NaN, so inf means +inf): a
    // scalar isinf test per row cost as much as the square roots.
    std::int64_t overflows = 0;
    for (std::int64_t k = 0; k < n; ++k) {
      const double g = noise[k] + shift;
      norms[k] = std::sqrt(g * g);
      overflows += norms[k] == kInfinity ? 1 : 0;
    }
    for (std::int64_t k = 0; overflows > 0 && k < n; ++k) {
      if (std::isinf(norms[k])) {
        const double g = noise[k] + shift;
        norms[k] = Norm(&g, 1);
      }
    }
    const bool constant = method == Method::kPsClipConst;
    const double* lambdas = thresholds_.data();
    const double fixed = settings_.clip_threshold;
    double* w = weights_.data();
    std::int64_t clipped = 0;
    for (std::int64_t k = 0; k < n; ++k) {
      const double lambda = constant ? fixed : lambdas[k];
      const double norm = norms[k];
      const double quotient = lambda / norm;
      const bool clip = norm > lambda;
      w[k] = clip ? quotient : 1.0;
      clipped += clip ? 1 : 0;
    }
    clipped_samples_ += clipped;
    weights = w;
  }
  double sum = 0.0;
  for (std::int64_t k = 0; k < n; ++k) {
    const double g = noise[k] + shift;
    sum = MulAdd(weights[k], g, sum);
  }
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

}  // namespace clipsim::sim
