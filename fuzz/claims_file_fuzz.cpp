// Claims files (`clipsim report CLAIMS.yaml`): every key checked, or one InputError naming file,
// line, key and rule; never a crash.
#include <cstdint>

#include "clipsim/claims/claims_file.hpp"
#include "clipsim/core/input_error.hpp"
#include "fuzz_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(clipsim::fuzz::AsText(data, size));
  try {
    (void)clipsim::claims::ParseClaimsFile(text, "claims.yaml");
  } catch (const clipsim::InputError&) {
  }
  return 0;
}
