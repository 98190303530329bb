// Numbers as text for messages and canonical config text: shortest round-trip form
// (std::to_chars), "inf"/"-inf"/"nan" for non-finite values.
#pragma once

#include <charconv>
#include <cmath>
#include <string>

namespace clipsim::sim::detail {

inline std::string NumberText(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace clipsim::sim::detail
