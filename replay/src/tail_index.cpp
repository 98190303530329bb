#include "clipsim/replay/tail_index.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace clipsim::replay {
namespace {

constexpr double kZ975 = 1.959963984540054;  // standard normal 0.975 quantile (95% two-sided)
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Wilson & Hilferty (1931): chi^2_nu quantile ~ nu (1 - 2/(9 nu) + z sqrt(2/(9 nu)))^3.
double ChiSquareQuantile(double nu, double z) {
  const double c = 2.0 / (9.0 * nu);
  const double t = 1.0 - c + z * std::sqrt(c);
  return nu * t * t * t;
}

// alpha = 1/gamma; gamma <= 0 means a light (or bounded) tail: alpha = +inf.
double InvertGamma(double gamma) {
  return gamma > 0.0 ? 1.0 / gamma : kInf;
}

}  // namespace

TailReport EstimateTail(std::vector<double> samples, int64_t k) {
  samples.erase(std::remove_if(samples.begin(), samples.end(),
                               [](double x) { return !(x > 0.0) || !std::isfinite(x); }),
                samples.end());
  TailReport report;
  report.n = static_cast<int64_t>(samples.size());
  report.k = k > 0 ? k : static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(report.n))));
  report.hill = {kNaN, kNaN, kNaN};
  report.moment = {kNaN, kNaN, kNaN};
  if (report.k < 10 || report.k >= report.n) return report;

  // The k + 1 largest values, in decreasing order.
  const auto kk = static_cast<std::size_t>(report.k);
  std::partial_sort(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(kk + 1),
                    samples.end(), std::greater<double>());
  const double log_threshold = std::log(samples[kk]);
  double m1 = 0.0;
  double m2 = 0.0;
  for (std::size_t i = 0; i < kk; ++i) {
    const double l = std::log(samples[i]) - log_threshold;
    m1 += l;
    m2 += l * l;
  }
  const double kd = static_cast<double>(report.k);
  m1 /= kd;
  m2 /= kd;

  // Hill.
  if (m1 > 0.0) {
    const double nu = 2.0 * kd;
    report.hill.alpha = 1.0 / m1;
    report.hill.lo = ChiSquareQuantile(nu, -kZ975) / (nu * m1);
    report.hill.hi = ChiSquareQuantile(nu, kZ975) / (nu * m1);
  }

  // Moment estimator.
  if (m2 > 0.0) {
    const double gamma = m1 + 1.0 - 0.5 / (1.0 - m1 * m1 / m2);
    const double half = kZ975 * std::sqrt((1.0 + gamma * gamma) / kd);
    report.moment.alpha = InvertGamma(gamma);
    report.moment.lo = InvertGamma(gamma + half);
    report.moment.hi = InvertGamma(gamma - half);
  }
  return report;
}

}  // namespace clipsim::replay
