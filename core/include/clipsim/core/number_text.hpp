// Doubles as text: in the shortest form that reads back to the same double (std::to_chars without
// a precision) for files, and with a given number of significant digits or decimals for tables
// and figure labels a person reads; "inf", "-inf" and "nan" for non-finite values everywhere. One
// definition, so that every file and table clipsim writes spells numbers alike.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>

namespace clipsim {

// The most characters WriteShortest and WriteInteger write: "-2.2250738585072014e-308" and
// "-9223372036854775808".
inline constexpr std::size_t kShortestMaxChars = 24;
inline constexpr std::size_t kIntegerMaxChars = 20;

// Writes v at `at`, which has room for kShortestMaxChars, and returns the end: for a row formatted
// into a buffer and appended to its string once (one append per row instead of one per field).
inline char* WriteShortest(char* at, double v) {
  if (std::isnan(v)) return std::copy_n("nan", 3, at);
  if (std::isinf(v)) return v > 0 ? std::copy_n("inf", 3, at) : std::copy_n("-inf", 4, at);
  return std::to_chars(at, at + kShortestMaxChars, v).ptr;
}

// Writes v in decimal at `at`, which has room for kIntegerMaxChars, and returns the end.
inline char* WriteInteger(char* at, std::int64_t v) {
  return std::to_chars(at, at + kIntegerMaxChars, v).ptr;
}

// Appends to `out` (no temporary string: for rows written per checkpoint and per draw).
inline void AppendShortest(std::string& out, double v) {
  char buf[kShortestMaxChars];
  out.append(buf, WriteShortest(buf, v));
}

// Integers in decimal, appended (the counters and seeds of result rows).
inline void AppendInteger(std::string& out, std::int64_t v) {
  char buf[kIntegerMaxChars];
  out.append(buf, WriteInteger(buf, v));
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
