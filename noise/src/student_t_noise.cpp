// Student-t noise: X = loc + scale * T, T Student-t with dof degrees of freedom (dof > 0, any
// real).
//
// Sampler: Bailey's polar method (R. W. Bailey, "Polar generation of random variates with the
// t-distribution", Math. Comp. 62 (1994) 779-781): draw A, B uniform on (-1, 1) until
// W = A^2 + B^2 < 1, then T = A sqrt(dof (W^(-2/dof) - 1) / W). Exact for every dof > 0, two
// generator draws per attempt (acceptance pi/4), and branch-free after the acceptance loop, so the
// transform is vectorized; W^(-2/dof) - 1 is expm1(-(2/dof) log W), accurate as W -> 1. Values
// beyond the double range (tiny dof) come out as +-infinity.
//
// Moments: E|X|^p finite for p < dof. With loc = 0,
//   E|X|^p = scale^p dof^(p/2) Gamma((p+1)/2) Gamma((dof-p)/2) / (sqrt(pi) Gamma(dof/2));
// iid vectors of dim > 1 and loc != 0 are numerical (iid_moment). Mean: loc for dof > 1;
// none for dof <= 1.
#include <boost/math/constants/constants.hpp>
#include <cmath>
#include <limits>

#include "models.hpp"
#include "moment_arguments.hpp"
#include "uniform_fill.hpp"
#include "vecmath.hpp"

namespace clipsim::noise::detail {

double StudentTNoise::Sample(Rng& rng) const {
  double x = 0.0;
  Fill(rng, std::span<double>(&x, 1));
  return x;
}

void StudentTNoise::Fill(Rng& rng, std::span<double> out) const {
  const double dof = spec().dof;
  const Vec nu = Broadcast(dof);
  const Vec minus_two_over_nu = Broadcast(-2.0 / dof);
  const Vec scale = Broadcast(spec().scale);
  const Vec loc = Broadcast(spec().loc);
  alignas(64) BlockArray log_w;
  FillInBlocks<2>(
      out,
      [&rng](BlockInputs<2>& in, std::size_t i) {
        double a = 0.0;
        double w = 1.0;
        do {
          a = 2.0 * Uniform(rng) - 1.0;
          const double b = 2.0 * Uniform(rng) - 1.0;
          w = a * a + b * b;
        } while (w >= 1.0);
        in[0][i] = a;
        in[1][i] = w;
      },
      [&](const BlockInputs<2>& in, std::size_t n, double* dst) {
        ForEachLane(
            n, [&](std::size_t i) { Store(&log_w[i], minus_two_over_nu * Log(Load(&in[1][i]))); });
        ForEachLane(n, [&](std::size_t i) {
          const Vec a = Load(&in[0][i]);
          const Vec w = Load(&in[1][i]);
          const Vec r2 = nu * Expm1(Load(&log_w[i])) / w;
          Store(dst + i, loc + scale * a * Sqrt(r2));
        });
      });
}

void StudentTNoise::SampleVector(Rng& rng, Eigen::Ref<Vector> out) const {
  Fill(rng, std::span<double>(out.data(), static_cast<std::size_t>(out.size())));
}

void StudentTNoise::SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const {
  FillIidBatch(*this, rng, out);
}

std::int64_t StudentTNoise::SplitRows(int) const {
  return 1;  // one Fill, value by value (each value's attempts in turn)
}

MomentValue StudentTNoise::Moment(double p, int dim) const {
  detail::CheckMomentArguments(p, dim);
  const NoiseSpec& s = spec();
  if (!(p < s.dof)) return {std::numeric_limits<double>::infinity(), 0.0, true};
  const double scale_p = std::pow(s.scale, p);
  if (s.loc == 0.0 && dim == 1) {
    const double pi = boost::math::constants::pi<double>();
    const double log_m = 0.5 * p * std::log(s.dof) + std::lgamma(0.5 * (p + 1.0)) +
                         std::lgamma(0.5 * (s.dof - p)) - 0.5 * std::log(pi) -
                         std::lgamma(0.5 * s.dof);
    return {scale_p * std::exp(log_m), 0.0, true};
  }
  const std::unique_ptr<CoordinateLaw> law = CoordinateOf(s);
  const MomentValue m = IidNormMoment(*law, p, dim);
  return {m.value * scale_p, m.error_bound * scale_p, m.exact};
}

std::optional<double> StudentTNoise::Mean() const {
  if (spec().dof > 1.0) return spec().loc;
  return std::nullopt;
}

}  // namespace clipsim::noise::detail
