#!/usr/bin/env bash
# Reproduces the paper's claims end to end: runs the sweeps of configs/paper/ (tuning first, then
# the tuned evaluations), analyses and plots them, and decides every claim of
# configs/paper/claims.yaml into a markdown report with its figures.
#
#   scripts/reproduce.sh --full  [--out DIR]   full sizes; writes docs/REPORT.md + docs/figures/
#   scripts/reproduce.sh --quick [--out DIR]   reduced seeds and budgets (the "# quick:" values of
#                                              each config); writes DIR/REPORT.md (CI smoke test)
#
# DIR (default out/paper or out/paper-quick) holds the configs as run, the sweep folders and a log
# of every command. It is emptied first when it holds a previous run of this script, because a
# sweep refuses to resume results of another build. CLIPSIM=path uses that binary instead of
# building build/clipsim.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=full
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "reproduce.sh: unknown argument '$1' (use --quick, --full, --out DIR)" >&2; exit 2 ;;
  esac
  shift
done
[[ -n "$out" ]] || out=$([[ $mode == quick ]] && echo out/paper-quick || echo out/paper)
if [[ $mode == full ]]; then report=docs/REPORT.md; else report="$out/REPORT.md"; fi

start=$(date +%s.%N)
if [[ -n "${CLIPSIM:-}" ]]; then
  bin="$CLIPSIM"
else
  bin=build/clipsim
  if [[ ! -d build ]]; then cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null; fi
  cmake --build build -j"$(nproc)" --target clipsim >/dev/null
fi
[[ -x "$bin" ]] || { echo "reproduce.sh: no clipsim binary at $bin" >&2; exit 1; }

if [[ -e "$out" ]]; then
  [[ -f "$out/.reproduce" ]] || { echo "reproduce.sh: $out exists and is not ours" >&2; exit 1; }
  rm -rf "$out"
fi
mkdir -p "$out/configs" "$out/sweeps"
touch "$out/.reproduce"
log="$out/commands.md"
: > "$log"

# Runs a command, records it (with its wall time) for the report, and stops on failure.
run() {
  local t0 t1
  t0=$(date +%s.%N)
  echo "+ $*" >&2
  "$@"
  t1=$(date +%s.%N)
  printf -- '- `%s` (%.1f s)\n' "$*" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" >> "$log"
}

# The configs as run: in quick mode every "key: value  # quick: V" line becomes "key: V".
for f in configs/paper/*.yaml; do
  name=$(basename "$f")
  [[ $name == claims.yaml ]] && continue
  if [[ $mode == quick ]]; then
    sed -E 's/^([a-z_]+): .*# quick: (.*)$/\1: \2/' "$f" > "$out/configs/$name"
  else
    cp "$f" "$out/configs/$name"
  fi
done

c="$out/configs"
s="$out/sweeps"
# Every config of configs/paper/ is a sweep, except the claims file and the evaluation templates
# (NAME_eval.yaml), which run after `clipsim tune` has read the sweep NAME_tune. A new claim needs
# only its config files here, no edit of this script.
sweeps=()
for f in "$c"/*.yaml; do
  name=$(basename "$f" .yaml)
  [[ $name == *_eval || $name == *_eval.run ]] && continue
  sweeps+=("$name")
  run "$bin" sweep "$f" --out "$s/$name" --quiet
done
for f in "$c"/*_eval.yaml; do
  pair=$(basename "$f" _eval.yaml)
  [[ -f "$c/${pair}_tune.yaml" ]] || { echo "reproduce.sh: $f has no ${pair}_tune.yaml" >&2; exit 1; }
  # A tuning config names the metric its tuning minimizes in a line "# clipsim tune --metric M"
  # (without one, clipsim tune's default).
  tune_metric=()
  m=$(sed -nE 's/^# clipsim tune --metric ([a-z_]+)[[:space:]]*$/\1/p' "$c/${pair}_tune.yaml" | head -n 1)
  [[ -z "$m" ]] || tune_metric=(--metric "$m")
  run "$bin" tune "$s/${pair}_tune" --template "$f" "${tune_metric[@]}" \
    --out "$c/${pair}_eval.run.yaml" --table "$s/${pair}_tuning.md" --tuned "$s/${pair}_tuned.csv"
  run "$bin" sweep "$c/${pair}_eval.run.yaml" --out "$s/${pair}_eval" --quiet
  sweeps+=("${pair}_eval")
done
# Figures (the claims' own statistics come from `clipsim report`, with the claims file's
# bootstrap; the figures' intervals use 500 replicates). Tuning sweeps get none.
# The theorem quantities first: the bound checks read mean_grad_norm and mean_sq_grad_norm.
metrics=mean_grad_norm,mean_sq_grad_norm,grad_norm_at_R,grad_norm
for sweep in "${sweeps[@]}"; do
  [[ $sweep == *_tune ]] && continue
  run "$bin" plot "$s/$sweep" --metrics "$metrics" --bootstrap 500 >/dev/null
done

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# docs/ is this script's own output, so a previous report there does not make the tree dirty.
dirty=$(git status --porcelain -- . ':!docs' 2>/dev/null | grep -q . &&
  echo " (with uncommitted changes)" || true)
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //' || true)
pre="$out/preamble.md"
{
  echo "Produced by \`scripts/reproduce.sh --$mode\` on $(date -u '+%Y-%m-%d %H:%M UTC'), git"
  echo "commit \`$commit\`$dirty, $("$bin" --version), on $(nproc) cores (${cpu:-unknown CPU})."
  if [[ $mode == quick ]]; then
    echo "This is the **quick** smoke run (reduced seeds and budgets): its verdicts are not the"
    echo "paper's."
  fi
  echo
  echo "Commands, in order, with their wall times (configs as run are in \`$c\`; each sweep's"
  echo "config, seeds and budgets are repeated under Provenance):"
  echo
  cat "$log"
} > "$pre"
# The report's figures are copied next to it: start from an empty figures folder, so that no
# figure of an earlier run survives.
rm -rf "$(dirname "$report")/figures"
run "$bin" report configs/paper/claims.yaml --results "$s" --out "$report" --preamble "$pre"
end=$(date +%s.%N)
total=$(printf '%.0f' "$(awk -v a="$start" -v b="$end" 'BEGIN{print b-a}')")
printf '\nTotal run time of `scripts/reproduce.sh --%s`: %s s (%s).\n' "$mode" "$total" \
  "build check, sweeps, tuning, analysis, plots, report" >> "$report"
echo "report: $report (run time $total s)"
