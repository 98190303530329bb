#include "clipsim/stats/bootstrap.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "clipsim/core/check.hpp"
#include "clipsim/stats/median_of_means.hpp"
#include "clipsim/stats/quantile_ci.hpp"

namespace clipsim::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// One budget's draws with what every replicate reuses.
struct BudgetData {
  std::span<const double> values;  // seed order
  std::vector<int> by_value;       // seed positions sorted by value (ascending, stable)
  int mom_blocks = 1;
  // Quantile statistics in ascending rank order: (rank, statistic index).
  std::vector<std::pair<int, int>> quantile_ranks;
};

void DrawIndices(Rng& rng, int n, std::vector<int>& out) {
  out.resize(static_cast<std::size_t>(n));
  boost::random::uniform_int_distribution<int> pick(0, n - 1);
  for (int& i : out) i = pick(rng);
}

}  // namespace

std::vector<double> BootstrapReplicates::Column(int statistic, int budget) const {
  std::vector<double> out(static_cast<std::size_t>(resamples_));
  for (int b = 0; b < resamples_; ++b) out[static_cast<std::size_t>(b)] = at(b, statistic, budget);
  return out;
}

double EvaluateStatistic(const Statistic& statistic, std::span<const double> values,
                         int mom_blocks) {
  const int n = static_cast<int>(values.size());
  Require(n >= 1, "EvaluateStatistic needs at least one draw");
  switch (statistic.kind) {
    case StatisticKind::kMean: {
      double sum = 0.0;
      for (double x : values) sum += x;
      return sum / n;
    }
    case StatisticKind::kMedianOfMeans: {
      const int k = std::clamp(mom_blocks, 1, n);
      std::vector<double> scratch(static_cast<std::size_t>(k));
      return MedianOfMeansEstimate(values, k, scratch);
    }
    case StatisticKind::kQuantile: {
      std::vector<double> copy(values.begin(), values.end());
      const auto at = copy.begin() + (QuantileRank(n, statistic.level()) - 1);
      std::nth_element(copy.begin(), at, copy.end());
      return *at;
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

BootstrapReplicates BootstrapOverSeeds(const std::vector<std::vector<double>>& samples, bool joint,
                                       std::span<const Statistic> statistics,
                                       const BootstrapOptions& options, Rng& rng) {
  const int budgets = static_cast<int>(samples.size());
  const int stats = static_cast<int>(statistics.size());
  Require(options.resamples >= 1 && budgets >= 1, "BootstrapOverSeeds: empty input");
  std::vector<BudgetData> data(samples.size());
  for (std::size_t j = 0; j < samples.size(); ++j) {
    BudgetData& d = data[j];
    d.values = samples[j];
    const int n = static_cast<int>(d.values.size());
    Require(n >= 1, "BootstrapOverSeeds: a budget without draws");
    Require(!joint || d.values.size() == samples[0].size(),
            "BootstrapOverSeeds: joint resampling needs equal seed counts");
    d.by_value.resize(d.values.size());
    std::iota(d.by_value.begin(), d.by_value.end(), 0);
    std::stable_sort(d.by_value.begin(), d.by_value.end(),
                     [&](int a, int b) { return d.values[a] < d.values[b]; });
    d.mom_blocks = std::clamp(options.mom_blocks, 1, n);
    for (int s = 0; s < stats; ++s) {
      if (statistics[s].kind == StatisticKind::kQuantile) {
        d.quantile_ranks.emplace_back(QuantileRank(n, statistics[s].level()), s);
      }
    }
    std::sort(d.quantile_ranks.begin(), d.quantile_ranks.end());
  }
  bool need_mom = false;
  for (const Statistic& s : statistics) need_mom |= s.kind == StatisticKind::kMedianOfMeans;

  BootstrapReplicates out(options.resamples, stats, budgets);
  std::vector<int> indices;
  std::vector<int> counts;
  std::vector<double> resampled;
  std::vector<double> scratch;
  for (int b = 0; b < options.resamples; ++b) {
    if (joint) DrawIndices(rng, static_cast<int>(samples[0].size()), indices);
    for (int j = 0; j < budgets; ++j) {
      const BudgetData& d = data[static_cast<std::size_t>(j)];
      const int n = static_cast<int>(d.values.size());
      if (!joint) DrawIndices(rng, n, indices);
      counts.assign(static_cast<std::size_t>(n), 0);
      resampled.resize(static_cast<std::size_t>(n));
      double sum = 0.0;
      for (int i = 0; i < n; ++i) {
        const int s = indices[static_cast<std::size_t>(i)];
        ++counts[static_cast<std::size_t>(s)];
        const double x = d.values[static_cast<std::size_t>(s)];
        sum += x;
        resampled[static_cast<std::size_t>(i)] = x;
      }
      const double mean = sum / n;
      double mom = kInf;
      if (need_mom) {
        scratch.resize(static_cast<std::size_t>(d.mom_blocks));
        mom = MedianOfMeansEstimate(resampled, d.mom_blocks, scratch);
      }
      // Quantiles: walk the draws in value order, accumulating how often each was resampled.
      int cumulative = 0;
      std::size_t pos = 0;
      for (const auto& [rank, s] : d.quantile_ranks) {
        while (cumulative < rank) cumulative += counts[static_cast<std::size_t>(d.by_value[pos++])];
        out.at(b, s, j) = d.values[static_cast<std::size_t>(d.by_value[pos - 1])];
      }
      for (int s = 0; s < stats; ++s) {
        if (statistics[s].kind == StatisticKind::kMean) out.at(b, s, j) = mean;
        if (statistics[s].kind == StatisticKind::kMedianOfMeans) out.at(b, s, j) = mom;
      }
    }
  }
  return out;
}

PercentileInterval PercentileBounds(std::span<const double> replicates, double confidence) {
  Require(!replicates.empty() && confidence > 0.0 && confidence < 1.0,
          "PercentileBounds needs replicates and confidence in (0, 1)");
  std::vector<double> defined;
  defined.reserve(replicates.size());
  for (double x : replicates) {
    if (!std::isnan(x)) defined.push_back(x);
  }
  std::sort(defined.begin(), defined.end());
  const int total = static_cast<int>(replicates.size());
  const int undefined = total - static_cast<int>(defined.size());
  const double half = 0.5 * (1.0 - confidence);
  const int lo_rank = std::clamp(static_cast<int>(std::ceil(total * half - 1e-9)), 1, total);
  const int hi_rank =
      std::clamp(static_cast<int>(std::ceil(total * (1.0 - half) - 1e-9)), 1, total);
  PercentileInterval out;
  out.undefined = undefined;
  // Lower: the undefined replicates sit below everything (as -infinity).
  out.lower =
      lo_rank <= undefined ? -kInf : defined[static_cast<std::size_t>(lo_rank - undefined - 1)];
  // Upper: they sit above everything (as +infinity).
  out.upper = hi_rank > static_cast<int>(defined.size())
                  ? kInf
                  : defined[static_cast<std::size_t>(hi_rank - 1)];
  return out;
}

}  // namespace clipsim::stats
