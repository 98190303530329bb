// Doubles as text: in the shortest form that reads back to the same double (std::to_chars without
// a precision) for files, and with a given number of significant digits or decimals for tables
// and figure labels a person reads; "inf", "-inf" and "nan" for non-finite values everywhere. One
// definition, so that every file and table clipsim writes spells numbers alike.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

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

// Integers in decimal, appended (the counters and seeds of result rows).
inline void AppendInteger(std::string& out, std::int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// A 64-bit hash as 16 lower-case hex digits (cell ids, fingerprints, result hashes).
inline std::string Hex16(std::uint64_t h) {
  char buf[16];
  const auto r = std::to_chars(buf, buf + sizeof buf, h, 16);
  return std::string(static_cast<std::size_t>(16 - (r.ptr - buf)), '0') + std::string(buf, r.ptr);
}

inline std::string ShortestText(double v) {
  std::string out;
  AppendShortest(out, v);
  return out;
}

namespace detail {
// std::to_chars in a printf-like format; precision as printf's.
inline std::string FormattedText(double v, std::chars_format format, int precision) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[400];  // %.*f of 1e308 at a few decimals still fits
  const auto r = std::to_chars(buf, buf + sizeof buf, v, format, precision);
  if (r.ec != std::errc()) return ShortestText(v);
  return std::string(buf, r.ptr);
}
}  // namespace detail

// `digits` significant digits, as printf's %.*g (trailing zeros dropped): 0.0123, 1.23e+06.
inline std::string SignificantText(double v, int digits) {
  return detail::FormattedText(v, std::chars_format::general, digits);
}

// `decimals` digits after the point, as printf's %.*f: 0.012, 1234567.000.
inline std::string FixedText(double v, int decimals) {
  return detail::FormattedText(v, std::chars_format::fixed, decimals);
}

}  // namespace clipsim
