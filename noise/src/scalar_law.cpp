#include "clipsim/noise/scalar_law.hpp"

#include <algorithm>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/noise/stable_distribution.hpp"
#include "iid_moment.hpp"
#include "two_point.hpp"

namespace clipsim::noise {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kTolerance = 1e-11;
constexpr unsigned kMaxDepth = 15;

// The density of one validated spec, with its constants computed once.
class Density {
 public:
  explicit Density(const NoiseSpec& spec) : spec_(spec) {
    switch (spec.kind) {
      case NoiseKind::kStudentT:
        symmetric_ = detail::StudentTDensity(spec.dof);
        break;
      case NoiseKind::kPareto:
        symmetric_ = detail::ParetoDensity(spec.tail);
        break;
      case NoiseKind::kLomax:
        symmetric_ = detail::LomaxDensity(spec.tail);
        break;
      case NoiseKind::kUniform:
        symmetric_ = detail::UniformDensity();
        break;
      case NoiseKind::kTwoPoint:  // no density: ScalarPdf refuses it, ScalarExpectation sums
        break;
      case NoiseKind::kGaussian:
      case NoiseKind::kContaminated:
        symmetric_ = detail::NormalDensity(1.0);
        break;
      case NoiseKind::kStable:
        stable_ = StableLaw{spec.alpha, spec.skew, spec.scale, spec.loc};
        break;
    }
    if (spec.kind == NoiseKind::kContaminated) {
      if (spec.other->kind == NoiseKind::kTwoPoint) {
        throw InputError("noise.other.kind", "two_point",
                         "a law with a density (a contaminated law with a two-point part has no "
                         "density)");
      }
      other_ = std::make_unique<Density>(*spec.other);
    }
  }

  double operator()(double x) const {
    switch (spec_.kind) {
      case NoiseKind::kStable:
        return stable_.Pdf(x);
      case NoiseKind::kContaminated:
        return (1.0 - spec_.eps) * Symmetric(x / spec_.scale) / spec_.scale +
               spec_.eps * (*other_)(x);
      case NoiseKind::kPareto:
        if (std::abs(x - spec_.loc) < spec_.scale) return 0.0;
        [[fallthrough]];
      case NoiseKind::kGaussian:
      case NoiseKind::kStudentT:
      case NoiseKind::kLomax:
      case NoiseKind::kUniform:
        return Symmetric((x - spec_.loc) / spec_.scale) / spec_.scale;
      case NoiseKind::kTwoPoint:
        break;
    }
    return 0.0;
  }

  // Where the density is not smooth or has its bulk: loc (0 for a contaminated spec's Gaussian
  // part), and the edges loc +- scale of Pareto's gap and of the uniform law's support.
  void Points(std::vector<double>& out) const {
    if (spec_.kind == NoiseKind::kContaminated) {
      out.push_back(0.0);
      other_->Points(out);
      return;
    }
    out.push_back(spec_.loc);
    if (spec_.kind == NoiseKind::kPareto || spec_.kind == NoiseKind::kUniform) {
      out.push_back(spec_.loc - spec_.scale);
      out.push_back(spec_.loc + spec_.scale);
    }
  }

 private:
  double Symmetric(double t) const {
    return std::exp(symmetric_.log_density(symmetric_, std::abs(t)));
  }

  NoiseSpec spec_;
  detail::SymmetricDensity symmetric_;
  StableLaw stable_;
  std::unique_ptr<Density> other_;
};

}  // namespace

double ScalarPdf(const NoiseSpec& spec, double x) {
  Validate(spec);
  if (spec.kind == NoiseKind::kTwoPoint) {
    throw InputError("noise.kind", "two_point",
                     "a law with a density (the two-point law has atoms: use ScalarExpectation)");
  }
  return Density(spec)(x);
}

ScalarEstimate ScalarExpectation(const NoiseSpec& spec, const std::function<double(double)>& h,
                                 std::span<const double> breakpoints) {
  Validate(spec);
  if (spec.kind == NoiseKind::kTwoPoint) {
    // Two atoms: the expectation is a finite sum, exact.
    const detail::TwoPointAtoms t = detail::TwoPointOf(spec.atom);
    return {
        t.q * h(spec.loc + spec.scale * t.high) + (1.0 - t.q) * h(spec.loc - spec.scale * t.low),
        0.0};
  }
  const Density pdf(spec);
  std::vector<double> cuts;
  for (double b : breakpoints) {
    if (std::isfinite(b)) cuts.push_back(b);
  }
  pdf.Points(cuts);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

  const auto integrand = [&](double x) {
    const double f = pdf(x);
    return f > 0.0 ? h(x) * f : 0.0;
  };
  ScalarEstimate out;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    double error = 0.0;
    out.value += boost::math::quadrature::gauss_kronrod<double, 31>::integrate(
        integrand, cuts[i], cuts[i + 1], kMaxDepth, kTolerance, &error);
    out.error += error;
  }
  // The tails, each in the coordinate u = distance beyond the outermost cut.
  boost::math::quadrature::exp_sinh<double> tail;
  double error = 0.0;
  const double right = cuts.back();
  out.value +=
      tail.integrate([&](double u) { return integrand(right + u); }, 0.0, kInf, kTolerance, &error);
  out.error += error;
  const double left = cuts.front();
  out.value +=
      tail.integrate([&](double u) { return integrand(left - u); }, 0.0, kInf, kTolerance, &error);
  out.error += error;
  return out;
}

}  // namespace clipsim::noise
