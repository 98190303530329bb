// CIFAR-100 in its binary version (https://www.cs.toronto.edu/~kriz/cifar.html, "CIFAR-100 binary
// version"): train.bin (50000 records) and test.bin (10000), each record 3074 bytes: the coarse
// label (0..19), the fine label (0..99), then 3072 pixel bytes, the 1024 red values of the 32x32
// image row by row, then the green, then the blue. Also a synthetic stand-in of the same shape.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <string>

#include "clipsim/replay/cifar_records.hpp"

namespace clipsim::replay {

// A labelled image set on the CPU.
struct Dataset {
  at::Tensor images;  // uint8 (N, 3, 32, 32), channel-major R, G, B as in the file
  at::Tensor labels;  // int64 (N), fine labels in [0, 100): the training target
  at::Tensor coarse;  // int64 (N), coarse labels in [0, 20) (kept for the round trip)
  int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
};

struct DataSplit {
  Dataset train;
  Dataset test;
  std::string source;  // "cifar100:<folder>" or "synthetic"
};

// Reads one file. Throws InputError naming the file and what was expected when it is missing,
// unreadable, empty, not a multiple of 3074 bytes, or holds a label out of range (with the record
// number).
Dataset LoadCifar100File(const std::string& path);
// <folder>/train.bin and <folder>/test.bin.
DataSplit LoadCifar100(const std::string& folder);
// Writes the binary format (tests use it to make small files in the real format).
void WriteCifar100File(const std::string& path, const Dataset& data);

// A learnable CIFAR-shaped set: each of the 100 classes has a smooth colour template (grey 128
// plus a class colour, uniform in [-48, 48] per channel, plus three random plane waves of
// amplitude <= 20 per channel); a sample is
// 128 + c ((1 - b) (T_label - 128) + b (T_other - 128)), with contrast c ~ U(0.3, 1), blend
// b ~ U(0, 0.45) towards a random class's template T_other, shifted by up to 3 pixels
// (circularly), plus independent triangular pixel noise of half-width 96, clamped to [0, 255].
// Labels cycle through the classes in a shuffled order; coarse label = fine / 5. Same seed -> same
// bytes.
DataSplit MakeSynthetic(int64_t train_size, int64_t test_size, uint64_t seed);

}  // namespace clipsim::replay
