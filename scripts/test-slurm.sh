#!/usr/bin/env bash
# `npm run test:slurm`: scale-out on a real Slurm cluster. Starts a single-node cluster for this host from Debian's
# packages (munged, slurmctld, slurmd) in a temporary folder, submits a small suite as a job array of 3 shards with
# `pyramid-bench slurm --submit` (the command docs/scaling.md gives users), requeues one array task mid-run with
# `scontrol requeue` (Slurm's own requeue path: the task is killed and started again), waits for the dependent merge
# job, and checks that the merged values equal a single local run's (tools/check/same-values.ts). Prints each
# check, then "N passed, N failed"; exits non-zero on a failure. The daemons are stopped and the folder removed on
# exit. Needs root (the daemons run as root) and `./setup.sh` (slurmctld, slurmd, slurm-client, munge).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)

passed=0
failed=0
check() { # check <name> <command...>: runs the command, prints the check as passed or failed
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "passed: $name [$(($(date +%s) - started)) s]"
  else
    failed=$((failed + 1))
    echo "failed: $name [$(($(date +%s) - started)) s]"
  fi
}
finish() {
  echo "test-slurm: $(($(date +%s) - started)) s"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit $?
}
fatal() { # a step the rest depends on failed: count it, show the logs, stop
  failed=$((failed + 1))
  echo "failed: $1"
  for f in "$tmp"/log/*.log "$tmp"/runs/logs/*.log; do
    [ -f "$f" ] && { echo "--- $f (last 15 lines)"; tail -n 15 "$f"; }
  done
  finish
}

for tool in munged mungekey slurmctld slurmd sbatch scontrol squeue sinfo; do
  command -v "$tool" >/dev/null || {
    echo "test-slurm: $tool is missing; run ./setup.sh (Debian packages slurmctld slurmd slurm-client munge)"
    echo "0 passed, 1 failed"
    exit 1
  }
done
if [ "$(id -u)" -ne 0 ]; then
  echo "test-slurm: needs root (slurmd starts jobs as their user and runs as root)"
  echo "0 passed, 1 failed"
  exit 1
fi
[ -f dist/cli.js ] || npm run build >/dev/null

tmp=$(mktemp -d /tmp/pyramid-bench-slurm.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  # jobs first (slurmd ends their steps), then the daemons in reverse order of start
  if [ -n "${SLURM_CONF:-}" ] && [ -n "${ctld_pid:-}" ]; then
    scancel --quiet --full "${array_job:-0}" "${merge_job:-0}" 2>/dev/null
    sleep 1
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp"/{munge,state,spool,log,run}
chmod 700 "$tmp/munge"
host=$(hostname -s)

# munge: a key of our own, the socket, pid, seed and log in the temporary folder
mungekey --create --keyfile="$tmp/munge/munge.key" || fatal "mungekey --create"
chmod 600 "$tmp/munge/munge.key"
socket="$tmp/munge/munge.socket"
munged --foreground --force --key-file="$tmp/munge/munge.key" --socket="$socket" --pid-file="$tmp/munge/munged.pid" \
  --seed-file="$tmp/munge/munged.seed" --log-file="$tmp/log/munged.log" >"$tmp/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
check "munged is up (socket $socket)" test -S "$socket"

# slurm.conf: one node (this host, 2 CPUs), one partition, everything in the temporary folder
available_mb=$(awk '/MemAvailable/ {print int($2 / 1024)}' /proc/meminfo)
memory_mb=$((available_mb * 8 / 10))
ctld_port=$((17000 + RANDOM % 2000))
cat >"$tmp/slurm.conf" <<EOF
ClusterName=pyramidbench
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$((ctld_port + 2000))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
JobRequeue=1
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=$memory_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
ctld_pid=$!
pids+=("$ctld_pid")
slurmd -D -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
state=
for _ in $(seq 120); do
  state=$(sinfo -h -n "$host" -o %t 2>/dev/null)
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || fatal "node $host idle in sinfo (state '${state}')"
echo "passed: node $host idle in sinfo"
passed=$((passed + 1))

# the suite: analytic tiny-image, 600 samples in 12 chunks (4 per shard), the deterministic metrics
cat >"$tmp/suite.yaml" <<'EOF'
format: 1
name: slurm-test
version: 1
seed: 0
samples: 600
chunk: 50
batch: 10
conditions: {kind: class-balanced}
playbackFps: 8
methods:
  - name: pyramid
    model: analytic:tiny-image
    sampler: pyramid
    settings: {stepsPerStage: [200, 200, 200]}
metrics:
  - name: fd-pixel
  - name: cost
EOF

# the array, one task at a time (--max-running 1), so the store's new samples while task 1 runs are task 1's
runs="$tmp/runs"
submitted=$(node bin/pyramid-bench.js slurm "$tmp/suite.yaml" --shards 3 --out "$runs" --max-running 1 --time 10 --submit 2>&1)
echo "$submitted" | sed 's/^/  /'
array_job=$(echo "$submitted" | sed -n 's/^array job \([0-9]*\)$/\1/p')
merge_job=$(echo "$submitted" | sed -n 's/^merge job \([0-9]*\) .*/\1/p')
[ -n "$array_job" ] && [ -n "$merge_job" ] || fatal "pyramid-bench slurm --submit prints the array and merge job ids"
echo "passed: pyramid-bench slurm --submit: array job $array_job, merge job $merge_job"
passed=$((passed + 1))
has_lines() { grep -qx -e '#SBATCH --requeue' "$runs/array.sbatch" && grep -qx -e '#SBATCH --array=0-2%1' "$runs/array.sbatch"; }
check "array.sbatch has --requeue and --array=0-2%1" has_lines

task_state() { scontrol -o show job "${array_job}_$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2; }
samples_stored() { find "$runs/store/samples" -type f 2>/dev/null | wc -l; }

# requeue task 1 once it is running and has stored a sample (mid-run: its shard has 4 chunks)
for _ in $(seq 600); do
  [ "$(task_state 1)" = RUNNING ] && break
  sleep 0.1
done
[ "$(task_state 1)" = RUNNING ] || fatal "array task ${array_job}_1 starts running (state '$(task_state 1)')"
before=$(samples_stored)
for _ in $(seq 600); do
  [ "$(samples_stored)" -gt "$before" ] && break
  sleep 0.05
done
during=$(samples_stored)
check "task 1 running and storing samples ($before -> $during entries) before the requeue" test "$during" -gt "$before"
check "scontrol requeue ${array_job}_1 while it runs (state $(task_state 1))" scontrol requeue "${array_job}_1"
# a requeued job waits (BeginTime, about 2 minutes in Slurm 22.05) before it may start again; the test then lets it
# start at once: the task is still killed, requeued and restarted by Slurm, only the wait is cut short
reason=
for _ in $(seq 100); do
  reason=$(scontrol -o show job "${array_job}_1" | grep -o 'Reason=[A-Za-z_]*' | cut -d= -f2)
  [ "$(task_state 1)" = PENDING ] && break
  sleep 0.1
done
check "Slurm put task 1 back in the queue (state $(task_state 1), reason $reason)" test "$(task_state 1)" = PENDING
[ "$reason" = BeginTime ] && scontrol update JobId="${array_job}_1" StartTime=now

# the merge job runs after every task has succeeded
merge_state=
for _ in $(seq 1200); do
  merge_state=$(scontrol -o show job "$merge_job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
  case "$merge_state" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
  sleep 0.5
done
for t in 0 1 2; do check "array task ${array_job}_$t completed" test "$(task_state "$t")" = COMPLETED; done
restarts=$(scontrol -o show job "${array_job}_1" | grep -o 'Restarts=[0-9]*' | cut -d= -f2)
check "task 1 was requeued by Slurm (Restarts=$restarts)" test "${restarts:-0}" -ge 1
check "task 1 started twice (its log)" test "$(grep -c '^pyramid-bench: shard 1/3' "$runs/logs/shard-1.log")" -eq 2
check "task 1's second start read back what the first stored" grep -Eq 'store: samples [1-9][0-9]* read back' "$runs/logs/shard-1.log"
[ "$merge_state" = COMPLETED ] || fatal "merge job $merge_job completed (state '${merge_state}')"
echo "passed: merge job $merge_job completed"
passed=$((passed + 1))

# the same suite as one local run: the merged values must be its values, bit for bit
node bin/pyramid-bench.js run "$tmp/suite.yaml" --out "$tmp/single" --no-report >"$tmp/log/single.log" 2>&1
check "single local run" test -f "$tmp/single/results.json"
check "merged values equal the single run's (tools/check/same-values.ts)" npx tsx tools/check/same-values.ts "$runs/merged" "$tmp/single"
finish
