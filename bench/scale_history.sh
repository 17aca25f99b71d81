#!/usr/bin/env bash
# A tuning history for the ms scale's rule (issue 12): N sessions of `maplex measure --device
# local`, each 100 new architectures, alternating between two stores (A and B) as two users
# calibrating minutes apart would; the sessions' ends go to OUT/sessions.txt. Then
# bench/scale_replay.py OUT replays the calibration rounds under each candidate rule.
# Usage: bench/scale_history.sh [OUT_DIR] [SESSIONS]   (300 sessions: about 30 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${MAPLEX_BIN:-build/maplex}
out=${1:-/tmp/maplex-scale-history}
sessions=${2:-300}
mkdir -p "$out"
for k in $(seq 1 "$sessions"); do
  s=$([ $((k % 2)) = 1 ] && echo A || echo B)
  "$bin" measure --device local --sample 100 --seed $((100 + k)) --passes 1 --rounds 1 \
    --store "$out/$s.sqlite" --out "$out/last.csv" > "$out/last.out"
  echo "$((100 + k)) $s $(date -u +%FT%TZ)" >> "$out/sessions.txt"
done
python3 bench/scale_replay.py "$out"
