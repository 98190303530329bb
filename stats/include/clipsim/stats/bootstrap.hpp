// Bootstrap over seeds: resample the seeds of a cell with replacement and recompute every
// statistic at every budget, so that intervals for per-budget means and for slopes across budgets
// come from the same replicates.
//
// Validity: the percentile bootstrap of a mean needs a finite variance of the metric across seeds
// (Athreya 1987 shows it fails for infinite-variance laws); callers mark such intervals
// "unreliable" from the metric's tail index (analysis/sweep_analysis.hpp). Quantile and
// median-of-means replicates behave (their statistics have bounded influence), which is why
// verdicts rest on them when the mean is unreliable.
//
// Joint resampling: when every budget of a cell ran the same seed list, one draw of seed indices
// is used for all budgets, keeping whatever dependence the sweep's common random numbers create
// between budgets (valid whether or not there is any). Otherwise each budget is resampled on its
// own, which is valid because runs at different budgets are then separate draws.
//
// Determinism: the caller passes the generator, seeded from a fixed key (the analysis seeds it
// from the options' seed, the cell id and the metric); indices are drawn with
// boost::random::uniform_int_distribution, so results are bit-identical across runs and threads.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/stats/statistic.hpp"

namespace clipsim::stats {

struct BootstrapOptions {
  // Replicates B. The smallest attainable bootstrap p-value is 1/(B + 1), so B bounds how many
  // cells a Holm correction can declare at a given confidence (B = 2000 allows about 100 cells at
  // 95%).
  int resamples = 2000;
  int mom_blocks = 1;  // blocks of the median-of-means, as in the point estimate
};

// Replicates of a set of statistics over a set of budgets.
class BootstrapReplicates {
 public:
  BootstrapReplicates(int resamples, int statistics, int budgets)
      : resamples_(resamples),
        statistics_(statistics),
        budgets_(budgets),
        values_(static_cast<std::size_t>(resamples) * statistics * budgets) {}
  int resamples() const { return resamples_; }
  int statistics() const { return statistics_; }
  int budgets() const { return budgets_; }
  double& at(int replicate, int statistic, int budget) {
    return values_[Index(replicate, statistic, budget)];
  }
  double at(int replicate, int statistic, int budget) const {
    return values_[Index(replicate, statistic, budget)];
  }
  // All replicates of one (statistic, budget).
  std::vector<double> Column(int statistic, int budget) const;

 private:
  std::size_t Index(int replicate, int statistic, int budget) const {
    return (static_cast<std::size_t>(replicate) * statistics_ + statistic) * budgets_ + budget;
  }
  int resamples_;
  int statistics_;
  int budgets_;
  std::vector<double> values_;
};

// samples[j]: the draws of budget j in seed order (+infinity allowed, no NaN, at least one each).
// joint: resample one index vector for all budgets (requires equal sizes; see above).
BootstrapReplicates BootstrapOverSeeds(const std::vector<std::vector<double>>& samples, bool joint,
                                       std::span<const Statistic> statistics,
                                       const BootstrapOptions& options, Rng& rng);

// Point estimate of a statistic on draws in seed order (same definitions as the replicates).
double EvaluateStatistic(const Statistic& statistic, std::span<const double> values_in_seed_order,
                         int mom_blocks);

struct PercentileInterval {
  double lower = 0.0;
  double upper = 0.0;
  int undefined = 0;  // replicates that were NaN
};

// Percentile interval [theta*_(ceil(B a/2)), theta*_(ceil(B (1 - a/2)))], a = 1 - confidence.
// Undefined (NaN) replicates are counted against the interval: as -infinity for the lower limit
// and as +infinity for the upper one, so they can only widen it.
PercentileInterval PercentileBounds(std::span<const double> replicates, double confidence);

}  // namespace clipsim::stats
