#!/usr/bin/env python3
"""Replays the op balance (measure/balance.hpp) on a store's own timings, offline.

Every take a session kept and every anchor it timed are in the store (the timings table and its
history, replaced_timings), each with its time and, for a take, the factor it was divided by. So
one sweep with the anchors on gives the same sweep corrected any other way: not at all, by a panel
timed once at the start of the session, or by the rolling panel (maplex's: each anchor's latest
timing before the take), each with any ridge. Sessions are named time windows (WINDOWS: one line
"name start end" per session, UTC times as the store writes them). Prints, per variant, the share
of the architectures whose ratios agree within 5% for each pair of sessions, their mean and worst,
and how closely the replay of maplex's own rule reproduces the factors the store holds.

Usage: bench/balance_replay.py STORE WINDOWS ARCHS_CSV
"""
import collections
import itertools
import math
import sqlite3
import statistics
import sys

OPS = {1: 4, 2: 2, 3: 1, 4: 3}  # NB201 op code -> feature (skip, conv1x1, conv3x3, pool)


def features(archs, index):
    x = [1.0, 0, 0, 0, 0]
    for code in archs[index]:
        if code in OPS:
            x[OPS[code]] += 1
    return x


def solve(a, y):
    n = len(y)
    a = [row[:] for row in a]
    y = y[:]
    for i in range(n):
        for r in range(i + 1, n):
            f = a[r][i] / a[i][i]
            for c in range(i, n):
                a[r][c] -= f * a[i][c]
            y[r] -= f * y[i]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (y[i] - sum(a[i][c] * x[c] for c in range(i + 1, n))) / a[i][i]
    return x


def fit(panel, canonical, archs, ridge, width):
    """b of log(ratio / canonical) = x b (the first `width` features), ridge on every b."""
    a = [[0.0] * width for _ in range(width)]
    y = [0.0] * width
    for arch, ratio in panel.items():
        x = features(archs, arch)[:width]
        v = math.log(ratio / canonical[arch])
        for i in range(width):
            y[i] += x[i] * v
            for j in range(width):
                a[i][j] += x[i] * x[j]
    for i in range(width):
        a[i][i] += ridge
    return solve(a, y)


def factor(b, archs, index):
    return math.exp(sum(u * v for u, v in zip(b, features(archs, index))))


def load(store):
    db = sqlite3.connect(store)
    cols = 'item, ratio, reference_median_ms, measured_at, balance'
    rows = [r + (None,) for r in db.execute(f'SELECT {cols} FROM timings')]
    rows += list(db.execute(f'SELECT {cols}, replaced_at FROM replaced_timings'))
    # A row put back after a steadier take lost is in the history and in the table: keep its
    # latest replacement (None: still in the table).
    last = {}
    for r in rows:
        k = r[:5]
        if k not in last or last[k] is not None and (r[5] is None or r[5] > last[k]):
            last[k] = r[5]
    return [k + (v,) for k, v in last.items()]


def main():
    store, windows_path, archs_path = sys.argv[1:4]
    windows = [line.split() for line in open(windows_path) if line.strip()]
    archs = {}
    for line in itertools.islice(open(archs_path), 1, None):
        f = line.split(',')
        archs[int(f[0])] = [int(v) for v in f[2:8]]
    rows = load(store)
    anchors = sorted((r for r in rows if r[0].startswith('anchor:')), key=lambda r: r[0])
    panels = collections.OrderedDict()
    for r in anchors:
        panels.setdefault(r[0][:r[0].rfind('/')], []).append(r)
    full = max(len(p) for p in panels.values())
    canonical = {int(r[0][r[0].rfind('/') + 1:]): r[1]
                 for r in next(p for p in panels.values() if len(p) == full)}
    variants = [('none', None, 0, 5)]
    for ridge in (0.5, 4, 16):
        variants += [('start', 'start', ridge, 5), ('rolling', 'rolling', ridge, 5)]
    variants += [('start const', 'start', 0.1, 1), ('rolling const', 'rolling', 0.1, 1)]
    # The rolling panel without the anchors whose reference ran disturbed (as a take's would be
    # judged: above the quiet reference, the lower quartile of the calibrations so far, by 10%).
    variants += [('rolling quiet', 'quiet', r, 5) for r in (4, 16)]
    variants += [('rolling quiet const', 'quiet', 0.1, 1)]
    calibrations = sorted((r[3], r[2]) for r in rows
                          if r[0] == 'reference' or r[0].startswith('calibration:'))

    def quiet_at(when):
        so_far = sorted(ms for at, ms in calibrations if at <= when)
        return so_far[(len(so_far) - 1) // 4] if so_far else float('inf')
    results = {v: {} for v in variants}
    replay_err = []
    for name, start, end in windows:
        mine = [r for r in anchors if start <= r[3] <= end]
        takes = [r for r in rows if r[0].startswith('arch:') and start <= r[3] <= end and
                 (r[5] is None or r[5] > end)]
        first_panel = {}
        for r in mine:
            if len(first_panel) == full:
                break
            first_panel[int(r[0][r[0].rfind('/') + 1:])] = r[1]
        for v in variants:
            kind, ridge, width = v[1], v[2], v[3]
            b_start = fit(first_panel, canonical, archs, ridge, width) if kind else None
            logs = collections.defaultdict(list)
            for t in takes:
                index = int(t[0][5:].split('#')[0])
                raw = t[1] * t[4]
                if kind is None:
                    f = 1.0
                elif kind == 'start':
                    f = factor(b_start, archs, index)
                else:
                    panel = dict(first_panel)
                    for r in mine:
                        if r[3] <= t[3] and (kind == 'rolling' or r[2] <= 1.1 * quiet_at(r[3])):
                            panel[int(r[0][r[0].rfind('/') + 1:])] = r[1]
                    f = factor(fit(panel, canonical, archs, ridge, width), archs, index)
                    if kind == 'rolling' and ridge == 4 and width == 5:
                        replay_err.append(abs(f / t[4] - 1))
                logs[index].append(math.log(raw / f))
            results[v][name] = {i: math.exp(statistics.mean(l)) for i, l in logs.items()}
    print('replay of the store\'s own factors: median |diff| %.4f, 95th percentile %.4f' %
          (statistics.median(replay_err), sorted(replay_err)[int(0.95 * len(replay_err))])
          if replay_err else 'no rolling factors to replay')
    for v in variants:
        shares = []
        for (a, _, _), (b, _, _) in itertools.combinations(windows, 2):
            common = results[v][a].keys() & results[v][b].keys()
            rel = [results[v][b][i] / results[v][a][i] for i in common]
            shares.append(sum(abs(x - 1) <= 0.05 for x in rel) / len(rel))
        print('%-19s ridge %-4g pairs %s  mean %.3f worst %.3f' % (
            v[0], v[2], ' '.join('%.3f' % s for s in shares), statistics.mean(shares), min(shares)))


if __name__ == '__main__':
    main()
