// The primitives a batch sampler's transform calls, as a policy object: VecMath is what every Fill
// runs (it inlines to the bare calls), CountingMath runs the same code and counts each call. The
// counts of bench_noise's roofline and of the tests that pin a path's cost are therefore taken from
// the code itself and cannot drift from it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "clipsim/core/rng.hpp"
#include "vecmath.hpp"

namespace clipsim::noise::detail {

// Calls of each primitive. A vector call counts kLanes (it works for kLanes values); a generator
// draw counts one. Divided by the values filled: calls per value.
struct PrimitiveCounts {
  double draws = 0.0;     // mt19937_64 draws (scalar)
  double uniform = 0.0;   // UniformFromBits
  double log = 0.0;       // SLEEF log, 3.5 ulp
  double exp = 0.0;       // SLEEF exp, 1.0 ulp
  double sincospi = 0.0;  // SLEEF sincospi, 3.5 ulp (one call gives both)
  double div = 0.0;       // vector division
  double sqrt = 0.0;      // vector square root

  double Transcendental() const { return log + exp + sincospi; }
  PrimitiveCounts PerValue(std::size_t values) const {
    const double n = static_cast<double>(values);
    return {draws / n, uniform / n, log / n, exp / n, sincospi / n, div / n, sqrt / n};
  }
};

struct VecMath {
  static std::uint64_t Draw(Rng& rng) { return rng(); }
  static Vec Uniform(Vec bits) { return UniformFromBits(bits); }
  static Vec Log(Vec a) { return detail::Log(a); }
  static Vec Exp(Vec a) { return detail::Exp(a); }
  static VecPair SinCosPi(Vec a) { return detail::SinCosPi(a); }
  static Vec Div(Vec a, Vec b) { return a / b; }
  static Vec Sqrt(Vec a) { return detail::Sqrt(a); }
};

class CountingMath {
 public:
  explicit CountingMath(PrimitiveCounts& counts) : counts_(&counts) {}
  std::uint64_t Draw(Rng& rng) const {
    counts_->draws += 1.0;
    return rng();
  }
  Vec Uniform(Vec bits) const {
    counts_->uniform += kLanes;
    return UniformFromBits(bits);
  }
  Vec Log(Vec a) const {
    counts_->log += kLanes;
    return detail::Log(a);
  }
  Vec Exp(Vec a) const {
    counts_->exp += kLanes;
    return detail::Exp(a);
  }
  VecPair SinCosPi(Vec a) const {
    counts_->sincospi += kLanes;
    return detail::SinCosPi(a);
  }
  Vec Div(Vec a, Vec b) const {
    counts_->div += kLanes;
    return a / b;
  }
  Vec Sqrt(Vec a) const {
    counts_->sqrt += kLanes;
    return detail::Sqrt(a);
  }

 private:
  PrimitiveCounts* counts_;
};

}  // namespace clipsim::noise::detail
