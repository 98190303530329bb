#!/usr/bin/env bash
# The README's main job: installs what is missing, builds clipsim, runs the quickstart sweep
# (PS-Clip-SGD, Clip-SGD and plain SGD at PS-Clip-SGD's batch and step, under alpha-stable noise,
# in the regime where the theorem is testable; 500 seeds x 3 budgets), analyses it,
# draws the figures and says where everything is. Re-running resumes the sweep; it never redoes
# committed work.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-configs/quickstart.yaml}
out=${2:-out/quickstart}

bash scripts/install_deps.sh
echo "== building clipsim"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target clipsim

echo "== sweep: $config -> $out"
build/clipsim sweep "$config" --out "$out"
if build/clipsim --help 2>/dev/null | grep -q "analyze"; then
  echo "== analysis"
  build/clipsim analyze "$out" > "$out/analyze.log"
  echo "== figures"
  build/clipsim plot "$out"
  echo
  cat "$out/analyze.log"   # the verdict table, last, where the reader looks
fi
echo
echo "Results:  $out/results.csv (one row per cell, budget, seed and checkpoint)"
echo "Manifest: $out/manifest.json"
[[ -f "$out/analysis/summary.md" ]] && echo "Summary:  $out/analysis/summary.md"
[[ -d "$out/plots" ]] && echo "Figures:  $(ls "$out"/plots/*.png 2>/dev/null | tr '\n' ' ')"
exit 0
