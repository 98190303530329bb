// replay's CIFAR-100 binary reader (the record layer, without LibTorch): the input is a whole
// file; its size is accepted or refused, and every record's labels checked, with InputErrors
// naming the file and the record.
#include <cstdint>
#include <string>
#include <vector>

#include "clipsim/core/input_error.hpp"
#include "clipsim/replay/cifar_records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace replay = clipsim::replay;
  try {
    const int64_t n = replay::CifarRecordCount(static_cast<int64_t>(size), "fuzz.bin");
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(n * replay::kCifarPixelBytes));
    std::vector<int64_t> fine(static_cast<std::size_t>(n)), coarse(static_cast<std::size_t>(n));
    replay::ParseCifar100Records(data, n, "fuzz.bin", pixels.data(), fine.data(), coarse.data());
  } catch (const clipsim::InputError&) {
  }
  return 0;
}
