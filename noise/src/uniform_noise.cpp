// Uniform noise: X = loc + scale * (2 U - 1), U uniform on (0, 1): uniform on the open interval
// (loc - scale, loc + scale), coordinates iid (shape iid, the kind's only shape). The bounded law
// of the theorems that assume noise bounded almost surely (Zhang, He, Sra & Jadbabaie 2020, the
// stochastic clipped GD): a vector of dim coordinates with loc = 0 has ||X|| < scale sqrt(dim)
// always.
//
// Sampler: one generator draw per value (detail::Uniform, the top 52 bits), so Fill(n) then
// Fill(m) equals Fill(n + m) and Sample() is Fill of one value.
//
// Moments: every moment is finite (tail index +infinity). E X = loc, E X^2 = loc^2 + scale^2 / 3.
// With loc = 0 in dimension 1, E|X|^p = scale^p / (p + 1) (closed form). Vectors of dim > 1 or
// loc != 0: numerical (iid_moment, with the uniform density on [-1, 1]), exact for even
// integer p (E T^(2j) = 1 / (2j + 1)).
#include <cmath>
#include <limits>

#include "models.hpp"
#include "moment_arguments.hpp"
#include "uniform_fill.hpp"

namespace clipsim::noise::detail {

double UniformNoise::Sample(Rng& rng) const {
  double x = 0.0;
  Fill(rng, std::span<double>(&x, 1));
  return x;
}

void UniformNoise::Fill(Rng& rng, std::span<double> out) const {
  const double scale = spec().scale;
  const double loc = spec().loc;
  for (double& x : out) x = loc + scale * (2.0 * Uniform(rng) - 1.0);
}

void UniformNoise::SampleVector(Rng& rng, Eigen::Ref<Vector> out) const {
  Fill(rng, std::span<double>(out.data(), static_cast<std::size_t>(out.size())));
}

void UniformNoise::SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const {
  FillIidBatch(*this, rng, out);
}

std::int64_t UniformNoise::SplitRows(int) const {
  return 1;  // one Fill, value by value
}

double UniformNoise::TailIndex() const {
  return std::numeric_limits<double>::infinity();
}

MomentValue UniformNoise::Moment(double p, int dim) const {
  detail::CheckMomentArguments(p, dim);
  const NoiseSpec& s = spec();
  if (s.loc == 0.0 && dim == 1) return {std::pow(s.scale, p) / (p + 1.0), 0.0, true};
  const std::unique_ptr<CoordinateLaw> law = CoordinateOf(s);
  const MomentValue m = IidNormMoment(*law, p, dim);
  const double scale_p = std::pow(s.scale, p);
  return {m.value * scale_p, m.error_bound * scale_p, m.exact};
}

}  // namespace clipsim::noise::detail
