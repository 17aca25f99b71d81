"""Shared helpers: the shipped data read with the csv module (never through maplex), and the CLI of
the same build (MAPLEX_BIN) to check the module against."""

import csv
import json
import os
import subprocess

import pytest

DATA = os.environ.get("MAPLEX_DATA") or os.path.join(os.path.dirname(__file__), "..", "..", "data")
MAPLEX_BIN = os.environ.get("MAPLEX_BIN", "maplex")


def read_rows(name):
    with open(os.path.join(DATA, name), newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@pytest.fixture(scope="session")
def arch_rows():
    return read_rows("nb201_archs.csv")


@pytest.fixture(scope="session")
def valid_rows():
    return read_rows("nb201_valid_acc.csv")


def device_column(device):
    """The device's latencies from its data file, by NB201 index (None where not measured)."""
    spec = {r["device_key"]: r for r in read_rows("devices.csv")}[device]
    out = [None] * 15625
    for row in read_rows(spec["data_file"]):
        value = row.get(device, "")
        if value not in ("", "nan", "NaN"):
            out[int(row["index"])] = float(value)
    return out


def cli(*args, expect=0):
    """Runs the CLI; returns (stdout, stderr) after checking its exit code."""
    r = subprocess.run([MAPLEX_BIN, *map(str, args)], capture_output=True, text=True)
    assert r.returncode == expect, r.stderr
    return r.stdout, r.stderr


def cli_json(*args):
    return json.loads(cli(*args, "--json")[0])
