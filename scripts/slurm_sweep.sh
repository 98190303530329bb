#!/usr/bin/env bash
# Runs a clipsim sweep on a Slurm cluster: a job array of shards and a merge job that waits for it.
#
#   scripts/slurm_sweep.sh CONFIG OUT [--tasks N] [--cpus-per-task C] [--clipsim PATH] [--wait]
#                          [-- EXTRA SBATCH OPTIONS...]
#
# OUT receives the merged sweep (results.csv, analysis input), exactly as `clipsim sweep CONFIG
# --out OUT` on one machine would write it. The work folder OUT.slurm/ holds the config as
# submitted (sweep.yaml), the shard folders part-<i>/ (--shard i/N), the job scripts, the logs
# (logs/part-<i>.log, logs/merge.log) and the submitted job ids (jobs.txt).
#
# Run it again at any time, e.g. after a shard failed, hit its time limit or was cancelled: it
# submits only the shards that are not complete (each resumes from its committed chunks and loses
# at most the chunks in flight), then the merge again; with nothing left to run it submits the
# merge alone, and once OUT is complete it says so and submits nothing. Shards are submitted with
# --requeue, so a preempted shard (SIGTERM, then SIGKILL after the grace time) resumes when the
# scheduler requeues it. It refuses to submit while jobs it submitted for OUT are still queued or
# running (two writers on one shard folder would do the same work twice).
#
#   --tasks N          shards in the job array (default 8; a later run takes the first run's N)
#   --cpus-per-task C  threads per shard (default 1)
#   --clipsim PATH     the clipsim binary (default $CLIPSIM, else build/clipsim of this checkout);
#                      it must be reachable from the compute nodes
#   --wait             return when the merge job has ended (exit 0 only when OUT is complete)
#   -- ...             passed to both sbatch calls (--partition, --time, --account, ...)
#
# Exit codes: 0 submitted (or complete); 2 bad input (config, arguments, OUT started with another
# config, jobs still queued); 3 with --wait, the merge ended incomplete; 1 anything else (sbatch
# failed).
set -euo pipefail

usage() { sed -n '2,30p' "$0"; }
die() { echo "slurm_sweep.sh: $2" >&2; exit "$1"; }

config="" out="" tasks="" cpus=1 bin="${CLIPSIM:-}" wait=0
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tasks) tasks="${2:-}"; shift ;;
    --cpus-per-task) cpus="${2:-}"; shift ;;
    --clipsim) bin="${2:-}"; shift ;;
    --wait) wait=1 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -*) die 2 "unknown option '$1' (see --help)" ;;
    *)
      if [[ -z "$config" ]]; then config="$1"
      elif [[ -z "$out" ]]; then out="$1"
      else die 2 "unexpected argument '$1' (see --help)"; fi ;;
  esac
  shift
done
[[ -n "$config" && -n "$out" ]] || { usage >&2; exit 2; }
[[ -f "$config" ]] || die 2 "CONFIG '$config' is not a file"
positive() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }
[[ -z "$tasks" ]] || positive "$tasks" || die 2 "--tasks '$tasks': need an integer >= 1"
positive "$cpus" || die 2 "--cpus-per-task '$cpus': need an integer >= 1"
for tool in sbatch squeue; do
  command -v "$tool" >/dev/null || die 2 "$tool not found: run this on a Slurm submit host"
done
if [[ -z "$bin" ]]; then bin="$(cd "$(dirname "$0")/.." && pwd)/build/clipsim"; fi
[[ -x "$bin" ]] || die 2 "no clipsim binary at '$bin' (build it, or pass --clipsim PATH)"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
work="$out.slurm"

# The config is validated (exit 2 with file, line, key and range) before anything is submitted.
"$bin" sweep "$config" --out "$work/part-0" --dry-run >/dev/null || exit $?

if [[ -d "$work" ]]; then
  [[ -f "$work/sweep.yaml" && -f "$work/tasks" ]] || die 2 "$work exists and is not ours"
  cmp -s "$config" "$work/sweep.yaml" ||
    die 2 "$out was started with another config ($work/sweep.yaml); use a new OUT"
  stored=$(cat "$work/tasks")
  [[ -z "$tasks" || "$tasks" == "$stored" ]] ||
    die 2 "$out was split into $stored shards; --tasks $tasks would overlap them"
  tasks=$stored
  # Jobs of an earlier submission that are still queued or running.
  if [[ -s "$work/jobs.txt" ]]; then
    ids=$(awk '{print $2}' "$work/jobs.txt" | paste -sd, -)
    live=$(squeue -h -j "$ids" -o '%i %T' 2>/dev/null || true)
    [[ -z "$live" ]] || die 2 "jobs submitted for $out are still in the queue:
$live
wait for them (squeue -j $ids) or cancel them (scancel $ids), then run this again"
  fi
else
  tasks=${tasks:-8}
  mkdir -p "$work/logs"
  cp "$config" "$work/sweep.yaml"
  echo "$tasks" > "$work/tasks"
fi

# Which shards still have runs to do: a shard's own dry run counts what its folder lacks.
todo=()
for ((i = 0; i < tasks; i++)); do
  part="$work/part-$i"
  if [[ ! -d "$part" ]]; then todo+=("$i"); continue; fi
  left=$("$bin" sweep "$work/sweep.yaml" --out "$part" --shard "$i/$tasks" --dry-run |
    sed -n 's/.*to run in shard [0-9]*\/[0-9]*: \([0-9]*\) runs.*/\1/p')
  [[ "$left" =~ ^[0-9]+$ ]] || die 1 "could not read the state of $part"
  ((left == 0)) || todo+=("$i")
done

if ((${#todo[@]} == 0)) && [[ -f "$out/manifest.json" ]] &&
  "$bin" merge --out "$out" --shards "$tasks" --dry-run "$work"/part-* >/dev/null 2>&1; then
  echo "slurm_sweep.sh: $out is complete; nothing to submit"
  exit 0
fi

cat > "$work/shard.sbatch" <<EOF
#!/bin/bash
# One shard of $out (written by scripts/slurm_sweep.sh). SIGTERM (scancel, time limit,
# preemption) commits the finished chunks and exits; the next run resumes from them.
exec "$bin" sweep "$work/sweep.yaml" --out "$work/part-\$SLURM_ARRAY_TASK_ID" \\
  --shard "\$SLURM_ARRAY_TASK_ID/$tasks" --threads "\${SLURM_CPUS_PER_TASK:-1}" --quiet
EOF
cat > "$work/merge.sbatch" <<EOF
#!/bin/bash
# Joins the shards of $out (written by scripts/slurm_sweep.sh); exit 3 names missing shards.
exec "$bin" merge --out "$out" --shards $tasks "$work"/part-*
EOF

name="clipsim-$(basename "$out")"
dependency=()
if ((${#todo[@]} > 0)); then
  list=$(IFS=,; echo "${todo[*]}")
  array=$(sbatch --parsable --job-name="$name" --array="$list" --cpus-per-task="$cpus" \
    --requeue --open-mode=append --output="$work/logs/part-%a.log" "${extra[@]}" \
    "$work/shard.sbatch") || die 1 "sbatch of the shard array failed"
  array=${array%%;*}
  echo "array $array shards $list" >> "$work/jobs.txt"
  echo "slurm_sweep.sh: submitted shards $list of $tasks as job array $array"
  dependency=(--dependency="afterok:$array" --kill-on-invalid-dep=yes)
else
  echo "slurm_sweep.sh: every shard is complete"
fi
merge_args=(--parsable --job-name="$name-merge" --cpus-per-task=1 --open-mode=append
  --output="$work/logs/merge.log" "${dependency[@]}" "${extra[@]}")
if ((wait)); then
  # sbatch --wait prints the id and returns when the job ends; the id is recorded first, from
  # the job name, so that a second call sees the job while it is queued.
  set +e
  sbatch "${merge_args[@]}" --wait "$work/merge.sbatch" > "$work/merge.id" &
  waiter=$!
  for _ in $(seq 50); do [[ -s "$work/merge.id" ]] && break; sleep 0.2; done
  merge=$(cut -d';' -f1 < "$work/merge.id")
  echo "merge $merge" >> "$work/jobs.txt"
  echo "slurm_sweep.sh: merge job $merge waits for the shards; waiting for it to end"
  wait "$waiter"
  set -e
  if "$bin" merge --out "$out" --shards "$tasks" --dry-run "$work"/part-* > "$work/merge.check" 2>/dev/null &&
    [[ -f "$out/manifest.json" ]]; then
    echo "slurm_sweep.sh: complete; results in $out"
    exit 0
  fi
  echo "slurm_sweep.sh: $out is not complete: $(cat "$work/merge.check")" >&2
  echo "see $work/logs/, then run this command again" >&2
  exit 3
fi
merge=$(sbatch "${merge_args[@]}" "$work/merge.sbatch") || die 1 "sbatch of the merge job failed"
merge=${merge%%;*}
echo "merge $merge" >> "$work/jobs.txt"
cat <<EOF
slurm_sweep.sh: merge job $merge runs once the shards succeed
follow:   squeue -j ${array:+$array,}$merge    logs: $work/logs/
results:  $out (when the merge job has ended)
if a shard fails, hits its time limit or is cancelled, run this command again: it resubmits only
the shards that are not complete, then the merge
EOF
