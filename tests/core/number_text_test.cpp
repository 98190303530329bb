// Numbers as text (core/number_text.hpp): shortest round-trip for files, and printf's %.*g / %.*f
// spellings for tables, checked against printf itself on values that exercise each rule.
#include "clipsim/core/number_text.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

namespace clipsim {
namespace {

std::string Printf(const char* format, int precision, double v) {
  char buf[512];
  std::snprintf(buf, sizeof buf, format, precision, v);
  return buf;
}

TEST(NumberText, ShortestReadsBackToTheSameDouble) {
  for (double v : {0.1, 1.0 / 3.0, 1e-300, 6.02214076e23, -2.5, 0.0}) {
    const std::string text = ShortestText(v);
    double back = 0.0;
    std::from_chars(text.data(), text.data() + text.size(), back);
    EXPECT_EQ(back, v) << text;
  }
  EXPECT_EQ(ShortestText(0.1), "0.1");
}

TEST(NumberText, SignificantAndFixedSpellAsPrintfDoes) {
  for (double v : {0.0123456, 1234567.0, 1e-7, -0.5, 100.0, 0.000999999, 9.9996, 1e300}) {
    for (int p : {0, 1, 3, 6}) {
      EXPECT_EQ(SignificantText(v, p), Printf("%.*g", p, v)) << v << " " << p;
      EXPECT_EQ(FixedText(v, p), Printf("%.*f", p, v)) << v << " " << p;
    }
  }
}

TEST(NumberText, Hex16AndIntegersSpellAsPrintfDoes) {
  for (std::uint64_t h : {std::uint64_t{0}, std::uint64_t{0xabc}, std::uint64_t{0x8d6a1fd04765b075},
                          ~std::uint64_t{0}}) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    EXPECT_EQ(Hex16(h), buf);
  }
  std::string out = "x";
  AppendInteger(out, -42);
  AppendInteger(out, 9000000000);
  EXPECT_EQ(out, "x-429000000000");
}

// The longest texts fit the room WriteShortest and WriteInteger are promised: a shortest double
// of 17 digits with a sign and a three-digit exponent, and the most negative integer (a room one
// smaller makes to_chars give up and these fail).
TEST(NumberText, LongestTextsFitTheirRoom) {
  for (double v : {-2.2250738585072014e-308, -1.7976931348623157e308, -1.2345678901234567e-100,
                   -4.9406564584124654e-324}) {
    char buf[kShortestMaxChars];
    const std::string text(buf, WriteShortest(buf, v));
    double back = 0.0;
    std::from_chars(text.data(), text.data() + text.size(), back);
    EXPECT_EQ(back, v) << text;
  }
  EXPECT_EQ(ShortestText(-2.2250738585072014e-308).size(), kShortestMaxChars);
  char buf[kIntegerMaxChars];
  const std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(std::string(buf, WriteInteger(buf, lowest)), "-9223372036854775808");
}

TEST(NumberText, NonFiniteValuesAreSpelledOut) {
  const double inf = std::numeric_limits<double>::infinity();
  for (const auto& f :
       {+[](double v) { return ShortestText(v); }, +[](double v) { return SignificantText(v, 3); },
        +[](double v) { return FixedText(v, 3); }}) {
    EXPECT_EQ(f(inf), "inf");
    EXPECT_EQ(f(-inf), "-inf");
    EXPECT_EQ(f(std::numeric_limits<double>::quiet_NaN()), "nan");
  }
}

}  // namespace
}  // namespace clipsim
