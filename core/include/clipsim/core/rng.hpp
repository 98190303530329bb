// Random streams. Every random stream in clipsim is a Boost.Random mt19937_64 seeded from a key of
// integers (master seed, cell hash, seed index, stream id), so that a run's draws depend on what
// the run is and never on which thread or shard computes it.
#pragma once

#include <boost/random/mersenne_twister.hpp>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

namespace clipsim {

// The generator every sampler takes. The caller owns it; samplers never keep one.
using Rng = boost::random::mt19937_64;

// Named stream ids, so that two streams of one run can never coincide by accident.
enum class Stream : std::uint64_t {
  kNoise = 1,      // additive gradient noise: keyed by (problem, noise, seed), never the optimizer
  kData = 2,       // data points drawn by data problems
  kProblem = 3,    // a problem instance's own randomness (planted data, rotations)
  kIterate = 4,    // the uniformly drawn output iterate R
  kOptimizer = 5,  // anything an optimizer randomizes (sample order)
  kTest = 100,     // tests
};

// SplitMix64 finalizer: a bijective 64-bit mix (Steele, Lea, Flood 2014).
constexpr std::uint64_t Mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Order-sensitive hash of a key of integers.
constexpr std::uint64_t HashKey(std::span<const std::uint64_t> key) {
  std::uint64_t h = 0x6a09e667f3bcc909ULL ^ key.size();
  for (std::uint64_t k : key) h = Mix64(h ^ Mix64(k));
  return h;
}

// FNV-1a of a string, then mixed: a hash that is stable across builds, platforms and runs
// (std::hash is not), used to identify cells by their resolved parameters.
constexpr std::uint64_t StableHash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return Mix64(h);
}

// A generator seeded from a key. The whole 312-word state is filled from the key through
// seed_seq, so nearby keys give unrelated streams.
Rng MakeRng(std::initializer_list<std::uint64_t> key);
Rng MakeRng(std::span<const std::uint64_t> key);

// Seeds *out[i] in place to what MakeRng returns for a key whose HashKey is key_hashes[i], bit for
// bit, for many keys at once: seeding is a chain of ~1250 dependent steps per key, and here one
// chain serves as many keys as the build's vectors have 32-bit lanes (16 under AVX-512, 8 under
// AVX2, 4 otherwise), for less than twice the cost of one key (bench_sweep: 16 keys ~6.5x cheaper
// each under AVX-512). Batches of any size; the last pass may be partly empty. key_hashes and out
// have the same size.
void SeedRngs(std::span<const std::uint64_t> key_hashes, std::span<Rng* const> out);

// Uniform on the open interval (0, 1): the midpoints of a 2^-52 grid, in [2^-53, 1 - 2^-53], so
// log(u) and 1/u are always finite. (With 53 bits the top midpoint 1 - 2^-54 would round to 1.)
inline double UniformOpen01(std::uint64_t bits) {
  return (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-52;
}

}  // namespace clipsim
