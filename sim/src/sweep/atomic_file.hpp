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

// FNV-1a 64 of the bytes, as 16 hex digits (the results hash of the manifest).
std::string HashHex(std::string_view bytes);

}  // namespace clipsim::sim::detail
