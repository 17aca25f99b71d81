"""search, pareto, resume and measure: the same result documents as the CLI's --json."""

import json
import math

import numpy as np
import pytest

import maplex
from conftest import cli_json, device_column


def comparable(doc):
    """A result document without what differs between two runs of one spec (timings)."""
    doc = json.loads(json.dumps(doc))
    doc.pop("seconds", None)
    return doc


def test_search_equals_the_cli():
    want = cli_json("search", "--device", "titan_rtx_1", "--latency-budget-ms", 6, "--queries",
                    100, "--seed", 3, "--no-records")
    got = maplex.search("titan_rtx_1", 6, queries=100, seed=3)
    assert comparable(got) == comparable(want)
    best = got["best"]
    truth = device_column("titan_rtx_1")
    assert got["best_feasible"] and truth[best["index"]] <= 6
    assert best["arch_str"] == maplex.arch_str(best["index"])


def test_search_from_measurements_given_as_a_dict(tmp_path):
    truth = device_column("pixel3")
    measured = {a: truth[a] for a in maplex.plan(device="pixel3")}
    m = tmp_path / "phone.csv"
    m.write_text("arch,latency_ms\n" + "".join(f"{a},{repr(v)}\n" for a, v in measured.items()))
    # 8 ms: above the fastest planned measurement (5.04 ms); at 5 ms nothing is predicted within
    # the budget at the search's confidence and both interfaces name what to measure instead.
    want = cli_json("search", "--measurements", m, "--device", "phone", "--latency-budget-ms", 8,
                    "--queries", 60, "--no-records")
    got = maplex.search("phone", 8, measurements=measured, queries=60)
    assert got["best"]["index"] == want["best"]["index"]
    assert got["target"]["device"] == "phone"
    assert [x["index"] for x in got["target"]["measurements"]] == list(measured)


def test_pareto_is_judged_like_the_cli():
    want = cli_json("pareto", "--device", "pixel3", "--queries", 150, "--verify", 0, "--no-records")
    got = maplex.pareto("pixel3", queries=150, verify=0)
    assert comparable(got) == comparable(want)
    judgement = got["judgement"]
    assert 0 < judgement["hypervolume_ratio"] <= 1
    assert judgement["front_size"] == len(got["front"]) > 2


def test_pareto_writes_the_front_files_the_cli_writes(tmp_path):
    args = ("pareto", "--device", "pixel3", "--queries", 150, "--verify", 0, "--no-records")
    cli_json(*args, "--out", tmp_path / "cli.csv", "--plot", tmp_path / "cli.svg")
    maplex.pareto("pixel3", queries=150, verify=0, front_csv=str(tmp_path / "py.csv"),
                  front_plot=str(tmp_path / "py.svg"))
    rows = [(tmp_path / f"{who}.csv").read_text().splitlines()[2:] for who in ("cli", "py")]
    assert rows[0] == rows[1] and len(rows[0]) > 3
    assert (tmp_path / "py.svg").read_text() == (tmp_path / "cli.svg").read_text()


def test_a_recorded_run_resumes_to_its_result(tmp_path):
    run_dir = tmp_path / "run"
    first = maplex.search("gold_6226", 4, queries=80, seed=5, run_dir=run_dir)
    assert (run_dir / "result.json").exists() and (run_dir / "history.csv").exists()
    again = maplex.resume(run_dir)
    assert again["best"]["index"] == first["best"]["index"]
    assert again["spent"]["accuracy_queries"] == first["spent"]["accuracy_queries"]
    with pytest.raises(ValueError, match="already holds a run"):
        maplex.search("gold_6226", 4, queries=80, run_dir=run_dir)


def test_threads_do_not_change_the_answer():
    one = maplex.search("pixel2", 20, queries=120, seed=9, threads=1)
    two = maplex.search("pixel2", 20, queries=120, seed=9, threads=2)
    assert comparable(one) == comparable(two)


def test_measure_on_this_machine_uses_the_store(tmp_path):
    store = str(tmp_path / "store.db")
    first = maplex.measure([11164, 0], device="local", repeats=3, warmup=1, store=store)
    assert first["index"] == [11164, 0] and first["from_store"] == [False, False]
    assert first["latency_ms"].shape == (2,) and np.all(first["latency_ms"] > 0)
    assert first["description"] and first["fingerprint"]
    again = maplex.measure([0], device="local", repeats=3, warmup=1, store=store)
    assert again["from_store"] == [True]
    assert again["latency_ms"][0] == first["latency_ms"][1]


def test_measure_in_rounds_keeps_each_take_and_their_geometric_mean(tmp_path):
    import sqlite3

    store = str(tmp_path / "store.db")
    got = maplex.measure([11164, 0], device="local", repeats=3, warmup=1, store=store, rounds=2)
    with sqlite3.connect(store) as db:
        ratio = dict(db.execute("SELECT item, ratio FROM timings WHERE item LIKE 'arch:%'"))
    assert set(ratio) == {"arch:11164", "arch:11164#2", "arch:0", "arch:0#2"}
    # Both at one scale: latency / geometric mean of the takes' ratios is the same number.
    scales = [ms / math.sqrt(ratio[f"arch:{i}"] * ratio[f"arch:{i}#2"])
              for i, ms in zip(got["index"], got["latency_ms"])]
    assert scales[0] == pytest.approx(scales[1], rel=1e-9)
    again = maplex.measure([0], device="local", repeats=3, warmup=1, store=store, rounds=2)
    assert again["from_store"] == [True] and again["latency_ms"][0] == got["latency_ms"][1]


def test_measure_times_the_anchors_unless_told_not_to(tmp_path):
    import sqlite3

    # local's default is off (BENCHMARKS.md, issue 12: held out, the anchors helped in one run of two).
    for balance, anchors in ((None, 0), (True, 20), (False, 0)):
        store = str(tmp_path / f"store-{balance}.db")
        got = maplex.measure([11164], device="local", repeats=3, warmup=1, store=store,
                             balance=balance)
        with sqlite3.connect(store) as db:
            rows = db.execute("SELECT count(*) FROM timings WHERE item LIKE 'anchor:%'")
            assert rows.fetchone()[0] == anchors
            # The store's first panel is the canonical one: the first session's factor is 1.
            factor = db.execute("SELECT balance FROM timings WHERE item = 'arch:11164'")
            assert factor.fetchone()[0] == pytest.approx(1.0, abs=1e-12)
        assert ("op balance: 20 anchor timings" in got["description"]) == (anchors > 0)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: maplex.search("titan_rtx_1"), "no latency_budget_ms"),
        (lambda: maplex.search(None, 5), "no device"),
        (lambda: maplex.search("titan_rtx_9", 5), "unknown device 'titan_rtx_9'"),
        (lambda: maplex.search("titan_rtx_1", 5, algoritm="re"), "did you mean 'algorithm'"),
        (lambda: maplex.search("titan_rtx_1", 5, algorithm="annealing"), "'annealing'"),
        (lambda: maplex.search("titan_rtx_1", 5, queries="many"), "queries"),
        (lambda: maplex.search("titan_rtx_1", 5, local={"thread": 2}), "did you mean 'threads'"),
        (lambda: maplex.search("titan_rtx_1", 5, threads=-1), "threads -1"),
        (lambda: maplex.pareto("pixel3", confidence=1.5), "1.5"),
        (lambda: maplex.search("pixel3", 5, front_csv="f.csv"), "expected them only for pareto"),
        (lambda: maplex.resume("/nonexistent/run"), "/nonexistent/run"),
        (lambda: maplex.measure([0], device="pixel3"), "expected a live device"),
        (lambda: maplex.measure([99999], device="local"), "99999"),
        (lambda: maplex.measure([0], device="local", passes=0), "passes 0, expected at least 1"),
        (lambda: maplex.measure([0], device="local", rounds=-1), "rounds -1, expected at least 1"),
    ],
)
def test_bad_input_is_a_value_error(call, message):
    with pytest.raises(ValueError) as e:
        call()
    assert message in str(e.value)
    assert "\n" not in str(e.value)


def test_measure_refuses_zero_passes_before_it_opens_the_store(tmp_path):
    store = tmp_path / "store.sqlite"
    with pytest.raises(ValueError) as e:
        maplex.measure([0], device="local", store=str(store), passes=0)
    assert "passes 0, expected at least 1" in str(e.value)
    assert not store.exists()


def test_measure_with_another_reference_keeps_its_timings_apart(tmp_path):
    import sqlite3

    store = str(tmp_path / "store.db")
    # The reference until 2026-12-06 (three 3x3 convolutions); the default is another cell.
    old = "|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"
    first = maplex.measure([0], device="local", repeats=3, warmup=1, store=store, rounds=1)
    other = maplex.measure([0], device="local", repeats=3, warmup=1, store=store, rounds=1,
                           reference=old)
    assert other["from_store"] == [False]  # not the default reference's timing
    assert f"reference network {old}" in other["description"]
    assert old not in first["description"]
    with sqlite3.connect(store) as db:
        settings = [s for (s,) in db.execute("SELECT DISTINCT settings FROM timings")]
    assert len(settings) == 2 and sum(f"reference={old}" in s for s in settings) == 1
    with pytest.raises(ValueError) as e:
        maplex.measure([0], device="local", store=store, reference="|nor_conv_3x3~0|")
    assert str(e.value).startswith("--reference |nor_conv_3x3~0|: arch string")
