// Shared by the optimizer tests (optimizers_test, scalar_step_test, noisy_rows_test): settings of
// one method and batch size with no threshold (every threshold +inf), which each test then sets
// as it needs; the heavy-tailed rows with edge values that the fused paths are compared on.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "clipsim/core/rng.hpp"
#include "clipsim/sim/optimizer.hpp"

namespace clipsim::sim::test_support {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

inline OptimizerSettings Settings(Method m, std::int64_t n) {
  OptimizerSettings s;
  s.method = m;
  s.batch_size = n;
  s.clip_threshold = kInf;
  s.clip_scale = kInf;
  return s;
}

// The settings of every method whose step is a weighted mean of the rows (those ScalarStep takes),
// one micro-batch per step, with thresholds that clip some rows, none or all.
inline std::vector<OptimizerSettings> WeightedMeanCases(std::int64_t n) {
  std::vector<OptimizerSettings> cases;
  cases.push_back(Settings(Method::kSgd, n));
  OptimizerSettings s = Settings(Method::kSgdMomentum, n);
  s.momentum = 0.9;
  cases.push_back(s);
  for (AccumulationMode mode :
       {AccumulationMode::kClipPerMicrobatch, AccumulationMode::kClipAfterAccumulation}) {
    for (double mu : {0.0, 0.5}) {
      s = Settings(Method::kClipSgd, n);
      s.accumulation_mode = mode;
      s.clip_threshold = 0.7;
      s.momentum = mu;
      cases.push_back(s);
    }
  }
  for (double power : {1.0, 1.4, 2.0, kInf}) {
    for (double scale : {0.05, 1.0, kInf}) {
      s = Settings(Method::kPsClipSgd, n);
      s.clip_scale = scale;
      s.clip_power = power;
      cases.push_back(s);
    }
  }
  s = Settings(Method::kPsClipSgd, n);
  s.clip_scale = 0.3;
  s.clip_power = 1.2;
  s.momentum = 0.7;
  cases.push_back(s);
  for (double threshold : {0.0, 0.2, kInf}) {
    s = Settings(Method::kPsClipConst, n);
    s.clip_threshold = threshold;
    cases.push_back(s);
  }
  return cases;
}

// A heavy-tailed value (Cauchy by the inverse CDF), and about once in `one_in` draws each of the
// edge values: an entry whose square overflows (the rescaled norm), -0 and +0.
inline double EdgyDraw(Rng& rng, std::uint64_t one_in) {
  const double u = UniformOpen01(rng());
  const std::uint64_t pick = rng() % one_in;
  if (pick == 0) return 1e300 * (u - 0.5);
  if (pick == 1) return -0.0;
  if (pick == 2) return 0.0;
  return std::tan(3.141592653589793 * (u - 0.5));
}

// The bits of a double, for comparisons that tell -0 from +0 and see NaNs as equal to themselves.
inline std::uint64_t Bits(double v) {
  return std::bit_cast<std::uint64_t>(v);
}

}  // namespace clipsim::sim::test_support
