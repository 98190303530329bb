// The sample median the analysis files share (clip counts, run times, tuning scores).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace clipsim::analysis::detail {

// The median of the values that are not NaN (the mean of the two middle ones for an even count);
// NaN when none is. A NaN marks a missing value (a clip count results.csv lacks), never a number
// to rank: sorting it would break std::sort's ordering.
inline double Median(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace clipsim::analysis::detail
