#!/usr/bin/env bash
# Issue 12's check of the op balance (measure/balance.hpp) on `local` (oneDNN), held out (seed 1):
# 1,000 architectures, then 200 of them again in a quiet session and in a session with a
# neighbour streaming memory on the other core (which slows pooling and 1x1 convolutions more
# than the reference's 3x3 convolutions), each with the balance on (local's default) and off.
# Prints, per arm, the share of the 200 whose second ratio is within 5% of the first.
# Usage: bench/op_balance.sh [OUT_DIR]   (about 15 minutes on 2 cores; needs python3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${MAPLEX_BIN:-build/maplex}
out=${1:-/tmp/maplex-op-balance}
mkdir -p "$out"
neighbour() {  # copies a 256 MB buffer back and forth until killed
  python3 -c 'a = bytearray(1 << 28); b = bytearray(1 << 28)
while True: a[:] = b; b[:] = a' > /dev/null 2>&1 &
  echo $!
}
for balance in on off; do
  store="$out/$balance.sqlite"
  "$bin" measure --device local --balance $balance --sample 1000 --seed 1 --store "$store" \
    --out "$out/$balance-1000.csv" | tail -1
  "$bin" measure --device local --balance $balance --sample 200 --seed 1 --store "$store" --fresh \
    --out "$out/$balance-200-quiet.csv" | tail -1
  pid=$(neighbour)
  sleep 2
  "$bin" measure --device local --balance $balance --sample 200 --seed 1 --store "$store" --fresh \
    --out "$out/$balance-200-neighbour.csv" | tail -1
  kill "$pid"
done
python3 - "$out" <<'PY'
import csv, statistics, sys
out = sys.argv[1]
def ratios(path):
    rows = [r for r in csv.reader(l for l in open(path) if not l.startswith('#'))]
    head = rows[0]
    return {int(r[head.index('index')]): float(r[head.index('ratio')]) for r in rows[1:]}
for balance in ('on', 'off'):
    first = ratios(f'{out}/{balance}-1000.csv')
    for again in ('quiet', 'neighbour'):
        second = ratios(f'{out}/{balance}-200-{again}.csv')
        rel = [second[i] / first[i] for i in second]
        print(f'balance {balance:3} {again:9} within 5%: %.3f  median ratio shift %+.2f%%  '
              'median |diff| %.2f%%' % (sum(abs(x - 1) <= 0.05 for x in rel) / len(rel),
                                        100 * (statistics.median(rel) - 1),
                                        100 * statistics.median(abs(x - 1) for x in rel)))
PY
