#!/usr/bin/env bash
# The op balance's sessions for an offline replay (bench/balance_replay.py): SAMPLE architectures
# (seed SEED) on DEVICE in four sessions of one store, the anchors on: a first session, a quiet
# one, one beside a neighbour streaming memory on the other core (which shifts the op balance),
# and a quiet one after it. Each session's time window goes to OUT/windows.txt; the replay then
# scores every correction (none, a panel timed once per session, the rolling panel; each ridge)
# on the same timings, so the variants see the same machine states.
# Usage: bench/balance_sessions.sh DEVICE OUT [SAMPLE] [SEED]   (OpenCV, 120: about 10 minutes)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/neighbour.sh
bin=${MAPLEX_BIN:-build/maplex}
device=$1 out=$2 sample=${3:-120} seed=${4:-5}
mkdir -p "$out"
: > "$out/windows.txt"
session() {  # session NAME [--fresh]
  local start
  start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  "$bin" measure --device "$device" --balance on --sample "$sample" --seed "$seed" \
    --store "$out/store.sqlite" ${2:-} --out "$out/$1.csv" | tail -1
  echo "$1 $start $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$out/windows.txt"
}
session first
session quiet --fresh
start_neighbour
session neighbour --fresh
stop_neighbour
session quiet-after --fresh
python3 bench/balance_replay.py "$out/store.sqlite" "$out/windows.txt" data/nb201_archs.csv
