// Run configs (`clipsim run FILE`): any text is either a valid config or an InputError naming
// file, line, key and rule; never a crash, a hang or unbounded memory. The canonical text (cell
// ids) of an accepted config must be computable.
#include <cstdint>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/yaml_input.hpp"
#include "clipsim/sim/run_config.hpp"
#include "fuzz_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(clipsim::fuzz::AsText(data, size));
  try {
    const clipsim::sim::RunConfig config =
        clipsim::sim::ParseRunConfig(clipsim::yaml::Parse(text, "fuzz.yaml"), "fuzz.yaml");
    clipsim::sim::ValidateRunConfig(config);
    (void)clipsim::sim::CanonicalText(config);
  } catch (const clipsim::InputError&) {
  }
  return 0;
}
