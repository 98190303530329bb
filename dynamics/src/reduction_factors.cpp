#include "clipsim/dynamics/reduction_factors.hpp"

#include <algorithm>
#include <array>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/scalar_law.hpp"

namespace clipsim::dynamics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Grid of the table: 40 nodes per decade of s = sqrt(2R), s from 1e-12 to 1e12.
const double kStep = std::log(10.0) / 40.0;
constexpr int kMaxNode = 480;

double NormalPdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}

// P(a < U < b) for U standard normal, a <= b, without cancellation in either tail.
double NormalInterval(double a, double b) {
  constexpr double r = std::numbers::sqrt2 / 2.0;  // 1 / sqrt(2)
  if (a >= 0.0) return 0.5 * (std::erfc(a * r) - std::erfc(b * r));
  if (b <= 0.0) return 0.5 * (std::erfc(-b * r) - std::erfc(-a * r));
  return 1.0 - 0.5 * std::erfc(-a * r) - 0.5 * std::erfc(b * r);
}

// For z ~ N(m, S^2): P(|z| < c) and E min(z^2, c^2). With y = m + S u and [alpha, beta] the
// interval of u where |y| < c, E[y^2; |y| < c] = m^2 P + 2 m S (phi(alpha) - phi(beta))
// + S^2 (P + alpha phi(alpha) - beta phi(beta)).
Factors GaussianResidual(double m, double sd, double c) {
  if (!(c < kInf)) return {1.0, m * m + sd * sd, kInf};
  if (!(sd > 0.0)) return {std::abs(m) < c ? 1.0 : 0.0, std::min(m * m, c * c), c};
  const double alpha = (-c - m) / sd;
  const double beta = (c - m) / sd;
  const double p = NormalInterval(alpha, beta);
  const double fa = NormalPdf(alpha);
  const double fb = NormalPdf(beta);
  const double inside =
      m * m * p + 2.0 * m * sd * (fa - fb) + sd * sd * (p + alpha * fa - beta * fb);
  return {p, std::max(inside, 0.0) + c * c * (1.0 - p), c};
}

// Whether eps is Gaussian (or absent): then z = w - eps ~ N(-loc, s^2 + var).
bool GaussianLabelNoise(const ClipSetting& s, double& loc, double& var) {
  loc = 0.0;
  var = 0.0;
  if (!s.noise) return true;
  const noise::NoiseSpec& n = *s.noise;
  if (n.kind == noise::NoiseKind::kGaussian) {
    loc = n.loc;
    var = n.scale * n.scale;
    return true;
  }
  if (n.kind == noise::NoiseKind::kStable && n.alpha == 2.0) {
    loc = n.loc;
    var = 2.0 * n.scale * n.scale;  // S1 with alpha = 2: variance 2 scale^2
    return true;
  }
  return false;
}

// mu and nu at threshold c on |z| and s = sqrt(2R).
Factors FactorsAtThreshold(const ClipSetting& setting, double c, double s) {
  double loc = 0.0;
  double var = 0.0;
  if (GaussianLabelNoise(setting, loc, var)) {
    return GaussianResidual(-loc, std::sqrt(s * s + var), c);
  }
  if (!(c < kInf)) return {1.0, s * s + NoiseSecondMoment(setting), kInf};
  const std::array<double, 6> cuts = {-c - 8.0 * s, -c, -c + 8.0 * s, c - 8.0 * s, c, c + 8.0 * s};
  const noise::NoiseSpec& law = *setting.noise;
  Factors f;
  f.threshold = c;
  f.mu = noise::ScalarExpectation(
             law, [&](double e) { return GaussianResidual(-e, s, c).mu; }, cuts)
             .value;
  f.nu = noise::ScalarExpectation(
             law, [&](double e) { return GaussianResidual(-e, s, c).nu; }, cuts)
             .value;
  f.mu = std::clamp(f.mu, 0.0, 1.0);
  f.nu = std::max(f.nu, 0.0);
  return f;
}

// The median m of |z| at s: P(|z| < m) = 1/2 (TOMS 748, 52 bits).
double MedianResidual(const ClipSetting& setting, double s) {
  if (!setting.noise && !(s > 0.0)) return 0.0;  // z = 0 exactly
  const auto excess = [&](double c) { return FactorsAtThreshold(setting, c, s).mu - 0.5; };
  double hi = s > 0.0 ? s : 1.0;
  if (setting.noise) hi = std::max(hi, setting.noise->scale);
  while (excess(hi) < 0.0) hi *= 2.0;
  double lo = hi / 2.0;
  while (lo > 1e-300 && excess(lo) > 0.0) lo /= 2.0;
  if (excess(lo) > 0.0) return lo;  // an atom of |z| at 0 holds half the mass
  std::uintmax_t iterations = 200;
  const auto r = boost::math::tools::toms748_solve(
      excess, lo, hi, boost::math::tools::eps_tolerance<double>(52), iterations);
  return 0.5 * (r.first + r.second);
}

void Check(const ClipSetting& s) {
  if (s.noise) noise::Validate(*s.noise);
  if (!(s.trace > 0.0) || !std::isfinite(s.trace)) {
    throw InputError("trace", ShortestText(s.trace), "Tr K must be a finite number > 0");
  }
  if (s.rule != ThresholdRule::kNone && !(s.parameter > 0.0)) {
    throw InputError(s.rule == ThresholdRule::kFixed ? "clip_threshold" : "clip_ratio",
                     ShortestText(s.parameter), "must be > 0");
  }
  if (s.rule == ThresholdRule::kMedianRatio && !std::isfinite(s.parameter)) {
    throw InputError("clip_ratio", ShortestText(s.parameter), "must be finite");
  }
}

}  // namespace

double NoiseSecondMoment(const ClipSetting& setting) {
  if (!setting.noise) return 0.0;
  return noise::MakeNoise(*setting.noise)->Moment(2.0, 1).value;
}

Factors ExactFactors(const ClipSetting& setting, double risk) {
  Check(setting);
  const double s = std::sqrt(2.0 * std::max(risk, 0.0));
  switch (setting.rule) {
    case ThresholdRule::kNone:
      return FactorsAtThreshold(setting, kInf, s);
    case ThresholdRule::kFixed:
      return FactorsAtThreshold(setting, setting.parameter / std::sqrt(setting.trace), s);
    case ThresholdRule::kMedianRatio:
      return FactorsAtThreshold(setting, setting.parameter * MedianResidual(setting, s), s);
  }
  return {};
}

double Ccc(const ClipSetting& setting, const Factors& f, double risk) {
  if (setting.rule == ThresholdRule::kNone || !(f.threshold < kInf)) return 1.0;
  const double m2 = NoiseSecondMoment(setting);
  if (!std::isfinite(m2)) return kInf;
  return f.mu * f.mu * (2.0 * std::max(risk, 0.0) + m2) / f.nu;
}

ReductionTable::ReductionTable(ClipSetting setting) : setting_(std::move(setting)) {
  Check(setting_);
  double loc = 0.0;
  double var = 0.0;
  const bool unclipped = setting_.rule == ThresholdRule::kNone ||
                         (setting_.rule == ThresholdRule::kFixed && !(setting_.parameter < kInf));
  if (unclipped) setting_.rule = ThresholdRule::kNone;
  closed_form_ = unclipped ||
                 (setting_.rule == ThresholdRule::kFixed && GaussianLabelNoise(setting_, loc, var));
}

const ReductionTable::Node& ReductionTable::NodeAt(int j) {
  const auto it = nodes_.find(j);
  if (it != nodes_.end()) return it->second;
  const double s = std::exp(j * kStep);
  const Factors f = ExactFactors(setting_, 0.5 * s * s);
  return nodes_[j] = Node{f.mu, std::log(f.nu), std::log(f.threshold)};
}

Factors ReductionTable::At(double risk) {
  if (closed_form_) return ExactFactors(setting_, risk);
  const double s = std::sqrt(2.0 * std::max(risk, 0.0));
  const double u = s > 0.0 ? std::log(s) / kStep : -kInf;
  if (!(u > -kMaxNode + 1) || !(u < kMaxNode - 2)) return ExactFactors(setting_, risk);
  const int j0 = static_cast<int>(std::floor(u));
  const double t = u - j0;
  // 4-point Lagrange weights on the nodes j0 - 1, j0, j0 + 1, j0 + 2.
  const std::array<double, 4> w = {
      -t * (t - 1.0) * (t - 2.0) / 6.0, (t + 1.0) * (t - 1.0) * (t - 2.0) / 2.0,
      -(t + 1.0) * t * (t - 2.0) / 2.0, (t + 1.0) * t * (t - 1.0) / 6.0};
  double mu = 0.0;
  double log_nu = 0.0;
  double log_c = 0.0;
  for (int k = 0; k < 4; ++k) {
    const Node& n = NodeAt(j0 - 1 + k);
    mu += w[static_cast<std::size_t>(k)] * n.mu;
    log_nu += w[static_cast<std::size_t>(k)] * n.log_nu;
    log_c += w[static_cast<std::size_t>(k)] * n.log_threshold;
  }
  return {std::clamp(mu, 0.0, 1.0), std::exp(log_nu), std::exp(log_c)};
}

}  // namespace clipsim::dynamics
