"""The README's code blocks run as written: the two commands of its first block (the set-up
script is what built this tree, so its search runs here) and its Python example."""

import json
import os
import re
import subprocess

import pytest

from conftest import MAPLEX_BIN

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")


def blocks(language):
    with open(README) as f:
        return re.findall(r"```" + language + r"\n(.*?)```", f.read(), re.S)


def test_the_first_block_is_set_up_then_tests():
    lines = blocks("sh")[0].strip().splitlines()
    assert lines == ["scripts/setup.sh && build/maplex search --device titan_rtx_1 "
                     "--latency-budget-ms 6", "scripts/test.sh"]


def test_the_main_job_answers_within_the_budget(tmp_path):
    command = blocks("sh")[0].strip().splitlines()[0].split(" && ")[1].split()
    assert command[0] == "build/maplex"
    env = {k: v for k, v in os.environ.items() if k not in ("MAPLEX_RUNS", "XDG_STATE_HOME")}
    env["HOME"] = str(tmp_path)  # the documented default: ~/.local/state/maplex/runs
    r = subprocess.run([MAPLEX_BIN, *command[1:]], cwd=tmp_path, capture_output=True, text=True,
                       env=env)
    assert r.returncode == 0, r.stderr
    root = tmp_path / ".local" / "state" / "maplex" / "runs"
    assert "best:" in r.stdout and f"run records in {root}/" in r.stdout
    assert not (tmp_path / "runs").exists()  # nothing in the working directory
    runs = list(root.iterdir())
    assert len(runs) == 1
    result = json.loads((runs[0] / "result.json").read_text())
    assert result["best_feasible"] and result["spent"]["device_measurements"] <= 3


def test_runs_root_from_the_environment_and_the_option(tmp_path):
    base = ["search", "--device", "pixel3", "--latency-budget-ms", "5", "--queries", "30"]
    env = dict(os.environ, MAPLEX_RUNS=str(tmp_path / "env"))
    r = subprocess.run([MAPLEX_BIN, *base], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert len(list((tmp_path / "env").iterdir())) == 1
    r = subprocess.run([MAPLEX_BIN, *base, "--runs-root", str(tmp_path / "opt")],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert len(list((tmp_path / "opt").iterdir())) == 1


def test_the_python_one_liner_prints_the_shape():
    with open(README) as f:
        line = re.search(r"`(PYTHONPATH=build/python python3 -c .*?)`\n", f.read()).group(1)
    command = line.split(" ", 1)[1]  # without the PYTHONPATH=... prefix, set below
    env = dict(os.environ, PYTHONPATH=os.environ["PYTHONPATH"])
    r = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "(15625,)\n"


def test_the_python_example_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPLEX_STORE", str(tmp_path / "store.sqlite"))
    code = blocks("python")[0]
    scope = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert scope["ms"].shape == (15625,) and scope["sd"].shape == (15625,)
    assert scope["best"]["best"]["index"] >= 0
    assert scope["front"]["judgement"]["hypervolume_ratio"] > 0.5
    assert list(scope["m"]["index"]) == [11164, 0]


COMMANDS = ["space", "devices", "arch", "plan", "predict", "evaluate", "search", "resume",
            "optimum", "pareto", "compare", "report", "measure", "export", "profile", "merge"]


def quoted_command_lines():
    """(command, text) of every backticked span of the README that starts with `maplex <command>`
    or `<command> --...`: a synopsis or an example whose options must exist."""
    with open(README) as f:
        text = re.sub(r"```.*?```", "", f.read(), flags=re.S)  # fenced blocks: tested above
    out = []
    for span in re.findall(r"`([^`]+)`", text, re.S):
        words = span.replace("\n", " ").split()
        if len(words) >= 2 and words[0] == "maplex" and words[1] in COMMANDS:
            out.append((words[1], " ".join(words[2:])))
        elif len(words) >= 2 and words[0] in COMMANDS and words[1].startswith("--"):
            out.append((words[0], " ".join(words[1:])))
    return out


def test_every_quoted_command_line_uses_options_the_command_has():
    lines = quoted_command_lines()
    assert len(lines) >= 20
    helps = {}
    missing = []
    for command, text in lines:
        if command not in helps:
            r = subprocess.run([MAPLEX_BIN, command, "--help"], capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
            helps[command] = set(re.findall(r"--[a-z][a-z0-9-]*", r.stdout))
        for option in re.findall(r"--[a-z][a-z0-9-]*", text):
            if option not in helps[command]:
                missing.append(f"maplex {command} {option}")
    assert not missing, "README quotes options the CLI lacks: " + ", ".join(missing)
