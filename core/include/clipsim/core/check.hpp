// How clipsim fails. There are two kinds of failure and one way for each:
//   - What a user can cause (a config, a command-line value, a file, data, or an argument of a
//     public function that comes from one of those) throws InputError (core/input_error.hpp),
//     whose message names the file, line, key and allowed range. The CLI prints it and exits 2;
//     nothing else (std::invalid_argument, std::logic_error) is thrown for bad input.
//   - What only a bug in clipsim can cause (a broken internal invariant, an internal caller
//     breaking a function's contract) is Require(condition, what) or Fail(what): the message goes
//     to stderr and the process aborts, so the bug shows where it happens (a core dump, a
//     sanitizer's stack) and never continues with wrong numbers.
// Numerical blow-ups are neither: a run records divergence as data.
// C++17 and the standard library only: replay/ (LibTorch, C++17) links it (clipsim_core_input,
// core/CMakeLists.txt).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace clipsim {

[[noreturn]] inline void Fail(const char* what) {
  std::fprintf(stderr, "clipsim: internal error: %s\n", what);
  std::abort();
}

inline void Require(bool ok, const char* what) {
  if (!ok) Fail(what);
}

}  // namespace clipsim
