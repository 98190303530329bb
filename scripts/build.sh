#!/usr/bin/env bash
# Configures and builds clipsim in build/ (Release). Extra arguments go to `cmake --build`,
# e.g. `scripts/build.sh --target clipsim`.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${CLIPSIM_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$(nproc)" "$@"
