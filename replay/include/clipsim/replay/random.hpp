// The random streams of clipsim-replay (model initialization, synthetic data, shuffling,
// augmentation), independent of LibTorch's generators so that a seed means the same numbers on
// every device and LibTorch version. SplitMix64 (Steele, Lea & Flood 2014, the seeding generator
// of xoshiro) passes BigCrush and is plenty for these uses.
#pragma once

#include <cstdint>
#include <initializer_list>

namespace clipsim::replay {

// Named streams, so that adding a stream never shifts another's numbers.
enum class Stream : uint64_t {
  kModelInit = 1,
  kSyntheticTrain = 2,
  kSyntheticTest = 3,
  kSyntheticTemplates = 4,
  kEpochOrder = 5,  // shuffling and augmentation of one epoch (key: method-independent epoch)
  kBench = 6,
};

class Rng {
 public:
  // The state is a hash of the seed and the keys, e.g. Rng(seed, {Stream::kEpochOrder, epoch}).
  Rng(uint64_t seed, std::initializer_list<uint64_t> keys)
      : state_(Mix(seed ^ 0x5851F42D4C957F2DULL)) {
    for (uint64_t key : keys) state_ = Mix(state_ ^ Mix(key + 0x9E3779B97F4A7C15ULL));
  }
  Rng(uint64_t seed, Stream stream) : Rng(seed, {static_cast<uint64_t>(stream)}) {}

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return Mix(state_);
  }
  // Uniform on [0, 1) with 53 random bits.
  double Uniform01() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n), n >= 1, without modulo bias: draws below 2^64 mod n are rejected.
  uint64_t Below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;
    uint64_t x = Next();
    while (x < threshold) x = Next();
    return x % n;
  }

 private:
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

}  // namespace clipsim::replay
