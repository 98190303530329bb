#include "clipsim/replay/tail_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>

#include "clipsim/core/input_error.hpp"
#include "clipsim/stats/tail_index.hpp"

namespace clipsim::replay {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kConfidence = 0.95;

// One estimator of stats/ at k (which EstimateTail has checked: 10 <= k < n).
TailEstimate Estimate(std::vector<double> samples, int64_t k, stats::TailIndexMethod method) {
  stats::TailIndexOptions options;
  options.method = method;
  options.k = static_cast<std::size_t>(k);
  options.confidence = kConfidence;  // Hill: the exact Gamma interval, stats' default
  try {
    const stats::TailIndexEstimate e = stats::EstimateTailIndex(std::move(samples), options);
    return {e.estimate, e.lower, e.upper};
  } catch (const InputError&) {
    // The k + 1 largest values are all equal: there is no tail to estimate.
    return {kNaN, kNaN, kNaN};
  }
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
  report.hill = Estimate(samples, report.k, stats::TailIndexMethod::kHill);
  report.moment = Estimate(std::move(samples), report.k, stats::TailIndexMethod::kMoment);
  return report;
}

}  // namespace clipsim::replay
