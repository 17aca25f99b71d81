#!/usr/bin/env bash
# The reference network's op mix, two arms interleaved session by session so that both see the
# same machine states: `old` (the reference until 2026-12-06, measure::kReferenceArchBefore: three
# 3x3 convolutions, the 93rd FLOPs percentile of the space) and `median` (the first cell in index
# order with every op on a live edge and the space's median FLOPs, index 8, the default since).
# Each arm names its reference, so the script measures the same whatever the default. A session
# that shifts one op class against the others moves every ratio by how far its network's op mix is from the reference's; a reference of
# the space's typical mix should halve the worst of it. Four sessions per arm as in
# bench/balance_sessions.sh (first, quiet, beside a memory-streaming neighbour, quiet after), the
# anchors on so that bench/balance_replay.py scores each arm uncorrected and corrected.
# Usage: bench/reference_arms.sh DEVICE OUT [SAMPLE] [SEED]   (OpenCV, 80: about 30 minutes)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/neighbour.sh
bin=${MAPLEX_BIN:-build/maplex}
device=$1 out=$2 sample=${3:-80} seed=${4:-5}
old='|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|none~2|'
median='|nor_conv_1x1~0|+|avg_pool_3x3~0|skip_connect~1|+|skip_connect~0|none~1|nor_conv_3x3~2|'
mkdir -p "$out"
: > "$out/old-windows.txt"
: > "$out/median-windows.txt"
session() {  # session ARM NAME [--fresh]
  local start reference=$old
  [[ $1 == median ]] && reference=$median
  start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  "$bin" measure --device "$device" --balance on --reference "$reference" --sample "$sample" \
    --seed "$seed" --store "$out/$1.sqlite" ${3:-} --out "$out/$1-$2.csv" | tail -1 | cut -c1-160
  echo "$2 $start $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$out/$1-windows.txt"
}
for arm in old median; do session $arm first; done
for arm in median old; do session $arm quiet --fresh; done
start_neighbour
for arm in old median; do session $arm neighbour --fresh; done
stop_neighbour
for arm in median old; do session $arm quiet-after --fresh; done
for arm in old median; do
  echo "== $arm"
  python3 bench/balance_replay.py "$out/$arm.sqlite" "$out/$arm-windows.txt" data/nb201_archs.csv
done
