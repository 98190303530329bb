// Gaussian noise N(loc, scale^2) per coordinate: the light-tailed control. Also the standard
// normal generator that the isotropic, radial and contaminated laws use.
//
// Sampler: Box-Muller (1958), vectorized: for the pair (U1, U2) of uniforms on (0, 1),
// R = sqrt(-2 log U1), and the two values R cospi(2 U2), R sinpi(2 U2). U1 > 0 always
// (UniformOpen01), so R is finite.
//
// Moments: every moment is finite (tail index +infinity). With loc = 0 the vector is isotropic
// and E||X||^p = scale^p 2^(p/2) Gamma((d + p)/2) / Gamma(d/2) for every dim; with loc != 0,
// numerical (iid_moment). Mean: loc.
#include <algorithm>
#include <array>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>

#include "models.hpp"
#include "moment_arguments.hpp"
#include "uniform_fill.hpp"
#include "vec_primitives.hpp"
#include "vecmath.hpp"

namespace clipsim::noise::detail {

namespace {

template <class Math>
void FillStandardNormalWith(Rng& rng, std::span<double> out, const Math& m) {
  const std::size_t pairs = (out.size() + 1) / 2;
  const Vec minus_two = Broadcast(-2.0);
  const Vec two = Broadcast(2.0);
  // Pairs are generated into a block of radii and a block of angles, then interleaved.
  alignas(64) BlockArray radii;
  alignas(64) BlockArray cosines;
  alignas(64) BlockArray sines;
  for (std::size_t start = 0; start < pairs; start += kBlock) {
    const std::size_t n = std::min(kBlock, pairs - start);
    alignas(64) BlockInputs<2> in;
    for (std::size_t i = 0; i < n; ++i) {
      in[0][i] = RawBits(m.Draw(rng));
      in[1][i] = RawBits(m.Draw(rng));
    }
    const std::size_t padded = (n + kLanes - 1) / kLanes * kLanes;
    for (std::size_t i = n; i < padded; ++i) in[0][i] = in[1][i] = 0.5;  // raw bits, see RawBits
    // Two passes (one SLEEF function each), see FillInBlocks.
    ForEachLane(padded, [&](std::size_t i) {
      Store(&radii[i], m.Sqrt(minus_two * m.Log(m.Uniform(Load(&in[0][i])))));
    });
    ForEachLane(padded, [&](std::size_t i) {
      const Vec r = Load(&radii[i]);
      const VecPair angle = m.SinCosPi(two * m.Uniform(Load(&in[1][i])));
      Store(&cosines[i], r * angle.cos);
      Store(&sines[i], r * angle.sin);
    });
    double* dst = out.data() + 2 * start;
    const std::size_t values = std::min(2 * n, out.size() - 2 * start);
    for (std::size_t i = 0; i < values; ++i) dst[i] = (i % 2 == 0) ? cosines[i / 2] : sines[i / 2];
  }
}

}  // namespace

void FillStandardNormal(Rng& rng, std::span<double> out) {
  FillStandardNormalWith(rng, out, VecMath{});
}

PrimitiveCounts CountStandardNormalPrimitives(Rng& rng, std::span<double> out) {
  PrimitiveCounts counts;
  FillStandardNormalWith(rng, out, CountingMath(counts));
  return counts.PerValue(out.size());
}

double GaussianNormMoment(double sd, double p, int dim) {
  // E chi_d^p = 2^(p/2) Gamma((d + p)/2) / Gamma(d/2); tgamma_ratio stays accurate for large d.
  return std::pow(sd, p) * std::pow(2.0, 0.5 * p) *
         boost::math::tgamma_ratio(0.5 * (dim + p), 0.5 * dim);
}

void FillIidBatch(const NoiseModel& model, Rng& rng, Eigen::Ref<Batch> out) {
  const std::size_t count = static_cast<std::size_t>(out.rows() * out.cols());
  if (out.rows() <= 1 || out.outerStride() == out.cols()) {
    model.Fill(rng, std::span<double>(out.data(), count));
    return;
  }
  Batch contiguous(out.rows(), out.cols());
  model.Fill(rng, std::span<double>(contiguous.data(), count));
  out = contiguous;
}

void ScaleRows(std::span<const double> factors, Eigen::Ref<Batch> out) {
  for (Eigen::Index i = 0; i < out.rows(); ++i) out.row(i) *= factors[static_cast<std::size_t>(i)];
}

double GaussianNoise::Sample(Rng& rng) const {
  double x = 0.0;
  Fill(rng, std::span<double>(&x, 1));
  return x;
}

void GaussianNoise::Fill(Rng& rng, std::span<double> out) const {
  FillStandardNormal(rng, out);
  const double scale = spec().scale;
  const double loc = spec().loc;
  for (double& x : out) x = loc + scale * x;
}

void GaussianNoise::SampleVector(Rng& rng, Eigen::Ref<Vector> out) const {
  Fill(rng, std::span<double>(out.data(), static_cast<std::size_t>(out.size())));
}

void GaussianNoise::SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const {
  FillIidBatch(*this, rng, out);
}

std::int64_t GaussianNoise::SplitRows(int dim) const {
  // Box-Muller makes values in pairs: a split must fall after an even number of values.
  return dim % 2 == 0 ? 1 : 2;
}

double GaussianNoise::TailIndex() const {
  return std::numeric_limits<double>::infinity();
}

MomentValue GaussianNoise::Moment(double p, int dim) const {
  detail::CheckMomentArguments(p, dim);
  const NoiseSpec& s = spec();
  if (s.loc == 0.0) return {GaussianNormMoment(s.scale, p, dim), 0.0, true};
  const std::unique_ptr<CoordinateLaw> law = CoordinateOf(s);
  const MomentValue m = IidNormMoment(*law, p, dim);
  const double scale_p = std::pow(s.scale, p);
  return {m.value * scale_p, m.error_bound * scale_p, m.exact};
}

}  // namespace clipsim::noise::detail
