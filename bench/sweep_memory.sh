#!/usr/bin/env bash
# Peak RSS of `clipsim sweep` against the number of seeds (issue 15): a fresh sweep should hold the
# same memory at 10^3 seeds as at 10^7, whatever the number of chunks; a resumed one holds the index
# of what is on disk (compact, ~70 bytes per committed chunk) on top.
#
# usage: bench/sweep_memory.sh [CLIPSIM] [SEEDS...]   (default: build/clipsim, 1e3 1e5 1e6 1e7)
# Config: d = 1, budget 16, batch 16, compressed results, chunks of 50 seeds, 2 threads. Prints
# "fresh SEEDS RSS_KB" per seed count, and "resume SEEDS RSS_KB" for a sweep resumed after shard
# 0/2 of it is committed (half of the chunks on disk). The folders are deleted as it goes: 10^7
# seeds write ~15 GB of chunk logs and ~5 GB of results (about 4 minutes on 2 cores).
# CLIPSIM_MEMORY_RESUME=0 leaves out the resumed sweeps.
set -euo pipefail
bin=${1:-build/clipsim}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1000 100000 1000000 10000000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

config() {
  cat >"$work/sweep.yaml" <<EOF
seeds: $1
budgets: [16]
master_seed: 1
problem: {kind: quadratic, dim: 1}
noise: {kind: stable, alpha: 1.5}
p: 1.4
optimizer: {method: ps_clip_sgd}
schedule: {kind: constant, eta0: 0.02}
batch_size: 16
compress: true
EOF
}

# Peak RSS in KB of one sweep command (GNU time's %M).
rss() {
  /usr/bin/time -f %M -o "$work/rss" "$bin" sweep "$work/sweep.yaml" --out "$work/out" \
    --threads 2 --quiet "$@" >/dev/null
  cat "$work/rss"
}

for n in "${seeds[@]}"; do
  config "$n"
  rm -rf "$work/out"
  echo "fresh $n $(rss)"
  if [ "${CLIPSIM_MEMORY_RESUME:-1}" != 0 ]; then
    rm -rf "$work/out"
    "$bin" sweep "$work/sweep.yaml" --out "$work/out" --threads 2 --quiet --shard 0/2 >/dev/null
    echo "resume $n $(rss)"
  fi
  rm -rf "$work/out"
done
