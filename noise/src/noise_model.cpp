// The factory, Sigma, and the mapping from specs to the one-coordinate laws of the numerical
// moments.
#include "clipsim/noise/noise_model.hpp"

#include <cmath>

#include "clipsim/core/check.hpp"
#include "iid_moment.hpp"
#include "models.hpp"
#include "moment_arguments.hpp"
#include "two_point.hpp"

namespace clipsim::noise {

double NoiseModel::Sigma(double p, int dim) const {
  return std::pow(Moment(p, dim).value, 1.0 / p);
}

std::int64_t NoiseModel::SplitRows(int) const {
  return 0;
}

std::unique_ptr<NoiseModel> MakeNoise(const NoiseSpec& spec) {
  Validate(spec);
  switch (spec.kind) {
    case NoiseKind::kStable:
      return std::make_unique<detail::StableNoise>(spec);
    case NoiseKind::kPareto:
      return std::make_unique<detail::ParetoNoise>(spec);
    case NoiseKind::kStudentT:
      return std::make_unique<detail::StudentTNoise>(spec);
    case NoiseKind::kGaussian:
      return std::make_unique<detail::GaussianNoise>(spec);
    case NoiseKind::kContaminated:
      return std::make_unique<detail::ContaminatedNoise>(spec);
    case NoiseKind::kTwoPoint:
      return std::make_unique<detail::TwoPointNoise>(spec);
    case NoiseKind::kLomax:
      return std::make_unique<detail::LomaxNoise>(spec);
    case NoiseKind::kUniform:
      return std::make_unique<detail::UniformNoise>(spec);
  }
  Fail("MakeNoise: a NoiseKind without a model");
}

MomentValue IntegratedIidMoment(const NoiseSpec& spec, double p, int dim) {
  Validate(spec);
  detail::CheckMomentArguments(p, dim);
  if (spec.kind == NoiseKind::kContaminated) {
    NoiseSpec gaussian;
    gaussian.kind = NoiseKind::kGaussian;
    gaussian.scale = spec.scale;
    const MomentValue g = IntegratedIidMoment(gaussian, p, dim);
    const MomentValue o = IntegratedIidMoment(*spec.other, p, dim);
    if (spec.eps == 0.0) return g;
    if (spec.eps == 1.0 || std::isinf(o.value)) return o;
    return {(1.0 - spec.eps) * g.value + spec.eps * o.value,
            (1.0 - spec.eps) * g.error_bound + spec.eps * o.error_bound, false};
  }
  const std::unique_ptr<detail::CoordinateLaw> law = detail::CoordinateOf(spec);
  const MomentValue m = detail::IidNormMoment(*law, p, dim);
  const double scale_p = std::pow(spec.scale, p);
  return {m.value * scale_p, m.error_bound * scale_p, m.exact};
}

namespace detail {

std::unique_ptr<CoordinateLaw> CoordinateOf(const NoiseSpec& spec) {
  const double c = spec.loc / spec.scale;
  switch (spec.kind) {
    case NoiseKind::kStable: {
      if (spec.alpha == 2.0)
        return std::make_unique<DensityCoordinate>(NormalDensity(std::sqrt(2.0)), c);
      // At alpha = 1 the S1 scale also shifts the law: X / scale = T + loc / scale +
      // (2/pi) skew log(scale).
      const double shift =
          spec.alpha == 1.0 ? (2.0 / 3.141592653589793238462643) * spec.skew * std::log(spec.scale)
                            : 0.0;
      return std::make_unique<StableCoordinate>(spec.alpha, spec.skew, c + shift);
    }
    case NoiseKind::kPareto:
      return std::make_unique<DensityCoordinate>(ParetoDensity(spec.tail), c);
    case NoiseKind::kStudentT:
      return std::make_unique<DensityCoordinate>(StudentTDensity(spec.dof), c);
    case NoiseKind::kGaussian:
      return std::make_unique<DensityCoordinate>(NormalDensity(1.0), c);
    case NoiseKind::kTwoPoint:
      return std::make_unique<TwoPointCoordinate>(spec.atom, c);
    case NoiseKind::kLomax:
      return std::make_unique<DensityCoordinate>(LomaxDensity(spec.tail), c);
    case NoiseKind::kUniform:
      return std::make_unique<DensityCoordinate>(UniformDensity(), c);
    case NoiseKind::kContaminated:
      break;
  }
  Fail("CoordinateOf: contaminated laws have no single coordinate law");
}

}  // namespace detail
}  // namespace clipsim::noise
