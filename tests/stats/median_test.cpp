// The three sample medians of clipsim/stats/median.hpp: each definition on odd and even
// counts, the midpoint's NaN handling, the lower median against QuantileWithCi's estimate at 0.5,
// and the upper median of censored (+infinity) counts.
#include "clipsim/stats/median.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "clipsim/stats/quantile_ci.hpp"

namespace clipsim::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Median, OddCountsAgreeOnTheMiddleValue) {
  const std::vector<double> v = {5.0, 1.0, 4.0, 2.0, 3.0};
  std::vector<double> a = v, b = v;
  EXPECT_EQ(Median(v), 3.0);
  EXPECT_EQ(LowerMedian(a), 3.0);
  EXPECT_EQ(UpperMedian(b), 3.0);
}

TEST(Median, EvenCountsDifferAsDocumented) {
  const std::vector<double> v = {4.0, 1.0, 10.0, 2.0};
  std::vector<double> a = v, b = v;
  EXPECT_EQ(Median(v), 3.0);  // (2 + 4) / 2
  EXPECT_EQ(LowerMedian(a), 2.0);
  EXPECT_EQ(UpperMedian(b), 4.0);
}

TEST(Median, MidpointSkipsNaNAndIsNaNWhenNothingIsLeft) {
  EXPECT_EQ(Median({kNaN, 7.0, 1.0, kNaN, 3.0}), 3.0);
  EXPECT_EQ(Median({kNaN, 1.0, 2.0}), 1.5);
  EXPECT_TRUE(std::isnan(Median({kNaN, kNaN})));
  EXPECT_TRUE(std::isnan(Median({})));
  EXPECT_EQ(Median({1.0, kInf}), kInf);
}

TEST(Median, EmptyIsNaN) {
  std::vector<double> none;
  EXPECT_TRUE(std::isnan(LowerMedian(none)));
  EXPECT_TRUE(std::isnan(UpperMedian(none)));
}

TEST(Median, LowerMedianIsTheEstimateOfTheQuantileInterval) {
  for (std::size_t n = 1; n <= 12; ++n) {
    std::vector<double> v;
    for (std::size_t i = 0; i < n; ++i) v.push_back(static_cast<double>((i * 7) % n) + 0.5);
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(LowerMedian(v), QuantileWithCi(sorted, 0.5, 0.9).estimate) << "n = " << n;
  }
}

TEST(Median, UpperMedianOfCensoredCountsIsInfiniteFromHalfCensored) {
  std::vector<double> three_of_four = {12.0, 10.0, kInf, 11.0};
  EXPECT_EQ(UpperMedian(three_of_four), 12.0);  // the larger middle value, not 11.5
  std::vector<double> two_of_four = {12.0, kInf, kInf, 10.0};
  EXPECT_EQ(UpperMedian(two_of_four), kInf);
  std::vector<double> two_of_three = {kInf, 5.0, 6.0};
  EXPECT_EQ(UpperMedian(two_of_three), 6.0);
}

}  // namespace
}  // namespace clipsim::stats
