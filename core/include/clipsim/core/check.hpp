// Broken internal invariants abort loudly (they are bugs, not user errors: options are validated
// before they reach the statistics).
// C++17 and the standard library only: replay/ (LibTorch, C++17) links it (clipsim_core_input,
// core/CMakeLists.txt).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace clipsim {

inline void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "clipsim: internal error: %s\n", what);
    std::abort();
  }
}

}  // namespace clipsim
