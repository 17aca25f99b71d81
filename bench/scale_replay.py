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


def quiet_rounds(r):  # the rounds within 10% of the lower quartile: those a timing's rule calls quiet
    q = sorted(r)[(len(r) - 1) // 4]
    return [v for v in r if v <= 1.1 * q]


def quartile_gate(r):  # the rule until 2026-12-05 and again from 2026-12-06
    return st.median(quiet_rounds(r))


def median_gate(r):
    m = st.median(r)
    return st.median([v for v in r if v <= 1.1 * m])


def mean_below_median_gate(r):
    m = st.median(r)
    return st.mean([v for v in r if v <= 1.1 * m])


def geometric_mean(r):
    return math.exp(st.mean([math.log(v) for v in r]))


def quiet_geometric_mean(r):
    return geometric_mean(quiet_rounds(r))


def interquartile_mean(r):
    s = sorted(r)
    lo, hi = len(s) // 4, len(s) - len(s) // 4
    return st.mean(s[lo:hi]) if hi > lo else st.mean(s)


RULES = {
    'quartile gate (now)': quartile_gate,
    'median gate': median_gate,
    'median': st.median,
    'mean within 10% of median': mean_below_median_gate,
    'geometric mean (2026-12-05)': geometric_mean,
    'geometric mean of the quiet rounds': quiet_geometric_mean,
    'interquartile mean': interquartile_mean,
}


def pct(x, q):
    s = sorted(x)
    return s[min(len(s) - 1, int(q * len(s)))]


def state_of_rounds(rounds, ends):
    """Each round's session state: that of the first of the store's sessions to end at or after it."""
    out, i = [], 0
    for when, v in rounds:
        while i < len(ends) and ends[i][0] < when:
            i += 1
        out.append((when, v, ends[i][1] if i < len(ends) else 'Q'))
    return out


def main(out):
    sessions = [(line.split() + ['Q'])[:4] for line in open(f'{out}/sessions.txt')]
    disturbed = any(st_ == 'D' for *_, st_ in sessions)
    rounds = {s: rounds_of(f'{out}/{s}.sqlite') for s in 'AB'}
    labelled = {s: state_of_rounds(rounds[s], [(t, d) for _, x, t, d in sessions if x == s]) for s in 'AB'}
    allr = [v for s in 'AB' for _, v in rounds[s]]
    print(f'{len(sessions)} sessions ({sum(d == "D" for *_, d in sessions)} disturbed); calibration rounds '
          f'A {len(rounds["A"])}, B {len(rounds["B"])}; round ms min {min(allr):.3f} median '
          f'{st.median(allr):.3f} max {max(allr):.3f}')
    for d in 'QD':
        r = [v for s in 'AB' for _, v, x in labelled[s] if x == d]
        if r:
            print(f'  rounds in {"quiet" if d == "Q" else "disturbed"} sessions: {len(r)}, median {st.median(r):.3f} ms')

    def scale(store, t, rule):
        r = [v for when, v in rounds[store] if when <= t]
        return rule(r) if r else None

    def quiet(store, t):
        r = [v for when, v, d in labelled[store] if when <= t and d == 'Q']
        return geometric_mean(r) if r else None

    head = ('| rule | moves: mean / p95 / max | after the first third: mean / p95 / max | '
            'A vs B after the first third: mean / max | range after the first third: A / B |')
    print(head + (' from the quiet level after the first third: mean / max |' if disturbed else ''))
    print('| --- | --- | --- | --- | --- |' + (' --- |' if disturbed else ''))
    for name, rule in RULES.items():
        series = {'A': [], 'B': []}
        off = {'A': [], 'B': []}
        gaps = []
        for _, s, t, _ in sessions:
            x = scale(s, t, rule)
            series[s].append(x)
            q = quiet(s, t)
            off[s].append(abs(math.log(x / q)) * 100 if q else None)
            a, b = scale('A', t, rule), scale('B', t, rule)
            if a and b:
                gaps.append(abs(math.log(a / b)) * 100)
        moves, late, ranges, far = [], [], [], []
        for s in 'AB':
            x = series[s]
            m = [abs(math.log(x[i] / x[i - 1])) * 100 for i in range(1, len(x))]
            moves += m
            late += m[len(x) // 3:]
            tail = x[len(x) // 3:]
            ranges.append((max(tail) - min(tail)) / st.median(tail) * 100)
            far += [f for f in off[s][len(x) // 3:] if f is not None]
        g = gaps[len(gaps) // 3:]
        row = (f'| {name} | {st.mean(moves):.2f} / {pct(moves, .95):.2f} / {max(moves):.2f}% | '
               f'{st.mean(late):.2f} / {pct(late, .95):.2f} / {max(late):.2f}% | '
               f'{st.mean(g):.2f} / {max(g):.2f}% | {ranges[0]:.2f} / {ranges[1]:.2f}% |')
        print(row + (f' {st.mean(far):.2f} / {max(far):.2f}% |' if disturbed and far else ''))


if __name__ == '__main__':
    main(sys.argv[1])
