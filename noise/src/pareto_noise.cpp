// Symmetric Pareto noise: X = loc + sign * scale * U^(-1/tail), P(|X - loc| > x) = (scale / x)^tail
// for x >= scale. Shapes: iid coordinates, or radial (||X|| Pareto with the same law, direction
// uniform on the sphere, loc = 0).
//
// Sampler: one generator draw per value: U = UniformOpen01(draw) from its top 52 bits and the
// sign from its lowest bit (independent of those), then exp(-log(U) / tail) in vector math.
// Radial vectors: the norm (one draw) and then a standard normal vector normalized to length 1
// (its direction is uniform on the sphere). The symmetric Lomax law (lomax_noise.cpp) shares the
// sampler, minus sign * scale.
//
// Moments: E|X|^p finite for p < tail. With loc = 0, E|X|^p = scale^p tail / (tail - p) for the
// scalar law and E||X||^p the same for radial vectors; iid vectors of dim > 1 and loc != 0 are
// numerical (iid_moment). Mean: loc for tail > 1; none for tail <= 1.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "models.hpp"
#include "moment_arguments.hpp"
#include "uniform_fill.hpp"
#include "vecmath.hpp"

namespace clipsim::noise::detail {

double ParetoNoise::Sample(Rng& rng) const {
  double x = 0.0;
  Fill(rng, std::span<double>(&x, 1));
  return x;
}

namespace {

// loc + sign * scale * U^(-1/tail) (Pareto) or loc + sign * scale * (U^(-1/tail) - 1) (Lomax):
// one generator draw per value, U from its top 52 bits and the sign from its lowest bit.
template <bool kLomax>
void FillSignedPowerLaw(const NoiseSpec& spec, Rng& rng, std::span<double> out) {
  const std::uint64_t scale_bits = std::bit_cast<std::uint64_t>(spec.scale);
  const Vec minus_inv_tail = Broadcast(-1.0 / spec.tail);
  const Vec loc = Broadcast(spec.loc);
  alignas(64) BlockArray log_u;
  FillInBlocks<2>(
      out,
      [&rng, scale_bits](BlockInputs<2>& in, std::size_t i) {
        const std::uint64_t bits = rng();
        in[0][i] = UniformOpen01(bits);
        // +-scale with the sign from the lowest bit, without a (mispredicted) branch.
        in[1][i] = std::bit_cast<double>(scale_bits ^ (bits << 63));
      },
      [&](const BlockInputs<2>& in, std::size_t n, double* dst) {
        ForEachLane(
            n, [&](std::size_t i) { Store(&log_u[i], minus_inv_tail * Log(Load(&in[0][i]))); });
        ForEachLane(n, [&](std::size_t i) {
          if constexpr (kLomax) {
            Store(dst + i, loc + Load(&in[1][i]) * (Exp(Load(&log_u[i])) - Broadcast(1.0)));
          } else {
            Store(dst + i, loc + Load(&in[1][i]) * Exp(Load(&log_u[i])));
          }
        });
      });
}

}  // namespace

void ParetoNoise::Fill(Rng& rng, std::span<double> out) const {
  FillSignedPowerLaw<false>(spec(), rng, out);
}

void LomaxNoise::Fill(Rng& rng, std::span<double> out) const {
  FillSignedPowerLaw<true>(spec(), rng, out);
}

void ParetoNoise::FillNorms(Rng& rng, std::span<double> out) const {
  const Vec minus_inv_tail = Broadcast(-1.0 / spec().tail);
  const Vec scale = Broadcast(spec().scale);
  alignas(64) BlockArray log_u;
  FillInBlocks<1>(
      out, [&rng](BlockInputs<1>& in, std::size_t i) { in[0][i] = Uniform(rng); },
      [&](const BlockInputs<1>& in, std::size_t n, double* dst) {
        ForEachLane(
            n, [&](std::size_t i) { Store(&log_u[i], minus_inv_tail * Log(Load(&in[0][i]))); });
        ForEachLane(n, [&](std::size_t i) { Store(dst + i, scale * Exp(Load(&log_u[i]))); });
      });
}

void ParetoNoise::SampleVector(Rng& rng, Eigen::Ref<Vector> out) const {
  const std::span<double> values(out.data(), static_cast<std::size_t>(out.size()));
  if (spec().shape != Shape::kRadial) {
    Fill(rng, values);
    return;
  }
  double norm = 0.0;
  FillNorms(rng, std::span<double>(&norm, 1));
  FillStandardNormal(rng, values);
  out *= norm / out.norm();
}

void ParetoNoise::SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const {
  if (spec().shape != Shape::kRadial) {
    FillIidBatch(*this, rng, out);
    return;
  }
  // Radial: the rows' norms first (one draw each), then the directions row by row.
  std::vector<double> factors(static_cast<std::size_t>(out.rows()));
  FillNorms(rng, factors);
  for (Eigen::Index i = 0; i < out.rows(); ++i) {
    FillStandardNormal(rng,
                       std::span<double>(out.row(i).data(), static_cast<std::size_t>(out.cols())));
    factors[static_cast<std::size_t>(i)] /= out.row(i).norm();
  }
  ScaleRows(factors, out);
}

std::int64_t ParetoNoise::SplitRows(int) const {
  return spec().shape == Shape::kRadial ? 0 : 1;  // iid: one Fill, value by value
}

MomentValue ParetoNoise::Moment(double p, int dim) const {
  detail::CheckMomentArguments(p, dim);
  const NoiseSpec& s = spec();
  if (!(p < s.tail)) return {std::numeric_limits<double>::infinity(), 0.0, true};
  const double scale_p = std::pow(s.scale, p);
  if (s.loc == 0.0 && (dim == 1 || s.shape == Shape::kRadial)) {
    return {scale_p * s.tail / (s.tail - p), 0.0, true};
  }
  const std::unique_ptr<CoordinateLaw> law = CoordinateOf(s);
  const MomentValue m = IidNormMoment(*law, p, dim);
  return {m.value * scale_p, m.error_bound * scale_p, m.exact};
}

std::optional<double> ParetoNoise::Mean() const {
  if (spec().tail > 1.0) return spec().loc;
  return std::nullopt;
}

}  // namespace clipsim::noise::detail
