// Number formatting shared by the analysis files: shortest round-trip for CSV (so a reader gets
// the exact double back) and fixed significant digits for tables a person reads.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "clipsim/core/number_text.hpp"

namespace clipsim::analysis::detail {

// Shortest round-trip decimal; "inf", "-inf", "nan" for non-finite values.
inline std::string Shortest(double x) {
  return ShortestText(x);
}

// `digits` significant digits (%.*g) for tables; "inf"/"nan" spelled out.
inline std::string Sig(double x, int digits = 3) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

// Fixed decimals (%.*f), for slopes and probabilities.
inline std::string Fixed(double x, int decimals = 3) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

}  // namespace clipsim::analysis::detail
