#!/usr/bin/env bash
# The per-op table of local:opencv timed again and again on one store whose 1,000 architectures
# were measured earlier (bench/runtimes.sh's OUT_DIR), paired: each repeat times the table afresh
# (rounds, and the ops none of whose takes ran quiet timed again once the machine runs quiet:
# LocalDevice::lut), then scores `lut` and `maplex` from 3 planned measurements on the 1,000 twice,
# with the table as it is and with only each op's first take (the rule before: one timing, as it
# came). Pauses between repeats let them see different states of the machine.
# Usage: bench/op_table_state.sh RUNTIMES_DIR [REPEATS] [PAUSE_S]   (about 1-2 min per repeat)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${MAPLEX_BIN:-build/maplex}
dir=${1:?usage: bench/op_table_state.sh RUNTIMES_DIR [REPEATS] [PAUSE_S]}
repeats=${2:-6}
pause=${3:-30}
work=$(mktemp -d)
cp "$dir/store.sqlite" "$work/store.sqlite"
csv="$dir/local_opencv-1000.csv"
score() {  # store -> "lut maplex" (+-10%, mean over trials)
  "$bin" evaluate --devices "$csv" --adapt 3 --select plan --trials 10 --store "$1" \
    --methods lut,maplex --no-ceiling --json "$work/eval.json" > /dev/null 2>&1
  python3 - "$work/eval.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))['devices'][0]['methods']
print('%.3f %.3f' % (m['lut']['mean']['acc10'], m['maplex']['mean']['acc10']))
PY
}
echo "repeat started op_takes disturbed_first_takes lut_now maplex_now lut_first_take maplex_first_take"
for r in $(seq 1 "$repeats"); do
  sqlite3 "$work/store.sqlite" "delete from timings where fingerprint like '%+opencv' and item like 'op:%'"
  started=$(date -u +%H:%M:%S)
  now=$(score "$work/store.sqlite")
  cp "$work/store.sqlite" "$work/first.sqlite"
  sqlite3 "$work/first.sqlite" "delete from timings where fingerprint like '%+opencv' and item like 'op:%#%'"
  first=$(score "$work/first.sqlite")
  takes=$(sqlite3 "$work/store.sqlite" "select count(*) from timings where fingerprint like '%+opencv' and item like 'op:%'")
  disturbed=$(python3 - "$work/store.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cal = sorted(r for (r,) in db.execute("select reference_median_ms from timings where fingerprint like '%+opencv' and (item='reference' or item like 'calibration:%')"))
quiet = cal[(len(cal) - 1) // 4]
firsts = [r for (r,) in db.execute("select reference_median_ms from timings where fingerprint like '%+opencv' and item like 'op:%' and item not like '%#%'")]
print(sum(r > 1.1 * quiet for r in firsts))
PY
)
  echo "$r $started $takes $disturbed $now $first"
  [ "$r" -lt "$repeats" ] && sleep "$pause"
done
rm -rf "$work"
