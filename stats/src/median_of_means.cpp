#include "clipsim/stats/median_of_means.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "clipsim/core/check.hpp"
#include "clipsim/stats/median.hpp"

namespace clipsim::stats {

int MedianOfMeansBlocks(int n, double failure) {
  Require(n >= 1 && failure > 0.0 && failure < 1.0,
          "MedianOfMeansBlocks needs n >= 1 and failure in (0, 1)");
  const int k = static_cast<int>(std::ceil(8.0 * std::log(1.0 / failure)));
  return std::clamp(k, 1, n);
}

double MedianOfMeansEstimate(std::span<const double> values, int blocks,
                             std::span<double> block_means) {
  const std::size_t k = static_cast<std::size_t>(blocks);
  Require(blocks >= 1 && k <= values.size() && block_means.size() >= k,
          "MedianOfMeansEstimate needs 1 <= blocks <= n and scratch space");
  const std::size_t b = values.size() / k;
  for (std::size_t j = 0; j < k; ++j) {
    double sum = 0.0;
    for (std::size_t i = j * b; i < (j + 1) * b; ++i) sum += values[i];
    block_means[j] = sum / static_cast<double>(b);
  }
  // The lower median (the ((k + 1) / 2)-th smallest block mean): QuantileWithCi's estimate at 0.5,
  // the point of the interval MedianOfMeansWithCi gives.
  return LowerMedian(block_means.first(k));
}

MedianOfMeans MedianOfMeansWithCi(std::span<const double> values, int blocks, double confidence) {
  MedianOfMeans out;
  std::vector<double> means(static_cast<std::size_t>(blocks));
  out.estimate = MedianOfMeansEstimate(values, blocks, means);
  out.blocks = blocks;
  out.block_size = static_cast<int>(values.size() / static_cast<std::size_t>(blocks));
  std::sort(means.begin(), means.end());
  const QuantileEstimate median = QuantileWithCi(means, 0.5, confidence);
  out.lower = median.lower;
  out.upper = median.upper;
  out.coverage = median.coverage;
  out.status = median.status;
  return out;
}

}  // namespace clipsim::stats
