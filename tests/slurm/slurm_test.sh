#!/usr/bin/env bash
# examples/slurm on a real single-node Slurm: starts munged, slurmctld and slurmd (Debian's
# slurm-wlm, installed here when missing and this runs as root) for a 2-CPU node, submits a
# 2-task array of a small sweep and of a small evaluation with examples/slurm/submit.sh (the merge a
# dependent job), and checks the merged files against one process doing the same work. Where Slurm
# cannot start it says so in one line and runs the same shards under `xargs -P 2`.
#   tests/slurm/slurm_test.sh MAPLEX_BIN
set -euo pipefail
MAPLEX=$(realpath "${1:?expected the maplex binary}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
examples=$(realpath "$here/../../examples/slurm")
work=$(mktemp -d /tmp/maplex-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # munged daemonizes itself: its pid is in its pid file, not in pids
  [[ -f $work/munge/pid ]] && kill "$(cat "$work/munge/pid")" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A device whose latency is fixed by the architecture: shards and one process measure the same.
cat >"$work/fixed.json" <<'JSON'
{"name": "fixed-slurm", "command": "awk -v i={index} 'BEGIN{printf \"avg=%.4f ms\\n\", 1 + (i % 83) / 7}'",
 "latency_regex": "avg=([0-9.]+) ms", "timeout_s": 20}
JSON
export MAPLEX DEVICE="cmd:$work/fixed.json" SWEEP="--sample 12"
export EVALUATE="--protocol loo --methods flops,maplex --trials 2"

slurm_reason() { # why Slurm cannot run here, or nothing
  [[ $(id -u) -eq 0 ]] || { echo "not root (the test starts the daemons itself)"; return; }
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends slurm-wlm munge) >"$work/apt.log" 2>&1; then
      echo "slurm-wlm and munge could not be installed ($(tail -1 "$work/apt.log"))"
      return
    fi
  fi
  command -v slurmctld >/dev/null || echo "slurmctld is missing after installing slurm-wlm"
}

start_slurm() { # starts munged, slurmctld and slurmd; returns non-zero when the node is not up
  local host conf
  host=$(hostname -s)
  mkdir -p "$work/munge" "$work/state" "$work/spool" /run/munge
  dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$work/munge/munge.key"
  munged --force --key-file="$work/munge/munge.key" --socket="$work/munge/socket" \
    --pid-file="$work/munge/pid" --log-file="$work/munge/log" --seed-file="$work/munge/seed" \
    >/dev/null 2>&1 || return 1
  conf="$work/slurm.conf"
  cat >"$conf" <<CONF
ClusterName=maplex-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=$host CPUs=2 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$conf
  slurmctld -D -f "$conf" >/dev/null 2>&1 &
  pids+=($!)
  slurmd -D -f "$conf" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 60); do
    if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed)'; then return 0; fi
    sleep 1
  done
  return 1
}

wait_for_job() { # job id: waits until Slurm no longer lists it (at most 5 minutes)
  for _ in $(seq 300); do
    [[ -z $(squeue -h -j "$1" 2>/dev/null) ]] && return 0
    sleep 1
  done
  echo "slurm-test: job $1 did not finish within 5 minutes" >&2
  return 1
}

run_with_slurm() {
  local ids
  for kind in sweep evaluate; do
    ids=$(cd "$work" && "$examples/submit.sh" "$kind" 2 "$work/$kind")
    wait_for_job "${ids%% *}"
    wait_for_job "${ids##* }"
  done
}

run_with_xargs() { # the same shards and merges, two at a time
  mkdir -p "$work/sweep" "$work/evaluate"
  for kind in sweep evaluate; do
    printf '%s\n' 0 1 | OUT="$work/$kind" xargs -P 2 -I K env SLURM_ARRAY_TASK_ID=K \
      SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=2 SLURM_CPUS_PER_TASK=1 \
      bash "$examples/$kind.sbatch"
    OUT="$work/$kind" KIND=$kind bash "$examples/merge.sbatch" >/dev/null
  done
}

reason=$(slurm_reason)
if [[ -z $reason ]] && start_slurm; then
  echo "slurm-test: ran under Slurm $(sinfo -V | cut -d' ' -f2) (slurmctld + slurmd, one 2-CPU node): 2-task arrays, merge as a dependent job"
  run_with_slurm
else
  echo "slurm-test: Slurm cannot start here (${reason:-the daemons did not bring the node up}); the same shards ran under xargs -P 2"
  run_with_xargs
fi

# One process doing the same work.
"$MAPLEX" measure --device "$DEVICE" $SWEEP --seed 0 --store "$work/whole.sqlite" \
  --out "$work/whole.csv" >/dev/null
# shellcheck disable=SC2086
"$MAPLEX" evaluate $EVALUATE --threads 1 --json "$work/whole.json" >/dev/null 2>&1
rows() { grep -v '^#' "$1" | grep -v '^arch,' | cut -d, -f1-9; }
[[ -s $work/sweep/sweep.csv ]] || { echo "slurm-test: no merged sweep.csv" >&2; exit 1; }
[[ $(rows "$work/sweep/sweep.csv" | wc -l) -eq 12 ]] || { echo "slurm-test: merged sweep lacks rows" >&2; exit 1; }
diff <(rows "$work/whole.csv") <(rows "$work/sweep/sweep.csv") >&2 ||
  { echo "slurm-test: the merged sweep differs from one process's" >&2; exit 1; }
python3 - "$work" <<'PY'
import json, sqlite3, sys
work = sys.argv[1]
def rows(db):
    with sqlite3.connect(db) as c:
        return sorted(c.execute("SELECT fingerprint, settings, item, ratio FROM timings WHERE item LIKE 'arch:%'"))
assert rows(f"{work}/sweep/store.sqlite") == rows(f"{work}/whole.sqlite"), "stores differ"
a = json.load(open(f"{work}/whole.json"))
b = json.load(open(f"{work}/evaluate/evaluation.json"))
for key in ("devices", "mean_over_devices", "mean_per_group", "geomean_spearman_over_groups",
            "mean_noise_ceiling"):
    assert a[key] == b[key], f"{key} differs between the merged evaluation and one process's"
assert len(b["merged_from"]) == 2
PY
echo "slurm-test: merged sweep (12 rows, store) and evaluation equal one process's"
