#!/usr/bin/env bash
# Issue 12's check of the op balance (measure/balance.hpp) on `local` (oneDNN), held out (seed 1):
# 200 architectures measured in four sessions per arm, balance on (local's default) and off, the
# arms interleaved session by session so that both see the same machine states: a first session,
# a quiet one, one with a neighbour streaming memory on the other core (which slows pooling and 1x1
# convolutions more than the reference's 3x3 convolutions), and a quiet one after it. Prints, per
# arm and per pair of sessions, the share of the 200 whose ratios agree within 5%, then each arm's
# mean and worst pair. (A first version ran the arms one after the other, 1,000 then 200 twice;
# the machine's state moved between the arms, 15% on the reference, which confounded them.)
# Usage: bench/op_balance.sh [OUT_DIR]   (about 6-8 minutes on 2 cores; needs python3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/neighbour.sh
bin=${MAPLEX_BIN:-build/maplex}
out=${1:-/tmp/maplex-op-balance}
mkdir -p "$out"
session() {  # session ARM NAME [--fresh]
  "$bin" measure --device local --balance "$1" --sample 200 --seed 1 --store "$out/$1.sqlite" \
    ${3:-} --out "$out/$1-$2.csv" | tail -1
}
for arm in on off; do session $arm first; done
for arm in on off; do session $arm quiet --fresh; done
start_neighbour
for arm in on off; do session $arm neighbour --fresh; done
stop_neighbour
for arm in off on; do session $arm quiet-after --fresh; done
python3 - "$out" <<'PY'
import csv, itertools, statistics, sys
out = sys.argv[1]
def ratios(path):
    rows = csv.DictReader(line for line in open(path) if not line.startswith('#'))
    return {int(r['index']): float(r['ratio']) for r in rows}
names = ('first', 'quiet', 'neighbour', 'quiet-after')
for arm in ('on', 'off'):
    sessions = {n: ratios(f'{out}/{arm}-{n}.csv') for n in names}
    shares = []
    for a, b in itertools.combinations(names, 2):
        rel = [sessions[b][i] / sessions[a][i] for i in sessions[a]]
        shares.append(sum(abs(x - 1) <= 0.05 for x in rel) / len(rel))
        print('balance %-3s %-11s %-11s within 5%%: %.3f  median ratio shift %+.2f%%'
              % (arm, a, b, shares[-1], 100 * (statistics.median(rel) - 1)))
    print('balance %-3s mean of the 6 pairs %.3f, worst %.3f' % (arm, statistics.mean(shares),
                                                                min(shares)))
PY
