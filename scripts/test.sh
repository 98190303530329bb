#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with warnings as errors (g++), runs
# every test through CTest, then builds again with clang under AddressSanitizer and UBSan
# (scripts/build_sanitized.sh) and runs the unit tests there (tests labelled `slow` and the
# LibTorch replay are left out: statistics at scale and a large third-party runtime under ASan cost
# more than they find), replays the fuzzers' saved findings, and fuzzes every parser of outside
# input for a short time (scripts/fuzz.sh).
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

echo "== build (clang, AddressSanitizer + UBSan, libFuzzer targets)"
bash scripts/build_sanitized.sh
echo "== tests under sanitizers (label slow excluded; fuzz.* replays saved findings); $((SECONDS - start)) s so far"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE slow --timeout 900
echo "== fuzzing every parser of outside input, 20 s each; $((SECONDS - start)) s so far"
bash scripts/fuzz.sh 20
echo "== done in $((SECONDS - start)) s"
