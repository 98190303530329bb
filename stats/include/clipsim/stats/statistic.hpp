// The summaries of a metric over seeds that the analysis tracks across budgets: the mean, the
// median-of-means and (1 - delta) quantiles. One definition of each, used for point estimates
// and for every bootstrap replicate alike.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace clipsim::stats {

enum class StatisticKind {
  kMean,           // arithmetic mean over seeds; +infinity when a run diverged
  kMedianOfMeans,  // median_of_means.hpp, blocks in seed order
  kQuantile,       // X_(ceil(n q)), quantile_ci.hpp
};
std::string_view ToString(StatisticKind kind);

struct Statistic {
  StatisticKind kind = StatisticKind::kMean;
  // kQuantile: the (1 - delta) quantile, delta in (0, 1); unused otherwise. delta is stored (not
  // 1 - delta) so that it prints as given ("0.001").
  double delta = 0.0;

  static Statistic Mean() { return {StatisticKind::kMean, 0.0}; }
  static Statistic MedianOfMeans() { return {StatisticKind::kMedianOfMeans, 0.0}; }
  static Statistic QuantileAtDelta(double d) { return {StatisticKind::kQuantile, d}; }
  double level() const { return 1.0 - delta; }

  // "mean", "mom", "q(1-0.01)": the name in CSV files and tables.
  std::string Name() const;
  friend bool operator==(const Statistic&, const Statistic&) = default;
};

// delta written in shortest round-trip form ("0.001").
std::string FormatDelta(double delta);

}  // namespace clipsim::stats
