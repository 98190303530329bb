// Broken internal invariants abort loudly (they are bugs, not user errors: options are validated
// before they reach the statistics).
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
