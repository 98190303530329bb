#include "clipsim/stats/tail_index.hpp"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/core/input_error.hpp"

namespace clipsim::stats {
namespace {

constexpr double kPi = 3.141592653589793238462643383279502884;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string Format(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Two-sided standard normal quantile z_{(1 + confidence)/2}.
double NormalQuantile(double confidence) {
  return std::sqrt(2.0) * boost::math::erf_inv(confidence);
}

// The largest `count` values of the sample, in decreasing order.
std::vector<double> UpperOrderStatistics(std::vector<double> values, std::size_t count) {
  for (double x : values) {
    if (!std::isfinite(x)) {
      throw InputError("tail index: the sample holds a non-finite value (" + Format(x) +
                       "); pass finite values only");
    }
  }
  auto middle = values.begin() + static_cast<std::ptrdiff_t>(count);
  std::nth_element(values.begin(), middle - 1, values.end(), std::greater<>());
  values.resize(count);
  std::sort(values.begin(), values.end(), std::greater<>());
  return values;
}

// A normal interval for gamma = 1/alpha mapped to alpha.
void SetFromGammaInterval(TailIndexEstimate& result, double gamma_hat, double gamma_sd, double z) {
  const double gamma_lo = gamma_hat - z * gamma_sd;
  const double gamma_hi = gamma_hat + z * gamma_sd;
  result.estimate = gamma_hat > 0.0 ? 1.0 / gamma_hat : kInf;
  result.lower = gamma_hi > 0.0 ? 1.0 / gamma_hi : kInf;
  result.upper = gamma_lo > 0.0 ? 1.0 / gamma_lo : kInf;
}

}  // namespace

std::string_view ToString(TailIndexMethod method) {
  switch (method) {
    case TailIndexMethod::kHill:
      return "hill";
    case TailIndexMethod::kMoment:
      return "moment";
    case TailIndexMethod::kPickands:
      return "pickands";
  }
  return "unknown";
}

std::optional<TailIndexMethod> TailIndexMethodFromString(std::string_view text) {
  for (TailIndexMethod method :
       {TailIndexMethod::kHill, TailIndexMethod::kMoment, TailIndexMethod::kPickands}) {
    if (ToString(method) == text) return method;
  }
  return std::nullopt;
}

std::size_t MinimumSampleSize(TailIndexMethod method) {
  return method == TailIndexMethod::kPickands ? 4 : 3;
}

std::size_t DefaultTailCount(std::size_t n, TailIndexMethod method) {
  if (n < MinimumSampleSize(method)) return 0;
  auto k = static_cast<std::size_t>(std::floor(std::sqrt(static_cast<double>(n))));
  if (method == TailIndexMethod::kPickands) return std::clamp<std::size_t>(k, 1, n / 4);
  return std::clamp<std::size_t>(k, 2, n - 1);
}

void Validate(const TailIndexOptions& options, std::size_t n) {
  if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
    throw InputError("confidence", Format(options.confidence), "in (0, 1)");
  }
  if (n < MinimumSampleSize(options.method)) {
    throw InputError("sample size", std::to_string(n),
                     ">= " + std::to_string(MinimumSampleSize(options.method)) + " for " +
                         std::string(ToString(options.method)));
  }
  if (options.k == 0) return;
  if (options.method == TailIndexMethod::kPickands) {
    if (options.k > n / 4) {
      throw InputError("k", std::to_string(options.k),
                       "in [1, n/4] = [1, " + std::to_string(n / 4) + "] for pickands");
    }
  } else if (options.k < 2 || options.k > n - 1) {
    throw InputError("k", std::to_string(options.k),
                     "in [2, n - 1] = [2, " + std::to_string(n - 1) + "] for " +
                         std::string(ToString(options.method)));
  }
}

TailIndexEstimate EstimateTailIndex(std::vector<double> sample, const TailIndexOptions& options) {
  Validate(options, sample.size());
  const std::size_t n = sample.size();
  const std::size_t k = options.k != 0 ? options.k : DefaultTailCount(n, options.method);
  const double z = NormalQuantile(options.confidence);
  const double k_real = static_cast<double>(k);
  TailIndexEstimate result;
  result.k = k;
  result.method = options.method;
  result.confidence = options.confidence;

  if (options.method == TailIndexMethod::kPickands) {
    const std::vector<double> top = UpperOrderStatistics(std::move(sample), 4 * k);
    const double upper_gap = top[k - 1] - top[2 * k - 1];
    const double lower_gap = top[2 * k - 1] - top[4 * k - 1];
    if (!(upper_gap > 0.0 && lower_gap > 0.0)) {
      throw InputError(
          "tail index (pickands): tied order statistics X_(k), X_(2k), X_(4k); use another k");
    }
    const double gamma_hat = std::log(upper_gap / lower_gap) / std::log(2.0);
    // Asymptotic variance (de Haan & Ferreira 2006, Theorem 3.3.5), with its gamma -> 0 limit.
    const double log2 = std::log(2.0);
    double variance;
    if (std::fabs(gamma_hat) < 1e-8) {
      variance = 3.0 / (4.0 * std::pow(log2, 4));
    } else {
      const double denominator = 2.0 * (std::pow(2.0, gamma_hat) - 1.0) * log2;
      variance = gamma_hat * gamma_hat * (std::pow(2.0, 2.0 * gamma_hat + 1.0) + 1.0) /
                 (denominator * denominator);
    }
    SetFromGammaInterval(result, gamma_hat, std::sqrt(variance / k_real), z);
    return result;
  }

  const std::vector<double> top = UpperOrderStatistics(std::move(sample), k + 1);
  const double threshold = top[k];
  if (!(threshold > 0.0)) {
    throw InputError("tail index (" + std::string(ToString(options.method)) + "): X_(k+1) = " +
                     Format(threshold) + " is not positive; the k + 1 largest values must be > 0");
  }
  double m1 = 0.0;
  double m2 = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    const double excess = std::log(top[i] / threshold);
    m1 += excess;
    m2 += excess * excess;
  }
  m1 /= k_real;
  m2 /= k_real;
  if (!(m1 > 0.0)) {
    throw InputError("tail index: the k + 1 largest values are all equal; use a larger k");
  }

  if (options.method == TailIndexMethod::kHill) {
    const double alpha_hat = 1.0 / m1;
    result.estimate = alpha_hat;
    if (options.hill_interval == HillInterval::kGamma) {
      // k alpha / alpha_hat ~ Gamma(k, 1) under a Pareto tail above X_(k+1).
      const double tail = 0.5 * (1.0 - options.confidence);
      result.lower = alpha_hat * boost::math::gamma_p_inv(k_real, tail) / k_real;
      result.upper = alpha_hat * boost::math::gamma_q_inv(k_real, tail) / k_real;
    } else {
      result.lower = std::max(0.0, alpha_hat * (1.0 - z / std::sqrt(k_real)));
      result.upper = alpha_hat * (1.0 + z / std::sqrt(k_real));
    }
    return result;
  }

  // Moment estimator (Dekkers, Einmahl & de Haan 1989).
  const double gamma_hat = m1 + 1.0 - 0.5 / (1.0 - m1 * m1 / m2);
  double variance;
  if (gamma_hat >= 0.0) {
    variance = 1.0 + gamma_hat * gamma_hat;
  } else {
    const double g = gamma_hat;
    variance = (1.0 - g) * (1.0 - g) * (1.0 - 2.0 * g) * (1.0 - g + 6.0 * g * g) /
               ((1.0 - 3.0 * g) * (1.0 - 4.0 * g));
  }
  SetFromGammaInterval(result, gamma_hat, std::sqrt(variance / k_real), z);
  return result;
}

double HillStableBias(double alpha) {
  if (!(alpha > 0.0 && alpha < 2.0)) {
    throw InputError("HillStableBias: alpha is " + Format(alpha) + ", but must be in (0, 2)");
  }
  const double c1 = std::tgamma(alpha) * std::sin(kPi * alpha / 2.0) / kPi;
  const double c2 = -std::tgamma(2.0 * alpha) * std::sin(kPi * alpha) / (2.0 * kPi);
  return c2 / (4.0 * c1 * c1);
}

}  // namespace clipsim::stats
