// The record layer of CIFAR-100's binary version, without LibTorch: how many records a file of a
// given size holds, and each record's labels and pixels checked and copied out. cifar.hpp builds
// the tensors on top of it; fuzz/cifar_records_fuzz.cpp feeds it arbitrary bytes.
//
// A record is 3074 bytes: the coarse label (0..19), the fine label (0..99), then 3072 pixel bytes
// (the 1024 red values of the 32x32 image row by row, then the green, then the blue).
#pragma once

#include <cstdint>
#include <string>

namespace clipsim::replay {

inline constexpr int64_t kCifarPixelBytes = 3072;
inline constexpr int64_t kCifarRecordBytes = 2 + kCifarPixelBytes;
inline constexpr int64_t kCifarCoarseClasses = 20;
inline constexpr int64_t kCifarFineClasses = 100;

// The number of records in a file of `size` bytes named `path`; InputError when the size is 0 or
// not a multiple of 3074 (the message names CIFAR-10's 3073-byte records, the usual mix-up).
int64_t CifarRecordCount(int64_t size, const std::string& path);

// Checks the `count` records at `bytes` (count * 3074 bytes) and writes record i's coarse label
// to coarse[i], its fine label to fine[i] and its pixels to pixels[i * 3072 ...]. InputError
// naming the file and the record when a label is out of range (nothing is promised about what
// was written before it).
void ParseCifar100Records(const uint8_t* bytes, int64_t count, const std::string& path,
                          uint8_t* pixels, int64_t* fine, int64_t* coarse);

}  // namespace clipsim::replay
