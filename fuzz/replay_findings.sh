#!/usr/bin/env bash
# fuzz.<name>: runs a fuzz target once over every saved finding in REGRESSIONS_DIR (inputs that
# crashed it before their fix), then fuzzes 300 inputs from seed 1, a short deterministic smoke
# run, in a scratch corpus.
#   fuzz/replay_findings.sh FUZZ_BINARY REGRESSIONS_DIR
set -euo pipefail
bin=$1
dir=$2
shopt -s nullglob
found=("$dir"/*)
if ((${#found[@]})); then
  echo "replaying ${#found[@]} saved findings of $dir"
  "$bin" "${found[@]}"
fi
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
"$bin" -seed=1 -runs=300 -max_len=4096 -timeout=30 "$corpus"
