"""maplex: hardware-aware neural architecture search on NAS-Bench-201, from Python.

The same code as the ``maplex`` command line: ``plan`` says which architectures to measure on a
device, ``Predictor`` predicts all 15,625 latencies from those measurements, ``search`` and
``pareto`` run the searches and return their result documents (the CLI's ``--json``) as dicts,
and ``measure`` times architectures on this machine's runtimes or a ``cmd:FILE`` device.
Bad input raises ``ValueError`` with the CLI's one-line message.
"""

import csv as _csv
import json as _json
import os as _os
import sys as _sys
import tempfile as _tempfile

try:
    import numpy as _numpy  # noqa: F401
except ModuleNotFoundError:
    # An interpreter of the same version as Debian's python3 but without NumPy (a pyenv or a
    # venv without system packages): use Debian's python3-numpy, which scripts/setup.sh installs.
    # Appended, so the interpreter's own packages still come first.
    _debian = "/usr/lib/python3/dist-packages"
    if _os.path.isdir(_os.path.join(_debian, "numpy")):
        _sys.path.append(_debian)

from ._core import (  # noqa: F401
    Predictor,
    __version__,
    accuracies,
    arch_index,
    arch_str,
    data_dir,
    devices,
    flops_m,
    git_commit,
    is_connected,
    latencies,
    live_devices,
    measure,
    methods,
    plan,
    set_data_dir,
    space_size,
)
from . import _core

__all__ = [
    "Predictor", "accuracies", "arch_index", "arch_str", "data_dir", "devices", "flops_m",
    "is_connected", "latencies", "live_devices", "measure", "methods", "pareto", "plan",
    "resume", "search", "set_data_dir", "space_size",
]


def _plain(value):
    """JSON-ready: NumPy scalars and arrays to Python numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _run(command, device, measurements, run_dir, threads, options):
    options = {k: _plain(v) for k, v in options.items()}
    options["device"] = device or ""
    with _tempfile.TemporaryDirectory(prefix="maplex-") as tmp:
        if isinstance(measurements, dict):
            path = _os.path.join(tmp, (device or "measurements") + ".csv")
            with open(path, "w", newline="") as f:
                w = _csv.writer(f)
                w.writerow(["arch", "latency_ms"])
                for index, ms in measurements.items():
                    w.writerow([arch_str(int(index)), repr(float(ms))])
            options["measurements"] = path
        elif measurements is not None:
            options["measurements"] = _os.fspath(measurements)
        text = _core._run(command, _json.dumps(options), _os.fspath(run_dir or ""), threads)
    return _json.loads(text)


def search(device=None, latency_budget_ms=None, *, measurements=None, run_dir=None, threads=0,
           **options):
    """The most accurate architecture within ``latency_budget_ms`` on ``device``.

    ``device``: a shipped device (its table simulates the measurements), or a live device
    (``local``, ``local:opencv``, ``local:torch``, ``cmd:FILE``). ``measurements``: a CSV path or
    ``{index: latency_ms}`` measured on the target. Further options are the keys of a run's
    config.json (``algorithm``, ``queries``, ``seed``, ``method``, ``pool``, ``verify``,
    ``confidence``, ``dataset``, ``accuracy``, ...). ``run_dir`` keeps the run's records there
    (resumable with ``resume``). Returns the result document (``maplex search --json``).
    """
    options["latency_budget_ms"] = latency_budget_ms
    return _run("search", device, measurements, run_dir, threads, options)


def pareto(device=None, *, measurements=None, run_dir=None, threads=0, **options):
    """The accuracy/latency front on ``device`` (``layers``, or NSGA-II where it cannot screen;
    1,000 queries by default), with its judgement against the true front where the table knows it
    (``maplex pareto --json``)."""
    return _run("pareto", device, measurements, run_dir, threads, options)


def resume(run_dir, *, threads=0):
    """Continues the interrupted run in ``run_dir``; returns its result document."""
    return _json.loads(_core._resume(_os.fspath(run_dir), threads))
