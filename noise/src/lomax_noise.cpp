// Symmetric Lomax (Pareto type II) noise: X = loc + sign * scale * (U^(-1/tail) - 1), so that
// P(|X - loc| > x) = (1 + x / scale)^(-tail) for x >= 0 and the density of |X - loc| / scale is
// tail (1 + t)^(-tail - 1): with tail = 1.5 and scale = 1 the law (3/4) (1 + |x|)^(-5/2) of the
// quadratic experiment of Chezhegov et al. (2024, "Clipping improves Adam-Norm and AdaGrad-Norm
// when the noise is heavy-tailed"; the authors' code, Quadratic problem notebook). Unlike the
// symmetric Pareto law (|X| >= scale) it has mass near 0, with the same tail index.
//
// Sampler: Pareto's (one generator draw per value: U from the top 52 bits, the sign from the
// lowest bit), then scale * (U^(-1/tail) - 1) with the sign; LomaxNoise::Fill is in
// pareto_noise.cpp, next to Pareto's, whose code it shares. iid coordinates only.
//
// Moments: E|X|^p finite for p < tail. With loc = 0 in dimension 1,
// E|X|^p = scale^p tail B(p + 1, tail - p) = scale^p Gamma(p + 1) Gamma(tail - p) / Gamma(tail)
// (the Beta integral of t^p tail (1 + t)^(-tail - 1)); vectors and loc != 0 are numerical
// (iid_moment). Mean: loc for tail > 1; none for tail <= 1.
#include <cmath>
#include <limits>

#include "models.hpp"
#include "moment_arguments.hpp"

namespace clipsim::noise::detail {

double LomaxNoise::Sample(Rng& rng) const {
  double x = 0.0;
  Fill(rng, std::span<double>(&x, 1));
  return x;
}

void LomaxNoise::SampleVector(Rng& rng, Eigen::Ref<Vector> out) const {
  Fill(rng, std::span<double>(out.data(), static_cast<std::size_t>(out.size())));
}

void LomaxNoise::SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const {
  FillIidBatch(*this, rng, out);
}

std::int64_t LomaxNoise::SplitRows(int) const {
  return 1;  // one Fill, value by value
}

MomentValue LomaxNoise::Moment(double p, int dim) const {
  detail::CheckMomentArguments(p, dim);
  const NoiseSpec& s = spec();
  if (!(p < s.tail)) return {std::numeric_limits<double>::infinity(), 0.0, true};
  const double scale_p = std::pow(s.scale, p);
  if (s.loc == 0.0 && dim == 1) {
    return {
        scale_p * std::exp(std::lgamma(p + 1.0) + std::lgamma(s.tail - p) - std::lgamma(s.tail)),
        0.0, true};
  }
  const std::unique_ptr<CoordinateLaw> law = CoordinateOf(s);
  const MomentValue m = IidNormMoment(*law, p, dim);
  return {m.value * scale_p, m.error_bound * scale_p, m.exact};
}

std::optional<double> LomaxNoise::Mean() const {
  if (spec().tail > 1.0) return spec().loc;
  return std::nullopt;
}

}  // namespace clipsim::noise::detail
