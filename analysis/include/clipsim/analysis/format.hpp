// How analysis's tables and reports spell numbers and lists: shortest round-trip for CSV (so a
// reader gets the exact double back), fixed significant digits for tables a person reads (both
// from core's number_text.hpp), and budget lists. claims/ writes its report with the same ones,
// so that a number reads alike in a sweep's summary and in the paper report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clipsim/core/number_text.hpp"

namespace clipsim::analysis {

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

// Appends part to out, with sep in between when out is not empty.
inline void AppendWith(std::string& out, const char* sep, const std::string& part) {
  if (!out.empty()) out += sep;
  out += part;
}

// The parts with sep between them ("" for none).
inline std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) AppendWith(out, sep, p);
  return out;
}

// "1000, 3000, 10000": the budgets a fit or a verdict used.
inline std::string BudgetList(const std::vector<std::int64_t>& budgets) {
  std::string out;
  for (std::int64_t b : budgets) AppendWith(out, ", ", std::to_string(b));
  return out;
}

}  // namespace clipsim::analysis
