#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with warnings as errors, runs every
# test through CTest, then runs the unit tests again under AddressSanitizer and UBSan (tests
# labelled `slow` and the LibTorch replay are left out there: statistics at scale and a large
# third-party runtime under ASan cost more than they find).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
bash scripts/install_deps.sh

jobs=$(nproc)
echo "== build (Release, warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCLIPSIM_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
echo "== tests"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 900

echo "== build (AddressSanitizer + UBSan)"
# -O1 -g1: sanitizer reports keep file and line, and the build costs less than RelWithDebInfo
# on 2 cores; the slow tests are not run here, so they are not built either. Assertions stay on
# (no NDEBUG), clipsim's and the libraries' (Boost's quadrature checks its abscissas).
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" \
  -DCLIPSIM_WERROR=ON \
  -DCLIPSIM_SANITIZE=ON -DCLIPSIM_BUILD_BENCHMARKS=OFF -DCLIPSIM_BUILD_REPLAY=OFF \
  -DCLIPSIM_BUILD_SLOW_TESTS=OFF >/dev/null
cmake --build build-asan -j"$jobs"
echo "== tests under sanitizers (label slow excluded); $((SECONDS - start)) s so far"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE slow --timeout 900
