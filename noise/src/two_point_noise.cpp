// Two-point noise: X = loc + scale * T per coordinate, T the standard two-point law
//   T = h with probability q = 1 / (1 + h^2),  T = -1/h with probability 1 - q,
// h = `atom` >= 1. Facts (exact, elementary): E T = q h - (1 - q) / h = 0, E T^2 = q h^2 +
// (1 - q) / h^2 = 1, so X has mean loc and, with loc = 0, variance scale^2 per coordinate; skewness
// E T^3 = h - 1/h (0 only at h = 1, the symmetric Rademacher law scale * (+-1)); every moment is
// finite (tail index +infinity). E|X|^p = q |loc + scale h|^p + (1 - q) |loc - scale / h|^p, and
// a vector of dim iid coordinates has ||X||^2 = K A^2 + (dim - K) B^2 with A = loc + scale h,
// B = loc - scale / h and K ~ Binomial(dim, q), so
//   E||X||^p = sum_{k=0}^{dim} C(dim, k) q^k (1 - q)^(dim - k) (k A^2 + (dim - k) B^2)^(p/2),
// a finite sum of positive terms (exact up to rounding).
//
// Why this law: it is the construction of the lower bound for clipped SGD with a fixed threshold c
// (analysis/clip_floor.hpp): the positive atom is clipped, the negative one is not, so the clipped
// gradient's mean vanishes away from the minimizer. The derivation and the bounds are in
// analysis/THEORY.md (section "Koloskova, Hendrikx & Stich (2023)").
//
// Sampler: one generator draw per value, U = UniformOpen01; T = h when U < q, else -1/h
// (inverse CDF). Fill(n) then Fill(m) equals Fill(n + m), and Sample() is Fill of one value.
// Vectors and batches are iid coordinates in row-major order (shape iid only).
#include <algorithm>
#include <cmath>
#include <limits>

#include "models.hpp"
#include "moment_arguments.hpp"
#include "two_point.hpp"
#include "uniform_fill.hpp"

namespace clipsim::noise::detail {

TwoPointAtoms TwoPointOf(double atom) {
  return {atom, 1.0 / atom, 1.0 / (1.0 + atom * atom)};
}

TwoPointNoise::TwoPointNoise(const NoiseSpec& spec)
    : NoiseModel(spec), atoms_(TwoPointOf(spec.atom)) {}

double TwoPointNoise::Sample(Rng& rng) const {
  double x = 0.0;
  Fill(rng, std::span<double>(&x, 1));
  return x;
}

void TwoPointNoise::Fill(Rng& rng, std::span<double> out) const {
  const double high = spec().loc + spec().scale * atoms_.high;
  const double low = spec().loc - spec().scale * atoms_.low;
  const double q = atoms_.q;
  for (double& x : out) x = Uniform(rng) < q ? high : low;
}

void TwoPointNoise::SampleVector(Rng& rng, Eigen::Ref<Vector> out) const {
  Fill(rng, std::span<double>(out.data(), static_cast<std::size_t>(out.size())));
}

void TwoPointNoise::SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const {
  FillIidBatch(*this, rng, out);
}

double TwoPointNoise::TailIndex() const {
  return std::numeric_limits<double>::infinity();
}

MomentValue TwoPointNoise::Moment(double p, int dim) const {
  detail::CheckMomentArguments(p, dim);
  const double a = spec().loc + spec().scale * atoms_.high;
  const double b = spec().loc - spec().scale * atoms_.low;
  const double q = atoms_.q;
  if (dim == 1) {
    return {q * std::pow(std::abs(a), p) + (1.0 - q) * std::pow(std::abs(b), p), 0.0, true};
  }
  // The binomial sum, each term exp(log pmf) * (k a^2 + (dim - k) b^2)^(p/2).
  const double d = static_cast<double>(dim);
  const double log_q = std::log(q);
  const double log_1q = std::log1p(-q);
  const double lg_d = std::lgamma(d + 1.0);
  double sum = 0.0;
  for (int k = 0; k <= dim; ++k) {
    const double kk = static_cast<double>(k);
    const double log_pmf =
        lg_d - std::lgamma(kk + 1.0) - std::lgamma(d - kk + 1.0) + kk * log_q + (d - kk) * log_1q;
    const double sq = kk * a * a + (d - kk) * b * b;
    sum += std::exp(log_pmf) * std::pow(sq, 0.5 * p);
  }
  return {sum, 0.0, true};
}

double TwoPointCoordinate::Tail() const {
  return std::numeric_limits<double>::infinity();
}

double TwoPointCoordinate::EvenMoment(int k) const {
  const double y_high = (atoms_.high + c_) * (atoms_.high + c_);
  const double y_low = (c_ - atoms_.low) * (c_ - atoms_.low);
  return atoms_.q * std::pow(y_high, k) + (1.0 - atoms_.q) * std::pow(y_low, k);
}

Estimate TwoPointCoordinate::Laplace(int k, double s, bool complement) const {
  const double y_high = (atoms_.high + c_) * (atoms_.high + c_);
  const double y_low = (c_ - atoms_.low) * (c_ - atoms_.low);
  const auto term = [&](double y) {
    const double factor = complement ? -std::expm1(-s * y) : std::exp(-s * y);
    return std::pow(y, k) * factor;
  };
  const double value = atoms_.q * term(y_high) + (1.0 - atoms_.q) * term(y_low);
  return {value, 4.0 * std::numeric_limits<double>::epsilon() * value};
}

}  // namespace clipsim::noise::detail
