// Alpha-stable noise in the S1 parameterization (Samorodnitsky & Taqqu 1994, Definition 1.1.6;
// scipy's levy_stable default), scalar and isotropic (sub-Gaussian) vectors.
//
// Sampler: Chambers, Mallows & Stuck (1976) with Weron's (1996) correction. With V uniform on
// (-pi/2, pi/2) and W standard exponential, for alpha != 1
//   Z = S sin(alpha (V + B)) / cos(V)^(1/alpha) * (cos(V - alpha (V + B)) / W)^((1 - alpha)/alpha),
//   B = arctan(skew tan(pi alpha / 2)) / alpha, S = (1 + skew^2 tan^2(pi alpha / 2))^(1/(2 alpha)),
// and X = scale Z + loc; for alpha = 1
//   Z = (2/pi) [(pi/2 + skew V) tan V - skew log((pi/2) W cos V / (pi/2 + skew V))],
// and X = scale Z + (2/pi) skew scale log(scale) + loc (Property 1.2.3).
//
// Implementation. V = pi (U - 1/2) with U = UniformOpen01(draw), W = -log(U') for the next draw.
// The transcendental factors are rewritten so that the batch path needs few SLEEF calls and keeps
// relative accuracy at the ends of the angle range (where cos V -> 0 and the tails come from):
//  - cos V = sinpi(U) and all angles are taken in units of pi (sincospi: exact argument
//    reduction), so cos V keeps full relative accuracy as U -> 0 or 1;
//  - c1^(-1/alpha) (c2 / W)^((1-alpha)/alpha) = (1 / c1) (c2 / (W c1))^((1-alpha)/alpha), one
//    log and one exp instead of two of each;
//  - symmetric laws: cos((1 - alpha) V) = cos V cos(alpha V) + sin V sin(alpha V), from the two
//    sincospi calls already made (relative error below 1 / cos(|1 - alpha| pi / 2) ulps);
//  - skewed laws (skew > 0; skew < 0 by the reflection Z(-skew) = -Z(skew)): with
//    b = arctan((1 - skew) |T| / (1 + skew T^2)) / pi >= 0, T = tan(pi alpha / 2),
//      cos(V - alpha (V + B)) = sinpi(|1 - alpha| U + b),
//      sin(alpha (V + B)) = sinpi(alpha U - b) (alpha < 1) or -sinpi(alpha U + b) (alpha > 1),
//    sums of non-negative terms, exact zeros at skew = 1, so no cancellation near the ends;
//  - alpha = 2: Z = 2 sin(V) sqrt(W) (Gaussian with variance 2, the CMS formula's limit);
//    alpha = 1, skew = 0: Z = tan V (Cauchy); alpha = 1: pi/2 + skew V = pi (0.5 (1 - skew) +
//    skew U) exactly.
// Values beyond the double range (alpha near 0) come out as +-infinity.
// Calls per value (two generator draws on every path; tests/noise/primitive_counts_test.cpp pins
// them, bench_noise's roofline divides by them): symmetric 2 log, 1 exp, 2 sincospi, 1 division;
// skewed 2 log, 1 exp, 3 sincospi, 1 division; alpha = 1 2 log, 1 sincospi, 2 divisions; Cauchy
// 1 sincospi, 1 division (U' drawn, unused); alpha = 2 1 log, 1 sincospi, 1 sqrt. The symmetric
// draw's five are the fewest this formula allows: W needs its log, the power its log and exp, and
// the angles V and alpha V one sincospi each.
//
// Isotropic shape (sub-Gaussian symmetric stable, Samorodnitsky & Taqqu Proposition 2.5.2):
// X = sqrt(A) G, G ~ N(0, 2 scale^2 I), A ~ S_{alpha/2}((cos(pi alpha / 4))^(2/alpha), 1, 0),
// so E e^{-s A} = e^{-s^(alpha/2)} (Property 1.2.12) and each coordinate is S_alpha(scale, 0, 0).
// A is drawn by the same sampler (Kanter's formula in this case). alpha = 2 is N(0, 2 scale^2 I).
//
// Moments (E|X|^p finite for p < alpha < 2; all for alpha = 2):
//  - scalar (and iid dim = 1), loc = 0, alpha != 1 or skew = 0 (Property 1.2.17, rewritten with
//    Gamma(1 - p) cos(pi p / 2) = pi / (2 sin(pi p / 2) Gamma(p))):
//      E|X|^p = (2/pi) sin(pi p/2) Gamma(p) Gamma(1 - p/alpha)
//               (1 + skew^2 T^2)^(p/(2 alpha)) cos((p/alpha) arctan(skew T)) scale^p;
//  - isotropic: E||X||^p = E A^(p/2) E||G||^p
//      = Gamma(1 - p/alpha) / Gamma(1 - p/2) * (2 scale^2)^(p/2) 2^(p/2) Gamma((d+p)/2) /
//      Gamma(d/2),
//    using E A^r = Gamma(1 - r / (alpha/2)) / Gamma(1 - r) for the Laplace transform
//    e^{-s^(alpha/2)}; at d = 1 it equals the scalar formula (Legendre duplication);
//  - alpha = 2, loc = 0: Gaussian with sd sqrt(2) scale, any dim;
//  - otherwise (iid dim > 1, loc != 0, alpha = 1 with skew != 0): numerical (iid_moment).
// Mean: loc for alpha > 1; none for alpha <= 1.
#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "models.hpp"
#include "moment_arguments.hpp"
#include "uniform_fill.hpp"
#include "vec_primitives.hpp"
#include "vecmath.hpp"

namespace clipsim::noise::detail {
namespace {

constexpr double kPi = boost::math::constants::pi<double>();
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

StableSampler::StableSampler(double alpha, double skew, double scale, double loc)
    : alpha_(alpha), mult_(scale), shift_(loc) {
  const double beta = std::abs(skew);
  const double sign = skew < 0.0 ? -1.0 : 1.0;
  if (alpha == 2.0) {
    path_ = Path::kGaussian;
    mult_ = 2.0 * scale;
  } else if (alpha == 1.0 && skew == 0.0) {
    path_ = Path::kCauchy;
  } else if (alpha == 1.0) {
    path_ = Path::kAlphaOne;
    beta_ = beta;
    half_one_minus_beta_ = 0.5 * (1.0 - beta);
    mult_ = sign * scale;
    shift_ = loc + (2.0 / kPi) * skew * scale * std::log(scale);
  } else if (skew == 0.0) {
    path_ = Path::kSymmetric;
    expo_ = (1.0 - alpha) / alpha;
  } else {
    path_ = Path::kSkewed;
    const double t = std::tan(0.5 * kPi * alpha);
    expo_ = (1.0 - alpha) / alpha;
    a1_ = std::abs(1.0 - alpha);
    b_ = std::atan((1.0 - beta) * std::abs(t) / (1.0 + beta * t * t)) / kPi;
    nb_ = alpha < 1.0 ? -b_ : b_;
    const double s_factor = std::pow(1.0 + beta * beta * t * t, 1.0 / (2.0 * alpha));
    // sin(alpha (V + B)) = -sinpi(alpha U + b) for alpha > 1: the minus goes into mult_.
    mult_ = sign * scale * s_factor * (alpha < 1.0 ? 1.0 : -1.0);
  }
}

template <StableSampler::Path kPath, class Math>
void StableSampler::FillPath(Rng& rng, std::span<double> out, const Math& m) const {
  const Vec half = Broadcast(0.5);
  const Vec zero = Broadcast(0.0);
  const Vec one = Broadcast(1.0);
  const Vec two = Broadcast(2.0);
  const Vec alpha = Broadcast(alpha_);
  const Vec mult = Broadcast(mult_);
  const Vec shift = Broadcast(shift_);
  const Vec expo = Broadcast(expo_);
  const Vec a1 = Broadcast(a1_);
  const Vec b = Broadcast(b_);
  const Vec nb = Broadcast(nb_);
  const Vec beta = Broadcast(beta_);
  const Vec h0 = Broadcast(half_one_minus_beta_);
  const Vec two_beta_over_pi = Broadcast(2.0 * beta_ / kPi);
  // One pass per SLEEF call (see FillInBlocks); w, p, q, r are per-value scratch arrays.
  alignas(64) BlockArray w;
  alignas(64) BlockArray p;
  alignas(64) BlockArray q;
  alignas(64) BlockArray r;
  FillInBlocks<2>(
      out,
      [&rng, &m](BlockInputs<2>& in, std::size_t i) {
        in[0][i] = RawBits(m.Draw(rng));  // U: the angle V = pi (U - 1/2)
        in[1][i] = RawBits(m.Draw(rng));  // U': the exponential W = -log(U')
      },
      [&](BlockInputs<2>& in, std::size_t n, double* dst) {
        const double* u = in[0].data();
        if constexpr (kPath == Path::kCauchy) {
          // The Cauchy law needs no W: U' is drawn (two draws per value on every path) but unused.
          ForEachLane(n, [&](std::size_t i) { Store(&in[0][i], m.Uniform(Load(&in[0][i]))); });
        } else {
          ForEachLane(n, [&](std::size_t i) {
            Store(&in[0][i], m.Uniform(Load(&in[0][i])));
            Store(&w[i], zero - m.Log(m.Uniform(Load(&in[1][i]))));
          });
        }
        if constexpr (kPath == Path::kGaussian) {
          ForEachLane(n, [&](std::size_t i) {
            const VecPair v = m.SinCosPi(Load(u + i) - half);
            Store(dst + i, shift + mult * v.sin * m.Sqrt(Load(&w[i])));
          });
        } else if constexpr (kPath == Path::kCauchy) {
          ForEachLane(n, [&](std::size_t i) {
            const VecPair v = m.SinCosPi(Load(u + i) - half);
            Store(dst + i, shift + mult * m.Div(v.sin, v.cos));
          });
        } else if constexpr (kPath == Path::kSymmetric) {
          // p = sin V, q = cos V; then p = ratio c2 / (W c1), q = sin(alpha V) / cos V.
          ForEachLane(n, [&](std::size_t i) {
            const VecPair v = m.SinCosPi(Load(u + i) - half);
            Store(&p[i], v.sin);
            Store(&q[i], v.cos);
          });
          ForEachLane(n, [&](std::size_t i) {
            const VecPair av = m.SinCosPi(alpha * (Load(u + i) - half));
            const Vec sv = Load(&p[i]);
            const Vec cv = Load(&q[i]);
            const Vec wi = Load(&w[i]);
            const Vec c2 = cv * av.cos + sv * av.sin;
            const Vec inv = m.Div(one, wi * cv);  // one division for both ratios
            Store(&p[i], c2 * inv);
            Store(&q[i], av.sin * wi * inv);
          });
          ForEachLane(n, [&](std::size_t i) { Store(&r[i], expo * m.Log(Load(&p[i]))); });
          ForEachLane(n, [&](std::size_t i) {
            Store(dst + i, shift + mult * Load(&q[i]) * m.Exp(Load(&r[i])));
          });
        } else if constexpr (kPath == Path::kSkewed) {
          // p = c1 = cos V, q = sin(alpha (V + B)), r = c2; then p = ratio, q = numer / c1.
          ForEachLane(n, [&](std::size_t i) { Store(&p[i], m.SinCosPi(Load(u + i)).sin); });
          ForEachLane(
              n, [&](std::size_t i) { Store(&q[i], m.SinCosPi(alpha * Load(u + i) + nb).sin); });
          ForEachLane(n, [&](std::size_t i) {
            const Vec c2 = m.SinCosPi(a1 * Load(u + i) + b).sin;
            const Vec c1 = Load(&p[i]);
            const Vec wi = Load(&w[i]);
            const Vec inv = m.Div(one, wi * c1);
            Store(&p[i], c2 * inv);
            Store(&q[i], Load(&q[i]) * wi * inv);
          });
          ForEachLane(n, [&](std::size_t i) { Store(&r[i], expo * m.Log(Load(&p[i]))); });
          ForEachLane(n, [&](std::size_t i) {
            Store(dst + i, shift + mult * Load(&q[i]) * m.Exp(Load(&r[i])));
          });
        } else {
          // p = 2 h tan V, q = W cos V / (2 h), h = (pi/2 + skew V) / pi.
          ForEachLane(n, [&](std::size_t i) {
            const VecPair v = m.SinCosPi(Load(u + i) - half);
            const Vec h = h0 + beta * Load(u + i);
            Store(&p[i], two * h * m.Div(v.sin, v.cos));
            Store(&q[i], m.Div(Load(&w[i]) * v.cos, two * h));
          });
          ForEachLane(n, [&](std::size_t i) {
            Store(dst + i, shift + mult * (Load(&p[i]) - two_beta_over_pi * m.Log(Load(&q[i]))));
          });
        }
      });
}

template <class Math>
void StableSampler::FillWith(Rng& rng, std::span<double> out, const Math& m) const {
  switch (path_) {
    case Path::kGaussian:
      return FillPath<Path::kGaussian>(rng, out, m);
    case Path::kCauchy:
      return FillPath<Path::kCauchy>(rng, out, m);
    case Path::kSymmetric:
      return FillPath<Path::kSymmetric>(rng, out, m);
    case Path::kSkewed:
      return FillPath<Path::kSkewed>(rng, out, m);
    case Path::kAlphaOne:
      return FillPath<Path::kAlphaOne>(rng, out, m);
  }
}

void StableSampler::Fill(Rng& rng, std::span<double> out) const {
  FillWith(rng, out, VecMath{});
}

PrimitiveCounts StableSampler::CountPrimitives(Rng& rng, std::span<double> out) const {
  PrimitiveCounts counts;
  FillWith(rng, out, CountingMath(counts));
  return counts.PerValue(out.size());
}

double StableSampler::Sample(Rng& rng) const {
  double x = 0.0;
  Fill(rng, std::span<double>(&x, 1));
  return x;
}

namespace {

// Scale of the mixing variable A of the isotropic shape.
double MixingScale(double alpha) {
  return std::pow(std::cos(0.25 * kPi * alpha), 2.0 / alpha);
}

}  // namespace

StableNoise::StableNoise(const NoiseSpec& spec)
    : NoiseModel(spec),
      scalar_(spec.alpha, spec.skew, spec.scale, spec.loc),
      mixing_(spec.alpha < 2.0 ? StableSampler(0.5 * spec.alpha, 1.0, MixingScale(spec.alpha), 0.0)
                               : StableSampler(2.0, 0.0, 1.0, 0.0)) {}

double StableNoise::Sample(Rng& rng) const {
  return scalar_.Sample(rng);
}

void StableNoise::Fill(Rng& rng, std::span<double> out) const {
  scalar_.Fill(rng, out);
}

void StableNoise::SampleVector(Rng& rng, Eigen::Ref<Vector> out) const {
  if (spec().shape != Shape::kIsotropic) {
    Fill(rng, std::span<double>(out.data(), static_cast<std::size_t>(out.size())));
    return;
  }
  // Isotropic: A first (two draws; skipped at alpha = 2), then the Gaussian vector.
  const double a = spec().alpha < 2.0 ? mixing_.Sample(rng) : 1.0;
  FillStandardNormal(rng, std::span<double>(out.data(), static_cast<std::size_t>(out.size())));
  out *= std::sqrt(2.0 * a) * spec().scale;
}

void StableNoise::SampleBatch(Rng& rng, Eigen::Ref<Batch> out) const {
  if (spec().shape != Shape::kIsotropic) {
    FillIidBatch(*this, rng, out);
    return;
  }
  // Isotropic: the rows' A values first (one Fill), then all Gaussian coordinates row by row.
  std::vector<double> factors(static_cast<std::size_t>(out.rows()), 1.0);
  if (spec().alpha < 2.0) mixing_.Fill(rng, factors);
  for (double& f : factors) f = std::sqrt(2.0 * f) * spec().scale;
  if (out.cols() % 2 == 0 && (out.rows() <= 1 || out.outerStride() == out.cols())) {
    // Even rows end on a whole Box-Muller pair, so one fill over the adjacent rows takes the same
    // draws and gives the same values as a fill per row, without a partial vector per row.
    FillStandardNormal(rng, std::span<double>(out.data(), static_cast<std::size_t>(out.size())));
  } else {
    for (Eigen::Index i = 0; i < out.rows(); ++i) {
      FillStandardNormal(
          rng, std::span<double>(out.row(i).data(), static_cast<std::size_t>(out.cols())));
    }
  }
  ScaleRows(factors, out);
}

std::int64_t StableNoise::SplitRows(int) const {
  return spec().shape == Shape::kIsotropic ? 0 : 1;  // iid: one Fill, value by value
}

double StableNoise::TailIndex() const {
  return spec().alpha < 2.0 ? spec().alpha : kInf;
}

std::optional<double> StableNoise::Mean() const {
  if (spec().alpha > 1.0) return spec().loc;
  return std::nullopt;
}

MomentValue StableNoise::Moment(double p, int dim) const {
  detail::CheckMomentArguments(p, dim);
  const NoiseSpec& s = spec();
  if (!(p < TailIndex())) return {kInf, 0.0, true};
  const double scale_p = std::pow(s.scale, p);
  if (s.alpha == 2.0) {
    if (s.loc == 0.0) return {GaussianNormMoment(std::sqrt(2.0) * s.scale, p, dim), 0.0, true};
    const DensityCoordinate law(NormalDensity(std::sqrt(2.0)), s.loc / s.scale);
    MomentValue m = IidNormMoment(law, p, dim);
    return {m.value * scale_p, m.error_bound * scale_p, m.exact};
  }
  if (s.shape == Shape::kIsotropic) {
    const double mixing =
        boost::math::tgamma(1.0 - p / s.alpha) / boost::math::tgamma(1.0 - 0.5 * p);
    return {mixing * GaussianNormMoment(std::sqrt(2.0) * s.scale, p, dim), 0.0, true};
  }
  if (dim == 1 && s.loc == 0.0 && s.alpha == 1.0 && s.skew == 0.0) {
    return {scale_p / std::cos(0.5 * kPi * p), 0.0, true};
  }
  if (dim == 1 && s.loc == 0.0 && s.alpha != 1.0) {
    const double t = s.skew * std::tan(0.5 * kPi * s.alpha);
    const double value = (2.0 / kPi) * std::sin(0.5 * kPi * p) * boost::math::tgamma(p) *
                         boost::math::tgamma(1.0 - p / s.alpha) *
                         std::pow(1.0 + t * t, p / (2.0 * s.alpha)) *
                         std::cos((p / s.alpha) * std::atan(t)) * scale_p;
    return {value, 0.0, true};
  }
  const std::unique_ptr<CoordinateLaw> law = CoordinateOf(s);
  const MomentValue m = IidNormMoment(*law, p, dim);
  return {m.value * scale_p, m.error_bound * scale_p, m.exact};
}

}  // namespace clipsim::noise::detail
