#!/usr/bin/env bash
# scripts/slurm_sweep.sh on a real single-node Slurm (Debian's slurm-wlm and munge, started here
# and stopped when done): a sweep submitted as a 4-task job array and merged must equal the
# one-machine sweep byte for byte; then one task is cancelled mid-run (scancel), the script run
# again resubmits exactly that shard, which resumes from its committed chunks, and the merged
# results are again byte-identical.
#
#   tests/cluster/slurm_sweep_test.sh CLIPSIM_BINARY
#
# Exit 0: passed; 77: skipped (not root: the daemons need it); anything else: failed.
set -euo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIPPED: the Slurm test starts munged, slurmctld and slurmd, which needs root"
  exit 77
fi
for tool in munged mungekey slurmctld slurmd sbatch squeue scancel sacct; do
  command -v "$tool" >/dev/null || {
    echo "FAILED: $tool is missing (scripts/install_deps.sh installs slurm-wlm and munge)"
    exit 1
  }
done

t=$(mktemp -d /tmp/clipsim-slurm.XXXXXX)
host=$(hostname -s)
mkdir -p "$t/munge" "$t/state" "$t/spool" "$t/log" "$t/work"
chmod 700 "$t/munge"
stop() {
  for pid in "$t/slurmd.pid" "$t/slurmctld.pid" "$t/munge/munged.pid"; do
    [[ -f "$pid" ]] && kill "$(cat "$pid")" 2>/dev/null || true
  done
  sleep 1
  rm -rf "$t"
}
trap stop EXIT
fail() {
  echo "FAILED: $*"
  echo "--- slurmctld.log"; tail -20 "$t/log/slurmctld.log" 2>/dev/null || true
  echo "--- slurmd.log"; tail -20 "$t/log/slurmd.log" 2>/dev/null || true
  for f in "$t"/work/*.slurm/logs/*.log; do echo "--- $f"; tail -5 "$f"; done 2>/dev/null || true
  exit 1
}

# Ports away from Slurm's defaults, so that a Slurm already on the host is not disturbed.
port=$((20000 + RANDOM % 20000))
cat > "$t/slurm.conf" <<EOF
ClusterName=clipsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$t/munge/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$t/state
SlurmdSpoolDir=$t/spool
SlurmctldPidFile=$t/slurmctld.pid
SlurmdPidFile=$t/slurmd.pid
SlurmctldLogFile=$t/log/slurmctld.log
SlurmdLogFile=$t/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
KillWait=10
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$t/slurm.conf
mungekey --create --keyfile="$t/munge/munge.key" >/dev/null
munged --force --key-file="$t/munge/munge.key" --socket="$t/munge/munge.socket" \
  --pid-file="$t/munge/munged.pid" --log-file="$t/munge/munged.log" --seed-file="$t/munge/seed"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
  sinfo -h -o '%T' 2>/dev/null | grep -q idle && break
  sleep 0.5
done
sinfo -h -o '%T' | grep -q idle || fail "the node did not come up"
echo "slurm up on $host, $(nproc) CPUs"

cd "$t/work"
# 2 methods x 2 budgets x 120 seeds in chunks of 5: 96 chunks, each shard a few seconds per core.
cat > sweep.yaml <<'EOF'
seeds: 120
budgets: [1000000, 3000000]
chunk_seeds: 5
master_seed: 7
problem: {kind: huber_ripple, dim: 1}
noise: {kind: stable, alpha: 1.5, scale: 0.15}
p: 1.4
optimizer: [{method: ps_clip_sgd}, {method: sgd}]
schedule: {kind: theory, prescription: ps_clip_sgd}
checkpoints_per_decade: 2
EOF
"$bin" sweep sweep.yaml --out ref --quiet >/dev/null
script="$root/scripts/slurm_sweep.sh"

# 1. The whole sweep through the job array.
CLIPSIM=$bin "$script" sweep.yaml first --tasks 4 --wait || fail "the first submission did not complete"
cmp ref/results.csv first/results.csv || fail "merged results differ from the one-machine sweep"
echo "PASS: 4-task array merged = one-machine results.csv"

# 2. A task cancelled mid-run, then the script again.
CLIPSIM=$bin "$script" sweep.yaml second --tasks 4 > submit.txt || fail "second submission"
array=$(awk '/job array/{print $NF}' submit.txt)
[[ -n "$array" ]] || fail "no array id in: $(cat submit.txt)"
# Wait until task 1 runs and has committed at least one chunk, then cancel it.
log() { cat second.slurm/part-1/chunks/*.log 2>/dev/null | grep -c '^#chunk ' || true; }
for _ in $(seq 600); do
  state=$(squeue -h -j "${array}_1" -o '%T' 2>/dev/null || true)
  [[ "$state" == RUNNING && $(log) -ge 1 ]] && break
  sleep 0.1
done
[[ "$state" == RUNNING ]] || fail "task 1 never ran (state '$state')"
scancel "${array}_1"
for _ in $(seq 300); do
  [[ -z "$(squeue -h -j "$array" 2>/dev/null)" ]] && break
  sleep 0.2
done
[[ -z "$(squeue -h -j "$array")" ]] || fail "the array did not end after scancel"
# The merge job's dependency can never be met: it is removed (--kill-on-invalid-dep).
for _ in $(seq 100); do
  [[ -z "$(squeue -h 2>/dev/null)" ]] && break
  sleep 0.2
done
[[ -z "$(squeue -h)" ]] || fail "jobs left in the queue: $(squeue -h)"
[[ ! -f second/results.csv ]] || fail "a merge ran although a shard was cancelled"
runs_left() {
  "$bin" sweep second.slurm/sweep.yaml --out "$1" --shard 1/4 --dry-run |
    sed -n 's/.*to run in shard 1\/4: \([0-9]*\) runs.*/\1/p'
}
left=$(runs_left second.slurm/part-1)
total=$(runs_left "$t/nothing-here")
echo "task 1 cancelled with $(log) committed chunks: $left of its $total runs left"
((left > 0 && left < total)) || fail "expected a partly done shard 1, found $left of $total left"

CLIPSIM=$bin "$script" sweep.yaml second --wait > resubmit.txt ||
  fail "the second run of the script did not complete: $(cat resubmit.txt)"
grep -q "submitted shards 1 of 4" resubmit.txt || fail "expected only shard 1 again: $(cat resubmit.txt)"
cmp ref/results.csv second/results.csv || fail "results after the resubmission differ"
# The resumed shard computed only what it lacked (at most the chunks in flight were lost).
resumed=$(sed -n 's/^sweep: \([0-9]*\) new runs.*/\1/p' second.slurm/logs/part-1.log | tail -1)
[[ "$resumed" == "$left" ]] || fail "the resumed shard ran $resumed runs, expected $left"
echo "PASS: cancelled task resubmitted alone, resumed, merged = one-machine results.csv"

# 3. Nothing left: the script says so and submits nothing.
CLIPSIM=$bin "$script" sweep.yaml second > again.txt
grep -q "is complete; nothing to submit" again.txt || fail "expected nothing to submit: $(cat again.txt)"
echo "PASS: a complete sweep submits nothing"
