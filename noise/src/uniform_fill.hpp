// The batch pattern of every vectorized sampler: draw the uniforms of a block of values in
// sequence (scalar, from the caller's generator), then transform the whole block with vector math.
// Generator draws are the bottleneck's floor, so the transform must stay branch-free.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>

#include "clipsim/core/rng.hpp"
#include "vecmath.hpp"

namespace clipsim::noise::detail {

// Values per block: large enough to amortize the loop overhead, small enough that the inputs stay
// in L1 cache. A multiple of every kLanes.
inline constexpr std::size_t kBlock = 256;

// Per-value inputs of one block: kInputs arrays of kBlock doubles.
template <int kInputs>
using BlockInputs = std::array<std::array<double, kBlock>, kInputs>;

// Fills out block by block. draw(inputs, i) writes the inputs of value i of the block (drawing from
// the generator: it is called for i = 0, 1, ... in order, so the draw order is value by value);
// transform(inputs, n, dst) then writes the block's n values (n a multiple of kLanes) to dst; it
// may overwrite the inputs. Lanes past the end of out are computed on padding inputs and dropped:
// the padding is 0.5, or its bit pattern as a raw draw (RawBits), harmless for every transform.
//
// Transforms work in passes over the whole block (one SLEEF function per pass, see ForEachLane),
// not value by value: each SLEEF call has a long latency, and a chain log -> sincos -> log -> exp
// per vector would leave the core waiting; a pass of independent calls keeps it busy.
template <int kInputs, class Draw, class Transform>
void FillInBlocks(std::span<double> out, Draw&& draw, Transform&& transform) {
  alignas(64) BlockInputs<kInputs> in;
  alignas(64) std::array<double, kBlock> tail;
  for (std::size_t start = 0; start < out.size(); start += kBlock) {
    const std::size_t n = std::min(kBlock, out.size() - start);
    for (std::size_t i = 0; i < n; ++i) draw(in, i);
    const std::size_t padded = (n + kLanes - 1) / kLanes * kLanes;
    for (std::size_t i = n; i < padded; ++i) {
      for (int k = 0; k < kInputs; ++k) in[k][i] = 0.5;  // as raw bits: a uniform of about 1e-3
    }
    double* dst = out.data() + start;
    if (padded == n) {
      transform(in, n, dst);
    } else {
      transform(in, padded, tail.data());
      std::copy(tail.begin(), tail.begin() + static_cast<std::ptrdiff_t>(n), dst);
    }
  }
}

// f(i) for i = 0, kLanes, 2 kLanes, ... < n: one pass of a block transform.
template <class F>
inline void ForEachLane(std::size_t n, F&& f) {
  for (std::size_t i = 0; i < n; i += kLanes) f(i);
}

// Scratch arrays of a block transform.
using BlockArray = std::array<double, kBlock>;

// Uniform on (0, 1) from one generator draw (clipsim::UniformOpen01).
inline double Uniform(Rng& rng) {
  return UniformOpen01(rng());
}

}  // namespace clipsim::noise::detail
