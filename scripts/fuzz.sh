#!/usr/bin/env bash
# Fuzzes every parser of outside input (fuzz/*_fuzz.cpp, libFuzzer with ASan + UBSan) for SECONDS
# each (default 60), two targets at a time, from seed corpora made of the shipped configs and a
# small sweep folder, and from the corpus earlier runs left in out/fuzz/corpus/. Prints per target
# the run time, the executions and the corpus size, and exits 1 if any target found an input that
# crashes, hangs (> 30 s) or exhausts memory (> 2 GB): those are in out/fuzz/findings/<target>/.
# A finding is fixed at its root and its input kept in fuzz/regressions/<target>/, which the
# CTest fuzz.<target> replays.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
bash scripts/build_sanitized.sh >/dev/null
targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in fuzz/*_fuzz.cpp; do t=$(basename "$f" _fuzz.cpp); targets+=("$t"); done
fi

out=out/fuzz
rm -rf "$out/seeds" "$out/findings" "$out/logs"
mkdir -p "$out/seeds" "$out/corpus" "$out/findings" "$out/logs"
# seed TARGET FILE...: the files as seeds, named after their path (configs_paper_rate.yaml).
seed() {
  mkdir -p "$out/seeds/$1"
  for f in "${@:2}"; do cp "$f" "$out/seeds/$1/$(echo "$f" | tr / _)"; done
}
seed run_config configs/examples/*.yaml
# The sweep files that validate in well under a second (rate, sensitivity and alpha_grid resolve
# dozens of cells with quadratures: slow seeds slow every mutation of them).
seed sweep_config configs/quickstart.yaml configs/sweeps/accumulation.yaml \
  $(ls configs/paper/*.yaml | grep -v -e claims.yaml -e rate.yaml -e sensitivity.yaml)
seed claims_file configs/paper/claims.yaml
mkdir -p "$out/seeds/noise_spec"
i=0
while IFS= read -r line; do
  printf '%s' "$line" > "$out/seeds/noise_spec/spec$i"; i=$((i + 1))
done < fuzz/noise_specs.txt
# A real sweep folder, made by the sanitized build itself.
folder=$out/seed_sweep
rm -rf "$folder"
ASAN_OPTIONS=detect_leaks=0 build-asan/clipsim sweep fuzz/seed_sweep.yaml --out "$folder" --quiet >/dev/null
seed chunk_log "$folder"/chunks/*.log
mkdir -p "$out/seeds/sweep_folder"
{
  for f in results.csv cells.csv resolved.csv timings.csv noise_norms.csv manifest.json state.json \
    sweep.yaml; do
    [[ -f "$folder/$f" ]] && { echo "=== $f"; cat "$folder/$f"; }
  done
  echo "=== chunks/00000000000000000001-1.log"
  cat "$folder"/chunks/*.log
} > "$out/seeds/sweep_folder/folder"
# Two CIFAR-100 records with valid labels, and a CIFAR-10-sized record.
mkdir -p "$out/seeds/cifar_records"
{ printf '\x03\x11'; head -c 3072 /dev/zero; printf '\x13\x63'; head -c 3072 /dev/zero; } \
  > "$out/seeds/cifar_records/two"
{ printf '\x03'; head -c 3072 /dev/zero; } > "$out/seeds/cifar_records/cifar10"

fuzz_one() {
  local t=$1 bin=build-asan/fuzz/fuzz_$1 dict=()
  case $t in run_config | sweep_config | claims_file) dict=(-dict=fuzz/yaml.dict) ;; esac
  mkdir -p "$out/corpus/$t" "$out/findings/$t" "$out/seeds/$t"
  ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/findings/$t/" "${dict[@]}" \
    "$out/corpus/$t" "$out/seeds/$t" > "$out/logs/$t.log" 2>&1 || true
}
export -f fuzz_one
export out seconds
start=$SECONDS
printf '%s\n' "${targets[@]}" | xargs -P "$(nproc)" -I{} bash -c 'fuzz_one {}'

status=0
printf '%-14s %8s %12s %8s  %s\n' target seconds executions corpus findings
for t in "${targets[@]}"; do
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/logs/$t.log" | tail -1)
  time=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/logs/$t.log" | tail -1)
  corpus=$(find "$out/corpus/$t" -type f | wc -l)
  found=$(find "$out/findings/$t" -type f | wc -l)
  printf '%-14s %8s %12s %8s  %s\n' "$t" "$seconds" "${execs:-?}" "$corpus" \
    "$( ((found)) && echo "$found in $out/findings/$t (log $out/logs/$t.log)" || echo none)"
  if ((found)) || [[ -z "$execs" ]]; then status=1; fi
  : "${time:=}"
done
echo "fuzzing took $((SECONDS - start)) s"
exit $status
