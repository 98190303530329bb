// What the fuzz targets share: a private scratch folder per process, cleared before each input,
// for the readers that take a path (chunk logs, sweep folders), and the bundle format in which
// one input holds several files.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace clipsim::fuzz {

// A folder of this process's own (removed at exit), emptied on every call.
inline std::filesystem::path FreshScratch() {
  struct Root {
    std::filesystem::path path;
    Root() {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "clipsim-fuzz.XXXXXX").string();
      if (mkdtemp(pattern.data()) == nullptr) std::abort();
      path = pattern;
    }
    ~Root() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static const Root root;
  const std::filesystem::path dir = root.path / "case";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void WriteBytes(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A bundle: lines "=== NAME" each start a file NAME (a plain name, or chunks/NAME for a chunk
// log) whose bytes run to the next such line; names outside `allowed` and text before the first
// such line are ignored. Writes the files into dir.
template <typename Allowed>
void WriteBundle(std::string_view bundle, const std::filesystem::path& dir,
                 const Allowed& allowed) {
  std::size_t at = bundle.find("=== ");
  while (at != std::string_view::npos) {
    const std::size_t name_end = bundle.find('\n', at);
    if (name_end == std::string_view::npos) return;
    const std::string name(bundle.substr(at + 4, name_end - at - 4));
    std::size_t next = bundle.find("\n=== ", name_end);
    const std::size_t body_end = next == std::string_view::npos ? bundle.size() : next + 1;
    for (const auto& a : allowed) {
      if (name == a) WriteBytes(dir / name, bundle.substr(name_end + 1, body_end - name_end - 1));
    }
    at = next == std::string_view::npos ? next : next + 1;
  }
}

}  // namespace clipsim::fuzz
