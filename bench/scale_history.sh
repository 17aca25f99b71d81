#!/usr/bin/env bash
# A tuning history for the ms scale's rule (issue 12): N sessions of `maplex measure --device
# DEVICE`, each 100 new architectures, alternating between two stores (A and B) as two users
# calibrating minutes apart would; the sessions' ends go to OUT/sessions.txt. With DISTURB = k > 0,
# the sessions come in blocks of 8 and every k-th block (the 2nd, the (k+1)-th, ...) is disturbed,
# marked D in sessions.txt (Q otherwise): with HOW = throttle (the default) it runs in a cgroup
# (v1 cpu controller, root) allowed 1 ms of CPU in every 3 ms, which slows oneDNN's reference
# about 2.5x (3.1-3.4 ms against 1.2-1.3 on a 2-core AMD EPYC VM, 2026-12-06): a whole session in
# a state far slower than the store's others, as run 15's OpenCV met (2x); with HOW = neighbours
# beside two memory neighbours (bench/neighbour.sh), which slowed the same reference only 5-15%.
# Then bench/scale_replay.py OUT replays the calibration rounds under each candidate rule.
# Usage: bench/scale_history.sh [OUT_DIR] [SESSIONS] [DISTURB] [DEVICE] [HOW]
#   (300 quiet sessions of local: about 30 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/neighbour.sh
bin=${MAPLEX_BIN:-build/maplex}
out=${1:-/tmp/maplex-scale-history}
sessions=${2:-300}
disturb=${3:-0}
device=${4:-local}
how=${5:-throttle}
mkdir -p "$out"
slow=/sys/fs/cgroup/cpu/maplex-slow
trap '[ ${#neighbours[@]} = 0 ] || stop_neighbour; [ ! -d "$slow" ] || rmdir "$slow" || true' EXIT
if [ "$disturb" -gt 0 ] && [ "$how" = throttle ]; then
  mkdir -p "$slow"
  echo 3000 > "$slow/cpu.cfs_period_us"
  echo 1000 > "$slow/cpu.cfs_quota_us"
fi
session() {  # STATE STORE SEED
  local run=("$bin" measure --device "$device" --sample 100 --seed "$3" --passes 1 --rounds 1
    --store "$out/$2.sqlite" --out "$out/last.csv")
  if [ "$1" = D ] && [ "$how" = throttle ]; then
    sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$slow" "${run[@]}" > "$out/last.out"
  else
    "${run[@]}" > "$out/last.out"
  fi
}
for k in $(seq 1 "$sessions"); do
  s=$([ $((k % 2)) = 1 ] && echo A || echo B)
  state=Q
  if [ "$disturb" -gt 0 ] && [ $(((k - 1) / 8 % disturb)) = 1 ]; then state=D; fi
  if [ "$how" = neighbours ]; then
    if [ $state = D ] && [ ${#neighbours[@]} = 0 ]; then start_neighbour; start_neighbour; fi
    if [ $state = Q ] && [ ${#neighbours[@]} != 0 ]; then stop_neighbour; fi
  fi
  session $state $s $((100 + k))
  echo "$((100 + k)) $s $(date -u +%FT%TZ) $state" >> "$out/sessions.txt"
done
python3 bench/scale_replay.py "$out"
