// The calls per value of each vector primitive on every stable path, counted by running the
// sampler's own code through the counting primitives (noise/src/vec_primitives.hpp): the costs
// that stable_noise.cpp documents and bench_noise's roofline divides by. A change of the algebra
// that adds or saves a call changes these on purpose; the counting run gives Fill's values.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "models.hpp"
#include "uniform_fill.hpp"
#include "vec_primitives.hpp"

namespace clipsim::noise::detail {
namespace {

Rng TestRng() {
  return MakeRng({static_cast<std::uint64_t>(Stream::kTest), 15});
}

void ExpectCounts(const PrimitiveCounts& c, const PrimitiveCounts& want, const char* what) {
  EXPECT_EQ(c.draws, want.draws) << what;
  EXPECT_EQ(c.uniform, want.uniform) << what;
  EXPECT_EQ(c.log, want.log) << what;
  EXPECT_EQ(c.exp, want.exp) << what;
  EXPECT_EQ(c.sincospi, want.sincospi) << what;
  EXPECT_EQ(c.div, want.div) << what;
  EXPECT_EQ(c.sqrt, want.sqrt) << what;
}

TEST(PrimitiveCounts, StablePathsCallWhatTheirFormulasNeed) {
  struct Case {
    const char* what;
    double alpha;
    double skew;
    PrimitiveCounts want;  // draws, uniform, log, exp, sincospi, div, sqrt
  };
  const Case cases[] = {
      // W = -log U', sincospi(V) and sincospi(alpha V), one division, then log and exp.
      {"symmetric", 1.5, 0.0, {2, 2, 2, 1, 2, 1, 0}},
      // Three sinpi of shifted angles instead of two sincospi.
      {"skewed", 1.5, 0.5, {2, 2, 2, 1, 3, 1, 0}},
      {"alpha = 1, skewed", 1.0, 0.5, {2, 2, 2, 0, 1, 2, 0}},
      // tan V: no W (U' is drawn, not converted).
      {"Cauchy", 1.0, 0.0, {2, 1, 0, 0, 1, 1, 0}},
      {"Gaussian limit", 2.0, 0.0, {2, 2, 1, 0, 1, 0, 1}},
  };
  std::vector<double> counted(8 * kBlock);
  std::vector<double> filled(counted.size());
  for (const Case& c : cases) {
    const StableSampler sampler(c.alpha, c.skew, 1.3, 0.2);
    Rng a = TestRng();
    Rng b = TestRng();
    ExpectCounts(sampler.CountPrimitives(a, counted), c.want, c.what);
    sampler.Fill(b, filled);
    EXPECT_EQ(std::memcmp(counted.data(), filled.data(), counted.size() * sizeof(double)), 0)
        << c.what;
  }
}

TEST(PrimitiveCounts, BoxMullerCallsHalfPerValue) {
  std::vector<double> counted(8 * kBlock);
  std::vector<double> filled(counted.size());
  Rng a = TestRng();
  Rng b = TestRng();
  ExpectCounts(CountStandardNormalPrimitives(a, counted), {1, 1, 0.5, 0, 0.5, 0, 0.5},
               "Box-Muller");
  FillStandardNormal(b, filled);
  EXPECT_EQ(std::memcmp(counted.data(), filled.data(), counted.size() * sizeof(double)), 0);
}

}  // namespace
}  // namespace clipsim::noise::detail
