// Doubles as text in the shortest form that reads back to the same double (std::to_chars without
// a precision), with "inf", "-inf" and "nan" for non-finite values. One definition for CSV cells,
// canonical config text and messages, so that every file clipsim writes spells numbers alike.
#pragma once

#include <charconv>
#include <cmath>
#include <string>

namespace clipsim {

// Appends to `out` (no temporary string: for rows written per checkpoint and per draw).
inline void AppendShortest(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "nan";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "inf" : "-inf";
    return;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

inline std::string ShortestText(double v) {
  std::string out;
  AppendShortest(out, v);
  return out;
}

}  // namespace clipsim
