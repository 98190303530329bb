// Chunk logs (sweep folders' chunks/*.log, read when a sweep resumes, by --verify and by merge):
// the input is one log file. Scanning it, with and without verification, and reading every
// record it lists either works or raises an InputError naming the log and the chunk; a record
// that verifies must read back and split into rows and timings or be refused by name.
#include <cstdint>
#include <string>

#include "chunk_log.hpp"
#include "clipsim/core/input_error.hpp"
#include "fuzz_files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace detail = clipsim::sweep::detail;
  const auto dir = clipsim::fuzz::FreshScratch();
  clipsim::fuzz::WriteBytes(dir / "chunks" / "00000000000000000001-1.log",
                            clipsim::fuzz::AsText(data, size));
  for (bool verify : {false, true}) {
    try {
      const detail::ChunkIndex index = detail::ChunkIndex::Scan(dir.string(), verify);
      index.ForEach([&](std::string_view name, const std::string&, const detail::ChunkRecord&) {
        std::string content;
        try {
          index.Read(name, content);
          (void)detail::SplitChunk(content, std::string(name));
        } catch (const clipsim::InputError&) {
          // A damaged record is refused by name; after a verifying scan none is left.
          if (verify) std::abort();
        }
      });
    } catch (const clipsim::InputError&) {
    }
  }
  return 0;
}
