// Sweep files (`clipsim sweep FILE`): grids, zips, seeds and budgets expanded and every cell
// validated, or one InputError; never a crash, a hang or unbounded memory.
#include <cstdint>

#include "clipsim/core/input_error.hpp"
#include "clipsim/sweep/config.hpp"
#include "fuzz_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(clipsim::fuzz::AsText(data, size));
  try {
    (void)clipsim::sweep::ParseSweepConfig(text, "fuzz.yaml");
  } catch (const clipsim::InputError&) {
  }
  return 0;
}
