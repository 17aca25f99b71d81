"""bench/ceilings.py on bad input: one line naming the value and what was expected, exit 1."""

import os
import subprocess
import sys

from conftest import DATA, MAPLEX_BIN

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "ceilings.py")


def ceilings(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def one_line(run, *parts):
    assert run.returncode == 1, run.stdout
    assert run.stderr.count("\n") == 1, run.stderr
    for part in parts:
        assert part in run.stderr, run.stderr


def test_a_missing_data_directory_is_named(tmp_path):
    one_line(ceilings("front", str(tmp_path)), f"data directory '{tmp_path}' has no nb201_archs.csv")


def test_a_missing_binary_is_named(tmp_path):
    nowhere = str(tmp_path / "maplex")
    one_line(ceilings("family", DATA, "--maplex", nowhere),
             f"maplex binary '{nowhere}' is not an executable file")


def test_a_failing_binary_says_how_it_failed(tmp_path):
    # The real CLI with an unknown data directory for its tables fails with its own one line.
    wrapper = tmp_path / "maplex"
    wrapper.write_text(f"#!/bin/sh\nexec '{MAPLEX_BIN}' \"$@\" --data-dir '{tmp_path}'\n")
    wrapper.chmod(0o755)
    one_line(ceilings("nasflat", DATA, "--maplex", str(wrapper)),
             "evaluate --protocol nasflat exited with", str(tmp_path))
