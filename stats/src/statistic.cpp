#include "clipsim/stats/statistic.hpp"

#include "clipsim/core/number_text.hpp"

namespace clipsim::stats {

std::string_view ToString(StatisticKind kind) {
  switch (kind) {
    case StatisticKind::kMean:
      return "mean";
    case StatisticKind::kMedianOfMeans:
      return "mom";
    case StatisticKind::kQuantile:
      return "quantile";
  }
  return "?";
}

std::string FormatDelta(double delta) {
  return ShortestText(delta);
}

std::string Statistic::Name() const {
  if (kind == StatisticKind::kQuantile) return "q(1-" + FormatDelta(delta) + ")";
  return std::string(ToString(kind));
}

}  // namespace clipsim::stats
