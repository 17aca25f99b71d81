#!/usr/bin/env bash
# Issue 12's figures for the runtimes of this machine (local = oneDNN, local:opencv, local:torch):
# 1,000 architectures each (OpenCV's in two rounds, its default), 200 of them measured a second
# time (--fresh: a new session on the same store, with the runtime's default rounds), the
# predictor from 3 planned measurements with the runtime's own per-op table scored on the 1,000,
# the runtimes side by side, and a search from an empty store on each; then a third session of the
# 200 for each runtime, after the others' sweeps (minutes later): the ms must hold, not only the ratios.
# Usage: bench/runtimes.sh [OUT_DIR]   (about 20-30 minutes on 2 cores; needs python3 for the summary)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=${MAPLEX_BIN:-build/maplex}
out=${1:-/tmp/maplex-runtimes}
mkdir -p "$out"
store="$out/store.sqlite"
for d in local local:opencv local:torch; do
  f="$out/${d/:/_}"
  "$bin" measure --device "$d" --sample 1000 --seed 1 --store "$store" --out "$f-1000.csv"
  "$bin" measure --device "$d" --sample 200 --seed 1 --store "$store" --fresh --out "$f-200-again.csv"
  "$bin" evaluate --devices "$f-1000.csv" --adapt 3 --select plan --trials 10 --store "$store" \
    --methods flops,lut,nearest,maple-x,maplex --json "$f-eval.json" > "$f-eval.txt"
  /usr/bin/time -f "%e s" "$bin" search --device "$d" --latency-budget-ms "$(python3 - "$f-1000.csv" <<'PY'
import csv, sys, statistics
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith('#'))][1:]
print(round(statistics.median(float(r[2]) for r in rows), 3))
PY
)" --store "$out/empty-${d/:/_}.sqlite" --no-records --json > "$f-search.json" 2> "$f-search.time"
done
for d in local local:opencv local:torch; do
  "$bin" measure --device "$d" --sample 200 --seed 1 --store "$store" --fresh \
    --out "$out/${d/:/_}-200-third.csv"
done
python3 - "$out" <<'PY'
import csv, json, re, statistics, sys
out = sys.argv[1]
def load(path, column='latency_ms'):
    rows = [r for r in csv.reader(l for l in open(path) if not l.startswith('#'))]
    head = rows[0]
    return {int(r[head.index('index')]): float(r[head.index(column)]) for r in rows[1:]}
def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    for k, i in enumerate(order):
        r[i] = k
    return r
def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.mean(ra), statistics.mean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    return cov / (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
names = ['local', 'local_opencv', 'local_torch']
data = {n: load(f'{out}/{n}-1000.csv') for n in names}
for n in names:
    again = load(f'{out}/{n}-200-again.csv')
    rel = [abs(again[i] / data[n][i] - 1) for i in again]
    first_r, again_r = load(f'{out}/{n}-1000.csv', 'ratio'), load(f'{out}/{n}-200-again.csv', 'ratio')
    rel_r = [abs(again_r[i] / first_r[i] - 1) for i in again_r]
    ev = json.load(open(f'{out}/{n}-eval.json'))
    s = json.load(open(f'{out}/{n}-search.json'))
    print(n, 'median ms %.3f' % statistics.median(data[n].values()),
          'repeat within 5%% (ms) %.3f' % (sum(r <= 0.05 for r in rel) / len(rel)),
          '(ratios) %.3f' % (sum(r <= 0.05 for r in rel_r) / len(rel_r)),
          'median |diff| %.4f (ratios %.4f)' % (statistics.median(rel), statistics.median(rel_r)),
          'search', open(f'{out}/{n}-search.time').read().strip().splitlines()[-1],
          'best measured', s['best'].get('measured_latency_ms'), 'budget', s['config'].get('latency_budget_ms', ''))
    third, third_r = load(f'{out}/{n}-200-third.csv'), load(f'{out}/{n}-200-third.csv', 'ratio')
    rel3 = [abs(third[i] / data[n][i] - 1) for i in third]
    rel3_r = [abs(third_r[i] / first_r[i] - 1) for i in third_r]
    scales = [float(re.search(r'reference ([0-9.]+) ms', open(f'{out}/{n}-{s}.csv').readlines()[1]).group(1))
              for s in ('1000', '200-again', '200-third')]
    print(n, 'third session within 5%% of the first (ms) %.3f (ratios) %.3f' %
          (sum(r <= 0.05 for r in rel3) / len(rel3), sum(r <= 0.05 for r in rel3_r) / len(rel3_r)),
          'scale (ms) first/second/third', ' / '.join('%.4g' % v for v in scales))
for a in range(3):
    for b in range(a + 1, 3):
        common = sorted(set(data[names[a]]) & set(data[names[b]]))
        x = [data[names[a]][i] for i in common]
        y = [data[names[b]][i] for i in common]
        print(names[b], '/', names[a], 'median ratio %.2f' % statistics.median(v / u for u, v in zip(x, y)),
              'Spearman %.3f' % spearman(x, y))
PY
