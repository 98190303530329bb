// Contaminated noise: each vector is, with probability 1 - eps, a Gaussian vector
// N(0, scale^2 I), and with probability eps a draw of `other` (any kind and shape). A whole vector
// comes from one part, so E||X||^p = (1 - eps) E||G||^p + eps E||Y||^p exactly, the tail index
// is other's (eps > 0) and the mean is eps times other's mean.
//
// Draw order: Sample and SampleVector draw the choice (one generator draw, other when
// U < eps) and then the chosen part's value. Fill and SampleBatch work in blocks: first the
// choices of the block's values (rows), then all Gaussian values (rows) of the block in one call,
// then all of other's, scattered back into place.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "models.hpp"
#include "moment_arguments.hpp"
#include "uniform_fill.hpp"

namespace clipsim::noise::detail {

ContaminatedNoise::ContaminatedNoise(const NoiseSpec& spec) : NoiseModel(spec) {
  NoiseSpec gaussian;
  gaussian.kind = NoiseKind::kGaussian;
  gaussian.scale = spec.scale;
  gaussian_ = MakeNoise(gaussian);
  other_ = MakeNoise(*spec.other);
}

bool ContaminatedNoise::PickOther(Rng& rng) const {
  return Uniform(rng) < spec().eps;
}

double ContaminatedNoise::Sample(Rng& rng) const {
  return PickOther(rng) ? other_->Sample(rng) : gaussian_->Sample(rng);
}

void ContaminatedNoise::Fill(Rng& rng, std::span<double> out) const {
  std::vector<unsigned char> pick(kBlock);
  std::vector<double> gauss(kBlock);
  std::vector<double> contamination(kBlock);
  for (std::size_t start = 0; start < out.size(); start += kBlock) {
    const std::size_t n = std::min(kBlock, out.size() - start);
    std::size_t n_other = 0;
    for (std::size_t i = 0; i < n; ++i) {
      pick[i] = PickOther(rng) ? 1 : 0;
      n_other += pick[i];
    }
    gaussian_->Fill(rng, std::span<double>(gauss.data(), n - n_other));
    other_->Fill(rng, std::span<double>(contamination.data(), n_other));
    std::size_t g = 0;
    std::size_t o = 0;
    for (std::size_t i = 0; i < n; ++i) out[start + i] = pick[i] ? contamination[o++] : gauss[g++];
  }
}

void ContaminatedNoise::SampleVector(Rng& rng, Eigen::Ref<Vector> out) const {
  if (PickOther(rng)) {
    other_->SampleVector(rng, out);
  } else {
    gaussian_->SampleVector(rng, out);
  }
}

void ContaminatedNoise::SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const {
  const Eigen::Index cols = out.cols();
  std::vector<unsigned char> pick(kBlock);
  for (Eigen::Index start = 0; start < out.rows(); start += static_cast<Eigen::Index>(kBlock)) {
    const Eigen::Index n = std::min(static_cast<Eigen::Index>(kBlock), out.rows() - start);
    Eigen::Index n_other = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      pick[static_cast<std::size_t>(i)] = PickOther(rng) ? 1 : 0;
      n_other += pick[static_cast<std::size_t>(i)];
    }
    Batch gauss(n - n_other, cols);
    Batch contamination(n_other, cols);
    gaussian_->SampleBatch(rng, gauss);
    other_->SampleBatch(rng, contamination);
    Eigen::Index g = 0;
    Eigen::Index o = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      out.row(start + i) =
          pick[static_cast<std::size_t>(i)] ? contamination.row(o++) : gauss.row(g++);
    }
  }
}

double ContaminatedNoise::TailIndex() const {
  return spec().eps > 0.0 ? other_->TailIndex() : std::numeric_limits<double>::infinity();
}

MomentValue ContaminatedNoise::Moment(double p, int dim) const {
  detail::CheckMomentArguments(p, dim);
  const double eps = spec().eps;
  const MomentValue g = gaussian_->Moment(p, dim);
  if (eps == 0.0) return g;
  const MomentValue o = other_->Moment(p, dim);
  if (eps == 1.0 || std::isinf(o.value)) return o;
  return {(1.0 - eps) * g.value + eps * o.value, eps * o.error_bound, o.exact};
}

std::optional<double> ContaminatedNoise::Mean() const {
  if (spec().eps == 0.0) return 0.0;
  const std::optional<double> m = other_->Mean();
  if (!m) return std::nullopt;
  return spec().eps * *m;
}

}  // namespace clipsim::noise::detail
