// Sample quantiles of a vector of doubles (Hyndman & Fan type 7, the default of R and NumPy).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace clipsim::replay {

// q in [0, 1]; NaN for an empty sample. Takes a copy because it partially sorts.
inline double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double v_lo = values[lo];
  if (hi == lo) return v_lo;
  const double v_hi =
      *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(hi), values.end());
  return v_lo + (h - static_cast<double>(lo)) * (v_hi - v_lo);
}

}  // namespace clipsim::replay
