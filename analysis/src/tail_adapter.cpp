#include "tail_adapter.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/stats/tail_index.hpp"

namespace clipsim::analysis::detail {
namespace {

using stats::EstimateTailIndex;
using stats::MinimumSampleSize;
using stats::TailIndexEstimate;
using stats::TailIndexMethod;
using stats::TailIndexOptions;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Fewest finite positive draws for which a tail index is attempted: with the default
// k = floor(sqrt(n)) this is k = 4 upper order statistics, below which the interval says nothing.
constexpr std::size_t kMinimumDraws = 16;

TailEstimate Estimate(std::span<const double> draws, double confidence, TailIndexMethod method) {
  TailEstimate out;
  out.method = std::string(ToString(method));
  out.estimate = out.lower = out.upper = kNaN;
  std::vector<double> sample;
  sample.reserve(draws.size());
  for (double x : draws) {
    if (std::isfinite(x) && x > 0.0) sample.push_back(x);
  }
  if (sample.size() < std::max(kMinimumDraws, MinimumSampleSize(method))) {
    out.note = "too few finite positive draws (" + std::to_string(sample.size()) + ")";
    return out;
  }
  TailIndexOptions options;
  options.method = method;
  options.confidence = confidence;
  try {
    const std::size_t n = sample.size();
    const TailIndexEstimate e = EstimateTailIndex(std::move(sample), options);
    out.estimate = e.estimate;
    out.lower = e.lower;
    out.upper = e.upper;
    out.k = static_cast<int>(e.k);
    out.ok = true;
    out.note = "k = floor(sqrt(n)) = " + std::to_string(e.k) + " of n = " + std::to_string(n) +
               " finite positive draws";
  } catch (const InputError& e) {
    // Tied top values (a metric that saturates) and the like: no tail to estimate.
    out.note = e.what();
  }
  return out;
}

}  // namespace

TailEstimate HillTailIndex(std::span<const double> draws, double confidence) {
  return Estimate(draws, confidence, TailIndexMethod::kHill);
}

std::vector<TailEstimate> NoiseTailIndices(std::span<const double> draws, double confidence) {
  return {Estimate(draws, confidence, TailIndexMethod::kHill),
          Estimate(draws, confidence, TailIndexMethod::kMoment)};
}

}  // namespace clipsim::analysis::detail
