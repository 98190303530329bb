#!/usr/bin/env bash
# Configures and builds build-asan/: clang with AddressSanitizer + UBSan and the libFuzzer targets
# (CLIPSIM_FUZZ), every library instrumented for coverage. scripts/test.sh runs the unit tests in
# it (the tests labelled slow and the LibTorch replay are left out: statistics at scale and a large
# third-party runtime under ASan cost more than they find), scripts/fuzz.sh the fuzz targets.
# Extra arguments go to `cmake --build`, e.g. `--target fuzz_run_config`.
set -euo pipefail
cd "$(dirname "$0")/.."
# -O1 -g1: sanitizer reports keep file and line, and the build costs less than RelWithDebInfo on 2
# cores. Assertions stay on (no NDEBUG), clipsim's and the libraries' (Boost's quadrature checks
# its abscissas). No Python module: an ASan-built extension needs the sanitizer runtime preloaded
# into the interpreter. clang, not g++: libFuzzer is clang's; the Release build stays on g++, so the
# warnings of both compilers are errors in CI.
CXX=${CLIPSIM_FUZZ_CXX:-clang++} cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="-O1 -g1" -DCLIPSIM_WERROR=ON -DCLIPSIM_SANITIZE=ON -DCLIPSIM_FUZZ=ON \
  -DCLIPSIM_BUILD_BENCHMARKS=OFF -DCLIPSIM_BUILD_REPLAY=OFF -DCLIPSIM_BUILD_SLOW_TESTS=OFF \
  -DCLIPSIM_PYTHON=OFF >/dev/null
cmake --build build-asan -j"$(nproc)" "$@"
