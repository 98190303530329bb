// Median-of-means over seeds: an estimate of a mean that stays accurate when the metric is
// heavy-tailed across seeds (infinite variance), where the sample mean and its bootstrap are not.
//
// The n draws, in seed order, are cut into k consecutive blocks of floor(n / k) draws (the last
// n mod k draws are left out, so every block mean has the same law); the estimate is the median
// of the k block means (for even k the lower median, so the estimate is one of the block means).
// With k = ceil(8 log(1 / failure)) blocks and finite variance s^2 the estimate is within
// s sqrt(32 log(1 / failure) / n) of the mean with probability at least 1 - failure (Lugosi &
// Mendelson, "Mean estimation and regression under heavy-tailed distributions: a survey", 2019,
// Theorem 2); with only a p-th moment, p in (1, 2], the error decays like n^(-(p-1)/p)
// (Bubeck, Cesa-Bianchi & Lugosi 2013, Lemma 2).
//
// Interval: the k block means are iid, so the exact order-statistic interval of their median
// (quantile_ci.hpp, q = 1/2) is a distribution-free interval for the population median of a
// b-seed block mean, b = floor(n / k). That median equals the mean for symmetric laws and tends to
// it as b grows when the mean exists; for skewed laws it is a (small) shift below the mean. The
// band is reported as such, never as an interval for the mean itself.
#pragma once

#include <span>

#include "clipsim/stats/quantile_ci.hpp"

namespace clipsim::stats {

// Blocks for a target failure probability: ceil(8 log(1 / failure)), at least 1, at most n.
// Requires 0 < failure < 1 and n >= 1.
int MedianOfMeansBlocks(int n, double failure);

struct MedianOfMeans {
  double estimate = 0.0;  // may be +infinity when over half of the blocks hold a diverged run
  int blocks = 0;
  int block_size = 0;
  // Exact interval for the median of a block mean (see above); kNotEnoughSeeds when the blocks
  // are too few for it (fewer than 6 at 95%).
  double lower = 0.0;
  double upper = 0.0;
  double coverage = 0.0;
  IntervalStatus status = IntervalStatus::kNotEnoughSeeds;
};

// values: draws in seed order (+infinity allowed, no NaN); 1 <= blocks <= values.size().
MedianOfMeans MedianOfMeansWithCi(std::span<const double> values, int blocks, double confidence);

// The estimate alone, for bootstrap replicates: block_means is scratch space of size >= blocks.
double MedianOfMeansEstimate(std::span<const double> values, int blocks,
                             std::span<double> block_means);

}  // namespace clipsim::stats
