#include "clipsim/replay/cifar_records.hpp"

#include <algorithm>

#include "clipsim/core/input_error.hpp"

namespace clipsim::replay {

int64_t CifarRecordCount(int64_t size, const std::string& path) {
  if (size <= 0 || size % kCifarRecordBytes != 0) {
    throw InputError(
        "holds " + std::to_string(size) +
            " bytes, but must hold a positive multiple of 3074 bytes (CIFAR-100 "
            "binary records: 1 coarse-label byte, 1 fine-label byte, 3072 pixel bytes)",
        {path});
  }
  return size / kCifarRecordBytes;
}

void ParseCifar100Records(const uint8_t* bytes, int64_t count, const std::string& path,
                          uint8_t* pixels, int64_t* fine, int64_t* coarse) {
  for (int64_t i = 0; i < count; ++i) {
    const uint8_t* record = bytes + i * kCifarRecordBytes;
    if (record[0] >= kCifarCoarseClasses || record[1] >= kCifarFineClasses) {
      throw InputError("record " + std::to_string(i) + " has coarse label " +
                           std::to_string(record[0]) + ", fine label " + std::to_string(record[1]) +
                           ", but must have coarse < 20 and fine < 100 (is this the CIFAR-100 "
                           "binary version? CIFAR-10's records are 3073 bytes)",
                       {path});
    }
    coarse[i] = record[0];
    fine[i] = record[1];
    std::copy(record + 2, record + kCifarRecordBytes, pixels + i * kCifarPixelBytes);
  }
}

}  // namespace clipsim::replay
