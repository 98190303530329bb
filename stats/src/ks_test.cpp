#include "clipsim/stats/ks_test.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "clipsim/core/input_error.hpp"

namespace clipsim::stats {
namespace {

constexpr double kPi = 3.141592653589793238462643383279502884;
// Decreases of the CDF values up to this size are taken as rounding of a numerical CDF and
// absorbed by a running maximum; larger ones mean an unsorted sample or a broken CDF.
constexpr double kMonotoneSlack = 1e-9;

// A sample or argument a caller passed that the test cannot take (its data, not a bug here).
[[noreturn]] void Fail(const std::string& message) {
  throw InputError(message);
}

// Keeps a matrix's largest magnitude near 1 by moving powers of two into a separate exponent, so
// that H^n (entries up to about e^n) never overflows.
void Rescale(Eigen::MatrixXd& matrix, long& exponent) {
  const double largest = matrix.cwiseAbs().maxCoeff();
  if (largest == 0.0 || !std::isfinite(largest)) return;
  int e = 0;
  std::frexp(largest, &e);
  if (e > 64 || e < -64) {
    matrix *= std::ldexp(1.0, -e);
    exponent += e;
  }
}

}  // namespace

double KolmogorovSmirnovCdfExact(double d, std::size_t n) {
  if (n == 0) Fail("KolmogorovSmirnovCdfExact: n must be >= 1");
  if (std::isnan(d)) return std::numeric_limits<double>::quiet_NaN();
  const double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;  // D_n >= 1/(2n) always
  if (d >= 1.0) return 1.0;
  // Marsaglia, Tsang & Wang (2003): P(D_n < d) = n!/n^n (H^n)_{kk}, with k = floor(n d) + 1,
  // h = k - n d in (0, 1], and the (2k-1) x (2k-1) matrix H below.
  const long k = static_cast<long>(std::floor(nd)) + 1;
  const long m = 2 * k - 1;
  const double h = static_cast<double>(k) - nd;
  Eigen::MatrixXd H(m, m);
  for (long i = 0; i < m; ++i) {
    for (long j = 0; j < m; ++j) H(i, j) = (i - j + 1 >= 0) ? 1.0 : 0.0;
  }
  for (long i = 0; i < m; ++i) {
    H(i, 0) -= std::pow(h, static_cast<double>(i + 1));
    H(m - 1, i) -= std::pow(h, static_cast<double>(m - i));
  }
  if (2.0 * h - 1.0 > 0.0) H(m - 1, 0) += std::pow(2.0 * h - 1.0, static_cast<double>(m));
  for (long i = 0; i < m; ++i) {
    for (long j = 0; j <= i; ++j) {
      // Divide by (i - j + 1)!.
      H(i, j) /= std::exp(std::lgamma(static_cast<double>(i - j + 2)));
    }
  }
  // H^n by repeated squaring, each factor with its own power-of-two exponent.
  Eigen::MatrixXd result = Eigen::MatrixXd::Identity(m, m);
  long result_exponent = 0;
  Eigen::MatrixXd base = H;
  long base_exponent = 0;
  for (std::size_t power = n;;) {
    if (power & 1u) {
      result = (result * base).eval();
      result_exponent += base_exponent;
      Rescale(result, result_exponent);
    }
    power >>= 1;
    if (power == 0) break;
    base = (base * base).eval();
    base_exponent *= 2;
    Rescale(base, base_exponent);
  }
  const double corner = result(k - 1, k - 1);
  if (!(corner > 0.0)) return 0.0;
  const double n_real = static_cast<double>(n);
  const double log_value = std::log(corner) + static_cast<double>(result_exponent) * std::log(2.0) +
                           std::lgamma(n_real + 1.0) - n_real * std::log(n_real);
  return std::clamp(std::exp(log_value), 0.0, 1.0);
}

double KolmogorovSf(double t) {
  if (std::isnan(t)) return t;
  if (t <= 0.0) return 1.0;
  if (t < 1.0) {
    // 1 - K(t) with K(t) = (sqrt(2 pi) / t) sum_{k>=1} exp(-(2k - 1)^2 pi^2 / (8 t^2)).
    double sum = 0.0;
    for (int j = 1; j <= 50; ++j) {
      const double odd = 2.0 * j - 1.0;
      const double term = std::exp(-odd * odd * kPi * kPi / (8.0 * t * t));
      sum += term;
      if (term < 1e-18 * sum) break;
    }
    return std::clamp(1.0 - std::sqrt(2.0 * kPi) / t * sum, 0.0, 1.0);
  }
  double sum = 0.0;
  for (int j = 1; j <= 100; ++j) {
    const double term = std::exp(-2.0 * j * j * t * t);
    sum += (j % 2 == 1) ? term : -term;
    if (term < 1e-18 * sum || term == 0.0) break;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

double KolmogorovSmirnovPValue(double d, std::size_t n) {
  if (n == 0) Fail("KolmogorovSmirnovPValue: n must be >= 1");
  if (std::isnan(d)) return std::numeric_limits<double>::quiet_NaN();
  const double n_real = static_cast<double>(n);
  if (n_real * d <= 0.5) return 1.0;
  if (d >= 1.0) return 0.0;
  if (n <= kKsExactMaxN) {
    if (std::floor(n_real * d) + 1.0 > static_cast<double>(kKsExactMaxOrder)) {
      // Far right tail (p < 1e-19 for n <= 1000): Marsaglia-Tsang-Wang's right-tail formula keeps
      // the matrix small.
      const double s = n_real * d * d;
      return std::clamp(
          2.0 * std::exp(-(2.000071 + 0.331 / std::sqrt(n_real) + 1.409 / n_real) * s), 0.0, 1.0);
    }
    return std::clamp(1.0 - KolmogorovSmirnovCdfExact(d, n), 0.0, 1.0);
  }
  const double root_n = std::sqrt(n_real);
  return KolmogorovSf(d * (root_n + 0.12 + 0.11 / root_n));
}

KsResult KsTestFromSortedCdfValues(std::span<const double> cdf_values) {
  if (cdf_values.empty()) Fail("KS test: the sample is empty");
  KsResult result;
  result.n = cdf_values.size();
  const double n_real = static_cast<double>(result.n);
  double previous = 0.0;
  for (std::size_t i = 0; i < cdf_values.size(); ++i) {
    double u = cdf_values[i];
    if (!(u >= 0.0 && u <= 1.0)) {
      std::ostringstream message;
      message << "KS test: CDF value " << u << " at order statistic " << i + 1
              << " is not in [0, 1]";
      Fail(message.str());
    }
    if (u < previous - kMonotoneSlack) {
      Fail("KS test: CDF values must be nondecreasing (sort the sample)");
    }
    u = std::max(u, previous);  // absorbs a numerical CDF's rounding
    previous = u;
    const double index = static_cast<double>(i);
    result.d_plus = std::max(result.d_plus, (index + 1.0) / n_real - u);
    result.d_minus = std::max(result.d_minus, u - index / n_real);
  }
  result.statistic = std::max(result.d_plus, result.d_minus);
  result.p_value = KolmogorovSmirnovPValue(result.statistic, result.n);
  return result;
}

KsResult KsTest(std::span<const double> sample, const std::function<double(double)>& cdf) {
  std::vector<double> sorted(sample.begin(), sample.end());
  for (double x : sorted) {
    if (std::isnan(x)) Fail("KS test: the sample contains NaN");
  }
  std::sort(sorted.begin(), sorted.end());
  for (double& x : sorted) x = cdf(x);
  return KsTestFromSortedCdfValues(sorted);
}

KsBounds KsStatisticBounds(std::span<const double> sample, const std::function<double(double)>& cdf,
                           std::size_t stride) {
  if (sample.empty()) Fail("KS bounds: the sample is empty");
  if (stride == 0) Fail("KS bounds: stride must be >= 1");
  std::vector<double> sorted(sample.begin(), sample.end());
  for (double x : sorted) {
    if (std::isnan(x)) Fail("KS bounds: the sample contains NaN");
  }
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  const double n_real = static_cast<double>(n);
  KsBounds bounds;
  bounds.n = n;
  std::size_t previous_index = 0;
  double previous_value = 0.0;
  bool have_previous = false;
  for (std::size_t i = 0;; i = std::min(i + stride, n - 1)) {
    const double u = cdf(sorted[i]);
    ++bounds.evaluations;
    if (!(u >= 0.0 && u <= 1.0)) Fail("KS bounds: the CDF returned a value outside [0, 1]");
    const double index = static_cast<double>(i);
    // Exact terms at an evaluated order statistic (0-based i: F_n jumps from i/n to (i+1)/n).
    const double exact = std::max((index + 1.0) / n_real - u, u - index / n_real);
    bounds.lower = std::max(bounds.lower, exact);
    bounds.upper = std::max(bounds.upper, exact);
    if (have_previous && i > previous_index + 1) {
      // Skipped order statistics j in (previous_index, i): previous_value <= F(x_(j)) <= u.
      const double before = static_cast<double>(previous_index);
      bounds.upper = std::max(bounds.upper, index / n_real - previous_value);
      bounds.upper = std::max(bounds.upper, u - (before + 1.0) / n_real);
    }
    previous_index = i;
    previous_value = u;
    have_previous = true;
    if (i == n - 1) break;
  }
  return bounds;
}

double DkwHalfWidth(std::size_t n, double false_alarm) {
  if (n == 0) Fail("DkwHalfWidth: n must be >= 1");
  if (!(false_alarm > 0.0 && false_alarm < 1.0))
    Fail("DkwHalfWidth: false_alarm must be in (0, 1)");
  return std::sqrt(std::log(2.0 / false_alarm) / (2.0 * static_cast<double>(n)));
}

}  // namespace clipsim::stats
