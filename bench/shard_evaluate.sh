#!/usr/bin/env bash
# Wall time of `maplex evaluate --protocol loo` in one process against the same evaluation split
# into 2 shards run side by side (issue 14), repeats interleaved so the machine's drift spreads
# over every configuration; prints each time and the median per configuration.
#   bench/shard_evaluate.sh [BUILD_DIR] [REPEATS] [TRIALS]
set -euo pipefail
BUILD=${1:-build}
REPEATS=${2:-3}
TRIALS=${3:-4}
M="$BUILD/maplex"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ARGS=(evaluate --protocol loo --trials "$TRIALS")

seconds() { # command...: wall seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk "BEGIN { print $end - $start }"
}
one() { "$M" "${ARGS[@]}" --threads "$1" --json "$WORK/whole.json"; }
two() {
  "$M" "${ARGS[@]}" --threads "$1" --shard 0/2 --json "$WORK/p0.json" &
  "$M" "${ARGS[@]}" --threads "$1" --shard 1/2 --json "$WORK/p1.json"
  wait
  "$M" merge --out "$WORK/merged.json" "$WORK/p0.json" "$WORK/p1.json"
}
declare -A times
for ((r = 0; r < REPEATS; r++)); do
  for config in "one 0" "one 1" "two 1" "two 0"; do
    t=$(seconds $config)
    times[$config]+="$t "
    echo "repeat $r: ${config/one/one process, threads}" | sed 's/two/two shards, threads/' >&2
    echo "  $t s" >&2
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for config in "one 0" "one 1" "two 1" "two 0"; do
  printf '%-28s median %7.1f s of: %s\n' "$(echo "$config" | sed 's/one/one process, --threads/;s/two/two shards, --threads/')" \
    "$(echo "${times[$config]}" | median)" "${times[$config]}"
done
