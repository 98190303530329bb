// The one number syntax (core/number_parse.hpp): what each mode accepts, and that everything the
// writers of core/number_text.hpp produce reads back exactly in the results mode.
#include "clipsim/core/number_parse.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "clipsim/core/number_text.hpp"

namespace clipsim {
namespace {

constexpr NumberSyntax kModes[] = {NumberSyntax::kFinite, NumberSyntax::kExtended,
                                   NumberSyntax::kResults};

TEST(NumberParse, DecimalTextInEveryMode) {
  for (NumberSyntax mode : kModes) {
    double v = 0.0;
    ASSERT_TRUE(ParseDouble("1.5", v, mode));
    EXPECT_EQ(v, 1.5);
    ASSERT_TRUE(ParseDouble("+2e-3", v, mode));
    EXPECT_EQ(v, 2e-3);
    ASSERT_TRUE(ParseDouble("-.25", v, mode));
    EXPECT_EQ(v, -0.25);
    ASSERT_TRUE(ParseDouble("-0", v, mode));
    EXPECT_TRUE(v == 0.0 && std::signbit(v));
    ASSERT_TRUE(ParseDouble("1E6", v, mode));
    EXPECT_EQ(v, 1e6);
    // What strtod, stod or a hand-rolled loop let through somewhere before: hex, spaces, a second
    // sign, trailing text, a comma, beyond double's range.
    for (const char* bad :
         {"",    "+",   "-",   ".",   "0x1p3", "0x10", " 1", "1 ",    "\t1",    "1.5abc",
          "++1", "+-1", "-+1", "--1", "1,5",   "1e",   "e5", "1e400", "-1e400", "1..2"}) {
      EXPECT_FALSE(ParseDouble(bad, v, mode)) << "'" << bad << "'";
    }
  }
}

TEST(NumberParse, InfinityOnlyWhereTheModeAllowsItAndNanOnlyInResults) {
  double v = 0.0;
  for (const char* inf : {"inf", ".inf", "+.inf", "Infinity", "INF", "+inf"}) {
    EXPECT_FALSE(ParseDouble(inf, v, NumberSyntax::kFinite)) << inf;
    ASSERT_TRUE(ParseDouble(inf, v, NumberSyntax::kExtended)) << inf;
    EXPECT_TRUE(std::isinf(v) && v > 0) << inf;
    ASSERT_TRUE(ParseDouble(inf, v, NumberSyntax::kResults)) << inf;
    EXPECT_TRUE(std::isinf(v) && v > 0) << inf;
  }
  ASSERT_TRUE(ParseDouble("-.inf", v, NumberSyntax::kExtended));
  EXPECT_TRUE(std::isinf(v) && v < 0);
  for (const char* nan : {"nan", "NaN"}) {
    EXPECT_FALSE(ParseDouble(nan, v, NumberSyntax::kFinite)) << nan;
    EXPECT_FALSE(ParseDouble(nan, v, NumberSyntax::kExtended)) << nan;
    ASSERT_TRUE(ParseDouble(nan, v, NumberSyntax::kResults)) << nan;
    EXPECT_TRUE(std::isnan(v));
  }
  for (const char* bad : {"-nan", "+nan", "nan(1)", ".nan", "infinit", "inff", "-+inf"}) {
    for (NumberSyntax mode : kModes) EXPECT_FALSE(ParseDouble(bad, v, mode)) << bad;
  }
}

TEST(NumberParse, WhatTheWritersWriteReadsBackExactly) {
  const double values[] = {0.1,
                           -3.0,
                           1e-300,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::denorm_min(),
                           std::nextafter(1.0, 2.0),
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity()};
  for (double x : values) {
    double back = 0.0;
    ASSERT_TRUE(ParseDouble(ShortestText(x), back, NumberSyntax::kResults)) << ShortestText(x);
    EXPECT_EQ(back, x) << ShortestText(x);
  }
  double back = 0.0;
  ASSERT_TRUE(ParseDouble(ShortestText(std::nan("")), back, NumberSyntax::kResults));
  EXPECT_TRUE(std::isnan(back));
  std::uint64_t h = 0;
  ASSERT_TRUE(ParseHex16(Hex16(0x00ab00000000ffffULL), h));
  EXPECT_EQ(h, 0x00ab00000000ffffULL);
  for (const char* bad : {"ab", "00ab00000000ffff0", "+0ab00000000ffff", "00ab00000000fffg"}) {
    EXPECT_FALSE(ParseHex16(bad, h)) << bad;
  }
}

TEST(NumberParse, IntegersWithTheirRange) {
  std::int64_t i = 0;
  ASSERT_TRUE(ParseInt64("+12", i));
  EXPECT_EQ(i, 12);
  ASSERT_TRUE(ParseInt64("-9223372036854775808", i));
  EXPECT_EQ(i, std::numeric_limits<std::int64_t>::min());
  for (const char* bad :
       {"", "+", "9223372036854775808", "1e6", "1.0", "+-1", "++1", " 1", "0x1"}) {
    EXPECT_FALSE(ParseInt64(bad, i)) << bad;
  }
  std::uint64_t u = 0;
  ASSERT_TRUE(ParseUint64("18446744073709551615", u));
  EXPECT_EQ(u, std::numeric_limits<std::uint64_t>::max());
  ASSERT_TRUE(ParseUint64("+7", u));
  EXPECT_EQ(u, 7u);
  for (const char* bad : {"-1", "18446744073709551616", "", "+", "1e3", "+-1"}) {
    EXPECT_FALSE(ParseUint64(bad, u)) << bad;
  }
}

}  // namespace
}  // namespace clipsim
