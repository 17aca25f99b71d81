"""plan and Predictor, checked against the CLI (bit for bit) and against the shipped tables."""

import csv
import os

import numpy as np
import pytest

import maplex
from conftest import cli, cli_json, device_column


def spearman(a, b):
    ra = np.argsort(np.argsort(a))
    rb = np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def test_plan_equals_the_cli():
    doc = cli_json("plan", "--device", "pixel3", "--seed", 4)
    assert maplex.plan(count=3, seed=4, device="pixel3") == [a["index"] for a in doc["architectures"]]
    assert len(set(maplex.plan(count=5, seed=1))) == 5


def test_the_readme_one_liner_shape():
    assert maplex.Predictor().fit({11164: 6.31}).predict().shape == (15625,)


def read_predictions(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return (np.array([float(r["latency_ms"]) for r in rows]),
            np.array([float(r["log_sd"]) for r in rows]))


@pytest.mark.parametrize("method", ["maplex", "lut", "flops"])
def test_predictions_equal_the_cli_bit_for_bit(tmp_path, method):
    truth = device_column("pixel3")
    planned = maplex.plan(count=3, seed=2, device="pixel3")
    measurements = {a: truth[a] for a in planned}
    m = tmp_path / "m.csv"
    m.write_text("arch,latency_ms\n" + "".join(f"{a},{repr(v)}\n" for a, v in measurements.items()))
    out = tmp_path / "p.csv"
    cli("predict", "--measurements", m, "--method", method, "--seed", 2, "--out", out)
    p = maplex.Predictor(method=method, seed=2).fit(measurements)
    want_ms, want_sd = read_predictions(out)
    assert np.array_equal(p.predict(), want_ms)
    assert np.array_equal(p.log_sd(), want_sd)


def test_a_fitted_predictor_ranks_a_shipped_device():
    truth = np.array([np.nan if v is None else v for v in device_column("titan_rtx_1")])
    planned = maplex.plan(device="titan_rtx_1")
    p = maplex.Predictor(device="titan_rtx_1").fit({a: truth[a] for a in planned})
    known = ~np.isnan(truth)
    assert spearman(p.predict()[known], truth[known]) > 0.9
    within = np.abs(p.predict()[known] / truth[known] - 1) <= 0.1
    assert within.mean() > 0.5
    assert np.all(p.log_sd() > 0)
    report = p.report
    assert report["method"] == "maplex" and "titan_rtx_1" not in report["pool"]
    assert 0 < report["log_sd_calibration"] < 5 and report["top_members"]


def test_holding_out_the_family_keeps_every_relative_out_of_the_pool():
    truth = np.array([np.nan if v is None else v for v in device_column("pixel3")])
    planned = maplex.plan(device="pixel3", hold_out="family")
    p = maplex.Predictor(device="pixel3", hold_out="family").fit({a: truth[a] for a in planned})
    pool = p.report["pool"]
    assert len(pool) == 31
    assert not {"pixel2", "samsung_a50", "raspi4"} & set(pool) and "1080ti_1" in pool
    near = maplex.Predictor(device="pixel3").fit({a: truth[a] for a in planned})
    assert "pixel2" in near.report["pool"]


def test_the_runtimes_dead_op_handling_turns_the_pool_devices_that_differ():
    truth = np.array([np.nan if v is None else v for v in device_column("pixel3")])
    planned = maplex.plan(device="pixel3")
    measured = {a: truth[a] for a in planned}
    plain = maplex.Predictor(device="pixel3").fit(measured)
    stated = maplex.Predictor(device="pixel3", dead_ops="table").fit(measured)
    assert plain.report["dead_ops"] == "" and stated.report["dead_ops"] == "prunes"
    members = [m for m, _ in stated.report["top_members"]]
    assert any("(dead ops converted)" in m for m in members), members
    assert not any("converted" in m for m, _ in plain.report["top_members"])
    assert not np.allclose(plain.predict(), stated.predict())


def test_fit_returns_itself_and_refits():
    p = maplex.Predictor(method="flops")
    assert not p.fitted
    assert p.fit({100: 2.0, 200: 3.0}) is p and p.fitted
    first = p.predict().copy()
    p.fit({100: 4.0, 200: 6.0})
    assert np.allclose(p.predict(), 2 * first)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: maplex.Predictor(method="magic"), "'magic'"),
        (lambda: maplex.Predictor(pool=["nope"]).fit({1: 1.0}), "'nope'"),
        (lambda: maplex.Predictor(device="pixel33"), "unknown device 'pixel33'"),
        (lambda: maplex.Predictor(hold_out="chip"), "hold_out 'chip', expected"),
        (lambda: maplex.Predictor(hold_out="family").fit({1: 1.0}), "needs a shipped device"),
        (lambda: maplex.Predictor(dead_ops="skips"), "dead ops 'skips', expected runs"),
        (lambda: maplex.Predictor(dead_ops="table"), "handling is not known"),
        (lambda: maplex.Predictor().predict(), "not fitted"),
        (lambda: maplex.Predictor().fit({}), "no measurements"),
        (lambda: maplex.Predictor().fit({1: -2.0}), "-2"),
        (lambda: maplex.Predictor().fit({99999: 2.0}), "99999"),
        (lambda: maplex.plan(count=0), "count 0"),
        (lambda: maplex.plan(device="nowhere"), "unknown device 'nowhere'"),
    ],
)
def test_bad_input_is_a_value_error(call, message):
    with pytest.raises(ValueError) as e:
        call()
    assert message in str(e.value)
