"""What calling maplex from Python costs over the C++ call (issue 13's target: < 5 ms for
predicting all 15,625).

Run: PYTHONPATH=build/python /usr/bin/python3 bench/python_overhead.py
fit: the Python call's wall time minus the C++ time of the same fit (Predictor.report["seconds"],
measured inside the call), so the machine's drift cancels; predict: the whole Python call (the C++
side is a vector already computed). Medians of repeats.
"""

import statistics
import time

import maplex

REPEATS_FIT = 15
REPEATS_PREDICT = 2000

truth = maplex.latencies("titan_rtx_1")
measured = {a: float(truth[a]) for a in maplex.plan(device="titan_rtx_1")}
p = maplex.Predictor(device="titan_rtx_1")
walls, inner = [], []
for _ in range(REPEATS_FIT):
    t0 = time.perf_counter()
    p.fit(measured)
    walls.append(time.perf_counter() - t0)
    inner.append(p.report["seconds"])
overheads = [w - i for w, i in zip(walls, inner)]
calls = []
for _ in range(REPEATS_PREDICT):
    t0 = time.perf_counter()
    p.predict()
    calls.append(time.perf_counter() - t0)
print(f"fit (maplex, default pool of 37 x 900, 3 measurements), median of {REPEATS_FIT}: "
      f"Python {1e3 * statistics.median(walls):.1f} ms, C++ {1e3 * statistics.median(inner):.1f} ms, "
      f"overhead {1e3 * statistics.median(overheads):.3f} ms "
      f"(range {1e3 * min(overheads):.3f}-{1e3 * max(overheads):.3f} ms)")
print(f"predict() -> float64 array of 15,625, median of {REPEATS_PREDICT}: "
      f"{1e6 * statistics.median(calls):.1f} us (max {1e6 * max(calls):.1f} us)")
