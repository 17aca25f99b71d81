#!/usr/bin/env python3
"""Ceilings for two of issue 11's targets, from the shipped tables: what a predictor would have to
be for them to be reachable at all.

`front`: "normalised hypervolume >= 99% of the true front's on >= 36 of 40 devices". For every
shipped device setting, the front of (latency, cifar10 validation accuracy) is selected among all
connected cells, with every accuracy known (more than any search with 1,000 queries has), under
three kinds of predicted latency, and judged with the true latencies against the true front the
way `maplex pareto` judges it (EvoXBench: both objectives normalised by the true front's ideal and
nadir, reference point (1.1, 1.1)):
- `additive oracle`: the best additive model of the device (per edge and op, plus the same for the
  ops that are live, plus a constant), fitted by relative least squares on all of its ~15,600
  measured cells: the ceiling of the model class maplex's predictor uses, with no measurement
  budget at all.
- `flops oracle`: latency linear in FLOPs, fitted the same way on all cells.
- `noise SD`: the true latency times exp(N(0, SD^2)), independently per cell: a predictor whose
  only fault is an unbiased error of that size.
Then, per device, the true front's members whose latency is below half the median of the same
network's other cell encodings (the cells with the same live edges and ops; at least 4 of them):
on a runtime that removes dead ops those encodings are the same computation.

`budget`: "median regret <= 0.30 at the 25th percentile budget, >= 99% truly feasible, 3 device
measurements". Each cell's prediction is its true latency times exp(N(0, SD^2)) with SD known, so
P(latency <= budget) = Phi((log budget - log prediction) / SD); every accuracy is known and all 3
measurements are checks (an oracle needs no adaptation). The answer starts as the most accurate
cell with P >= THRESHOLD (unchecked); each check measures the unchecked cell with the largest
P x (accuracy - the answer's accuracy) and becomes the answer when it meets the budget. Regret is
against the most accurate connected cell within the budget; 40 devices x 3 seeds.
`family`: "mean +-10% >= 0.75 of the noise ceiling (0.855) over the 40 settings, each device's
family out of the pool" (families and pools as `maplex evaluate --protocol family` builds them,
read from its JSON). For each target, the best single pool device outside its family chosen
with hindsight (on the target's whole table): scaled by the best constant (`scaled`), or as a power
law c x latency^a fitted on the whole table (`power law`); then the power law of the pool device
whose fit leaves the smallest residual on 3 measured cells (one of the fastest 5%, one of the
slowest 5%, one from the middle third; 5 draws): what choosing among pool devices from 3
measurements gives.
`nasflat` and `help`: "geometric mean over NASFLAT's six tasks of the Spearman correlation >= 0.932
with 3 planned samples" and "`help` with 3 planned samples >= HELP's 0.932 on its own test set".
Per task (per target for `help`), the Spearman correlation with each target of the best single
pool device chosen with hindsight (the pools as `maplex evaluate --protocol P` builds them, read
from its JSON; --maplex names the binary), and of FLOPs; `help` scores HELP's test set (NB201
indices 900-1899 less the target's 10% fastest and 10% slowest), `nasflat` every connected cell.
Usage: bench/ceilings.py front|budget|family|nasflat|help [DATA_DIR] [--seed S] [--maplex BIN]   (default data/ next to this script)
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

import numpy as np

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]


def edge_ops(arch):
    return [t.split("~")[0] for node in arch.split("+") for t in node.strip("|").split("|")]


def live_ops(ops):
    on = dict(zip(EDGES, ops))
    reach = {0}
    for i in (1, 2, 3):
        if any(j in reach and on[(j, i)] != "none" for j in range(i)):
            reach.add(i)
    feeds = {3}
    for j in (2, 1, 0):
        if any(i in feeds and on[(j, i)] != "none" for i in range(j + 1, 4)):
            feeds.add(j)
    return tuple(o if a in reach and b in feeds else "none" for (a, b), o in zip(EDGES, ops))


def features(ops):
    x = np.zeros(2 * len(EDGES) * len(OPS) + 1)
    for k, (o, live) in enumerate(zip(ops, live_ops(ops))):
        x[k * len(OPS) + OPS.index(o)] = 1
        x[(len(EDGES) + k) * len(OPS) + OPS.index(live)] = 1
    x[-1] = 1
    return x


class Failure(Exception):
    """One line for stderr: the value and what was expected."""


def load(data):
    for name in ("nb201_archs.csv", "nb201_valid_acc.csv", "latency_help_nb201.csv",
                 "latency_eagle_nb201.csv"):
        if not os.path.isfile(os.path.join(data, name)):
            raise Failure(f"data directory {data!r} has no {name}, expected the shipped tables "
                          "(the repository's data/)")
    archs = list(csv.DictReader(open(os.path.join(data, "nb201_archs.csv"))))
    n = len(archs)
    acc = np.zeros(n)
    for r in csv.DictReader(open(os.path.join(data, "nb201_valid_acc.csv"))):
        acc[int(r["index"])] = float(r["valid_acc_cifar10"])
    ops = [edge_ops(r["arch_str"]) for r in archs]
    lat = {}
    for name in ("latency_help_nb201.csv", "latency_eagle_nb201.csv"):
        rows = list(csv.DictReader(open(os.path.join(data, name))))
        for dev in [c for c in rows[0] if c not in ("index", "arch_str")]:
            v = np.full(n, np.nan)
            for r in rows:
                if r[dev]:
                    v[int(r["index"])] = float(r[dev])
            lat[dev] = v
    return {
        "connected": np.array([r["connected"] == "1" for r in archs]),
        "flops": np.array([float(r["flops_M_cifar10"]) for r in archs]),
        "acc": acc, "ops": ops, "x": np.array([features(o) for o in ops]), "lat": lat,
    }


def front(latency, acc, cells):
    out, best = [], -np.inf
    for i in sorted(cells, key=lambda i: (latency[i], -acc[i])):
        if acc[i] > best:
            out.append(i)
            best = acc[i]
    return out


def hypervolume(points, ref=(1.1, 1.1)):
    volume, top = 0.0, ref[1]
    for a, b in sorted(p for p in points if p[0] < ref[0] and p[1] < ref[1]):
        if b < top:
            volume += (ref[0] - a) * (top - b)
            top = b
    return volume


def normalised_ratio(found, truth, latency, acc):
    t = [(-acc[i], latency[i]) for i in truth]
    lo = [min(p[k] for p in t) for k in (0, 1)]
    hi = [max(p[k] for p in t) for k in (0, 1)]

    def norm(cells):
        return [tuple((p[k] - lo[k]) / (hi[k] - lo[k]) for k in (0, 1))
                for p in ((-acc[i], latency[i]) for i in cells)]
    return hypervolume(norm(found)) / hypervolume(norm(truth))


def relative_fit(x, y):
    a = x / y[:, None]
    return np.linalg.solve(a.T @ a + 1e-6 * np.eye(x.shape[1]), a.T @ np.ones(len(y)))


def encodings_below_half(d, latency, true_front):
    same = defaultdict(list)
    for i, o in enumerate(d["ops"]):
        same[live_ops(o)].append(i)
    count = 0
    for i in true_front:
        others = [latency[j] for j in same[live_ops(d["ops"][i])]
                  if j != i and not np.isnan(latency[j])]
        count += len(others) >= 4 and latency[i] < 0.5 * np.median(others)
    return count


def front_table(d, rng):
    sds = (0.02, 0.05, 0.1)
    rows = []
    for dev, latency in d["lat"].items():
        cells = np.where(d["connected"] & ~np.isnan(latency))[0]
        truth = front(latency, d["acc"], cells)
        fl = np.c_[d["flops"], np.ones(len(d["flops"]))]
        preds = [d["x"] @ relative_fit(d["x"][cells], latency[cells]),
                 fl @ relative_fit(fl[cells], latency[cells])]
        preds += [latency * np.exp(rng.normal(0, sd, len(latency))) for sd in sds]
        ratios = [normalised_ratio(front(p, d["acc"], cells), truth, latency, d["acc"])
                  for p in preds]
        rows.append((dev, len(truth), ratios, encodings_below_half(d, latency, truth)))
    names = ["additive oracle", "flops oracle"] + [f"noise SD {sd}" for sd in sds]
    print("| device | true front | " + " | ".join(names) + " | front members < half their "
          "network's other encodings |")
    print("|" + " --- |" * (len(names) + 3))
    for dev, size, ratios, low in sorted(rows, key=lambda r: r[2][0]):
        print(f"| {dev} | {size} | " + " | ".join(f"{r:.3f}" for r in ratios) + f" | {low} |")
    print("| devices >= 0.99 | | " + " | ".join(
        f"{sum(r[2][k] >= 0.99 for r in rows)} of {len(rows)}" for k in range(len(names))) + " | |")


def checked_answer(latency, acc, ok, budget, sd, rng, checks, threshold):
    """(regret, truly feasible) of the check policy in the module's text."""
    pred = latency * np.exp(rng.normal(0, sd, len(latency)))
    z = (math.log(budget) - np.log(pred)) / sd
    p = np.where(ok, 0.5 * (1 + np.vectorize(math.erf)(z / math.sqrt(2))), 0.0)
    best = acc[ok & (latency <= budget)].max()
    sure = np.where(p >= threshold)[0]
    answer = sure[np.argmax(acc[sure])] if len(sure) else -1
    floor = acc[answer] if answer >= 0 else 0.0
    tried = np.zeros(len(latency), bool)
    for _ in range(checks):
        gain = np.where(ok & ~tried, p * (acc - floor), -1.0)
        i = int(np.argmax(gain))
        if gain[i] <= 0:
            break
        tried[i] = True
        if latency[i] <= budget:
            answer, floor = i, acc[i]
    if answer < 0:
        return math.nan, False
    return best - acc[answer], latency[answer] <= budget


def budget_table(d, seed):
    print("| SD | checks | P threshold of the unchecked answer | median regret | mean regret | "
          "truly feasible |")
    print("| --- | --- | --- | --- | --- | --- |")
    for sd in (0.05, 0.1, 0.2):
        for checks, threshold in ((3, 0.9999), (3, 0.999), (2, 0.9999)):
            rng = np.random.default_rng(seed)  # the same errors in every row of one SD
            regret, feasible = [], []
            for latency in d["lat"].values():
                ok = d["connected"] & ~np.isnan(latency)
                budget = np.percentile(latency[~np.isnan(latency)], 25)
                for _ in range(3):
                    r, f = checked_answer(latency, d["acc"], ok, budget, sd, rng, checks,
                                          threshold)
                    regret.append(r)
                    feasible.append(f)
            print(f"| {sd} | {checks} | {threshold} | {np.nanmedian(regret):.3f} | "
                  f"{np.nanmean(regret):.3f} | {np.mean(feasible):.3f} |")


def within_10(pred, truth):
    return float(np.mean(np.abs(pred / truth - 1) <= 0.1))


def best_scaled(log_ratio):
    """The largest share of cells one constant scale puts within 10%."""
    c = np.sort(log_ratio)
    ends = np.searchsorted(c, c + math.log(1.1 / 0.9), side="right")
    return float((ends - np.arange(len(c))).max() / len(c))


def power_law(x, y):
    a = np.c_[np.log(x), np.ones(len(x))]
    return np.linalg.lstsq(a, np.log(y), rcond=None)[0]


def family_row(d, target, pool, rng):
    lat, ok = d["lat"][target], d["connected"] & ~np.isnan(d["lat"][target])
    scaled = powered = 0.0
    for p in pool:
        k = ok & ~np.isnan(d["lat"][p])
        scaled = max(scaled, best_scaled(np.log(lat[k] / d["lat"][p][k])))
        coef = power_law(d["lat"][p][k], lat[k])
        powered = max(powered, within_10(np.exp(coef[1]) * d["lat"][p][k] ** coef[0], lat[k]))
    order = np.where(ok)[0][np.argsort(lat[ok])]
    n, chosen = len(order), []
    for _ in range(5):
        cells = [order[rng.integers(0, n // 20)], order[rng.integers(n - n // 20, n)],
                 order[rng.integers(n // 3, 2 * n // 3)]]
        fits = []
        for p in pool:
            if not np.isnan(d["lat"][p][cells]).any():
                coef = power_law(d["lat"][p][cells], lat[cells])
                pred = np.exp(coef[1]) * d["lat"][p][cells] ** coef[0]
                fits.append((float(np.sum(np.log(pred / lat[cells]) ** 2)), p, coef))
        _, p, coef = min(fits, key=lambda f: f[0])
        k = ok & ~np.isnan(d["lat"][p])
        chosen.append(within_10(np.exp(coef[1]) * d["lat"][p][k] ** coef[0], lat[k]))
    return scaled, powered, float(np.mean(chosen))


def family_table(d, binary, rng):
    cases = protocol_cases(binary, "family")
    family = {c["device"]: c["group"] for c in cases}
    rows = {c["device"]: family_row(d, c["device"], c["pool"], rng) for c in cases}
    print("| family | settings | scaled (hindsight) | power law (hindsight) | "
          "power law chosen from 3 measurements |")
    print("| --- | --- | --- | --- | --- |")
    for f in sorted(set(family[t] for t in rows)):
        v = np.array([rows[t] for t in rows if family[t] == f])
        print(f"| {f} | {len(v)} | " + " | ".join(f"{x:.3f}" for x in v.mean(axis=0)) + " |")
    v = np.array(list(rows.values()))
    print(f"| all | {len(v)} | " + " | ".join(f"{x:.3f}" for x in v.mean(axis=0)) + " |")


def ranks(v):
    r = np.empty(len(v))
    order = np.argsort(v, kind="stable")
    r[order] = np.arange(len(v))
    s = np.sort(v)
    for value in np.unique(s[1:][np.diff(s) == 0]):  # ties share their mean rank
        r[v == value] = r[v == value].mean()
    return r


def spearman(a, b):
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def scored_cells(d, lat, protocol):
    ok = d["connected"] & ~np.isnan(lat)
    if protocol != "help":
        return ok
    cells = [a for a in range(900, min(1900, len(lat))) if not np.isnan(lat[a])]
    cells.sort(key=lambda a: lat[a])
    cut = len(cells) // 10
    test = np.zeros(len(lat), bool)
    test[cells[cut:len(cells) - cut]] = True
    return test


def protocol_cases(binary, protocol):
    """Each target of `maplex evaluate --protocol P` with its group and pool, as maplex builds them."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cases.json")
        if not os.access(binary, os.X_OK):
            raise Failure(f"maplex binary {binary!r} is not an executable file, expected the "
                          "built CLI (--maplex PATH, or scripts/setup.sh first)")
        run = subprocess.run([binary, "evaluate", "--protocol", protocol, "--methods", "flops",
                              "--trials", "1", "--no-ceiling", "--json", out],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if run.returncode != 0:
            last = (run.stderr.strip().splitlines() or ["no message"])[-1]
            raise Failure(f"{binary} evaluate --protocol {protocol} exited with "
                          f"{run.returncode}: {last}")
        return json.load(open(out))["devices"]


def pool_table(d, binary, protocol):
    cases = protocol_cases(binary, protocol)
    per_task = defaultdict(list)
    for c in cases:
        lat = d["lat"][c["device"]]
        ok = scored_cells(d, lat, protocol)
        best = max(spearman(lat[ok & ~np.isnan(d["lat"][p])], d["lat"][p][ok & ~np.isnan(
            d["lat"][p])]) for p in c["pool"])
        group = c["group"] if protocol == "nasflat" else c["device"]
        per_task[group].append((best, spearman(lat[ok], d["flops"][ok])))
    print(f"| {'task' if protocol == 'nasflat' else 'target'} | targets | best single pool "
          "device, hindsight | FLOPs |")
    print("| --- | --- | --- | --- |")
    means = []
    for task in sorted(per_task):
        m = np.array(per_task[task]).mean(axis=0)
        means.append(m)
        print(f"| {task} | {len(per_task[task])} | {m[0]:.3f} | {m[1]:.3f} |")
    if protocol == "nasflat":
        g = np.exp(np.log(np.array(means)).mean(axis=0))
        print(f"| geomean | | {g[0]:.3f} | {g[1]:.3f} |")
    else:
        m = np.array(means).mean(axis=0)
        print(f"| mean | | {m[0]:.3f} | {m[1]:.3f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", choices=["front", "budget", "family", "nasflat", "help"])
    parser.add_argument("data", nargs="?",
                        default=os.path.join(os.path.dirname(__file__), "..", "data"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--maplex", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                         "maplex"))
    args = parser.parse_args()
    try:
        run(args)
    except (Failure, OSError, ValueError, KeyError) as e:
        what = e.args[0] if isinstance(e, Failure) else f"{type(e).__name__}: {e}"
        print(f"ceilings.py: {what}", file=sys.stderr)
        sys.exit(1)


def run(args):
    d = load(args.data)
    if args.table == "front":
        front_table(d, np.random.default_rng(args.seed))
    elif args.table == "budget":
        budget_table(d, args.seed)
    elif args.table == "family":
        family_table(d, args.maplex, np.random.default_rng(args.seed))
    else:
        pool_table(d, args.maplex, args.table)


if __name__ == "__main__":
    main()
