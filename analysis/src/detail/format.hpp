// Number formatting shared by the analysis files: shortest round-trip for CSV (so a reader gets
// the exact double back) and fixed significant digits for tables a person reads.
#pragma once

#include <string>

#include "clipsim/core/number_text.hpp"

namespace clipsim::analysis::detail {

// Shortest round-trip decimal; "inf", "-inf", "nan" for non-finite values.
inline std::string Shortest(double x) {
  return ShortestText(x);
}

// `digits` significant digits (%.*g) for tables.
inline std::string Sig(double x, int digits = 3) {
  return SignificantText(x, digits);
}

// Fixed decimals (%.*f), for slopes and probabilities.
inline std::string Fixed(double x, int decimals = 3) {
  return FixedText(x, decimals);
}

}  // namespace clipsim::analysis::detail
