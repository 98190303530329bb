// Files that appear whole or not at all: written to a temporary name in the same folder, flushed
// to disk, then renamed, so a sweep killed at any moment (kill -9 included) never leaves a
// half-written chunk under its final name.
#pragma once

#include <string>
#include <string_view>

namespace clipsim::sim::detail {

// Throws InputError when the folder is not writable.
void WriteFileAtomically(const std::string& path, std::string_view content);

// The whole file, or an InputError naming it.
std::string ReadWholeFile(const std::string& path);
// Appends the whole file to out (one read into place: the sweep's final assembly reads every
// chunk this way); InputError naming the file when it cannot.
void AppendWholeFile(const std::string& path, std::string& out);

// XXH3 (64 bit) of the bytes, as 16 hex digits: the results hash of the manifest, the same value
// that `xxhsum -H3 results.csv` prints. xxHash runs at memory speed, where FNV-1a took ~8 ms of a
// sweep's final assembly per 5 MB of results.
std::string HashHex(std::string_view bytes);

}  // namespace clipsim::sim::detail
