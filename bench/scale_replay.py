#!/usr/bin/env python3
"""Replays a scale history (bench/scale_history.sh) under candidate rules for the ms scale.

After each session, each store's scale is computed from the calibration rounds it held then
(the `reference` row and every `calibration:` row, by their measured_at). Printed per rule: how
far the scale moved from one session of a store to its next (mean, 95th percentile, max; all
sessions, and after the first third of each store), how far the two stores' scales were apart
after the first third, and the range of each store's scale over that stretch.
Usage: bench/scale_replay.py OUT_DIR
"""
import math
import sqlite3
import statistics as st
import sys


def rounds_of(path):
    db = sqlite3.connect(path)
    return db.execute(
        "select measured_at, reference_median_ms from timings "
        "where item = 'reference' or item like 'calibration:%' order by measured_at").fetchall()


def quartile_gate(r):  # the rule until 2026-12-05: median of the rounds within 10% of the lower quartile
    q = sorted(r)[(len(r) - 1) // 4]
    return st.median([v for v in r if v <= 1.1 * q])


def median_gate(r):
    m = st.median(r)
    return st.median([v for v in r if v <= 1.1 * m])


def mean_below_median_gate(r):
    m = st.median(r)
    return st.mean([v for v in r if v <= 1.1 * m])


def geometric_mean(r):
    return math.exp(st.mean([math.log(v) for v in r]))


def interquartile_mean(r):
    s = sorted(r)
    lo, hi = len(s) // 4, len(s) - len(s) // 4
    return st.mean(s[lo:hi]) if hi > lo else st.mean(s)


RULES = {
    'quartile gate (old)': quartile_gate,
    'median gate': median_gate,
    'median': st.median,
    'mean within 10% of median': mean_below_median_gate,
    'geometric mean (new)': geometric_mean,
    'interquartile mean': interquartile_mean,
}


def pct(x, q):
    s = sorted(x)
    return s[min(len(s) - 1, int(q * len(s)))]


def main(out):
    sessions = [line.split()[:3] for line in open(f'{out}/sessions.txt')]
    rounds = {s: rounds_of(f'{out}/{s}.sqlite') for s in 'AB'}
    allr = [v for s in 'AB' for _, v in rounds[s]]
    print(f'{len(sessions)} sessions; calibration rounds A {len(rounds["A"])}, B {len(rounds["B"])}; '
          f'round ms min {min(allr):.3f} median {st.median(allr):.3f} max {max(allr):.3f}')

    def scale(store, t, rule):
        r = [v for when, v in rounds[store] if when <= t]
        return rule(r) if r else None

    print('| rule | moves: mean / p95 / max | after the first third: mean / p95 / max | '
          'A vs B after the first third: mean / max | range after the first third: A / B |')
    print('| --- | --- | --- | --- | --- |')
    for name, rule in RULES.items():
        series = {'A': [], 'B': []}
        gaps = []
        for _, s, t in sessions:
            series[s].append(scale(s, t, rule))
            a, b = scale('A', t, rule), scale('B', t, rule)
            if a and b:
                gaps.append(abs(math.log(a / b)) * 100)
        moves, late, ranges = [], [], []
        for s in 'AB':
            x = series[s]
            m = [abs(math.log(x[i] / x[i - 1])) * 100 for i in range(1, len(x))]
            moves += m
            late += m[len(x) // 3:]
            tail = x[len(x) // 3:]
            ranges.append((max(tail) - min(tail)) / st.median(tail) * 100)
        g = gaps[len(gaps) // 3:]
        print(f'| {name} | {st.mean(moves):.2f} / {pct(moves, .95):.2f} / {max(moves):.2f}% | '
              f'{st.mean(late):.2f} / {pct(late, .95):.2f} / {max(late):.2f}% | '
              f'{st.mean(g):.2f} / {max(g):.2f}% | {ranges[0]:.2f} / {ranges[1]:.2f}% |')


if __name__ == '__main__':
    main(sys.argv[1])
