"""`maplex report` renders in a real browser: headless Chromium takes a screenshot of the page,
which must be non-blank and show the plots (their series colours where the page puts them), and
the rendered DOM must hold the three figures."""

import os
import re
import shutil
import struct
import subprocess
import zlib

import pytest

from conftest import cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def read_png(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6), header
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def near(pixel, colour, tolerance=40):
    return all(abs(p - c) <= tolerance for p, c in zip(pixel, colour))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    run = tmp / "run"
    cli("search", "--device", "pixel3", "--latency-budget-ms", 5, "--queries", 80,
        "--run-dir", run)
    page = tmp / "report.html"
    out, _ = cli("report", run, "--out", page)
    assert out.strip() == f"wrote {page}"
    return page


def test_the_page_is_self_contained(report):
    html = report.read_text()
    assert len(re.findall(r'<svg [^>]*class="plot"', html)) == 3
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched
    assert "<script" not in html
    for heading in ("Answer", "Search history", "Front", "Predictor", "Configuration"):
        assert f"<h2>{heading}</h2>" in html


def test_chromium_renders_both_plots(report, tmp_path):
    assert CHROMIUM, "no chromium on PATH (scripts/setup.sh installs Debian's chromium)"
    shot = tmp_path / "shot.png"
    browser = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / 'profile'}"]
    subprocess.run(browser + ["--window-size=1000,2600", f"--screenshot={shot}",
                              report.as_uri()], check=True, capture_output=True, timeout=120)
    dom = subprocess.run(browser + ["--dump-dom", report.as_uri()], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    assert len(re.findall(r'<svg [^>]*class="plot"', dom)) == 3
    assert len(re.findall(r"<circle", dom)) > 500  # the scatter's points reached the DOM
    width, height, rows = read_png(shot)
    assert (width, height) == (1000, 2600)
    pixels = [p for row in rows[::4] for p in row[::4]]
    ink = sum(1 for p in pixels if sum(p) < 3 * 235) / len(pixels)
    assert ink > 0.03, f"only {ink:.1%} of the page is not white"
    # Where each colour appears (rows): the history's and the front's orange (#ff7f0e) above the
    # scatter's red +-10% band (#d62728) and its blue points (#1f77b4).
    def rows_with(colour):
        return [y for y in range(0, height, 2) if any(near(p, colour) for p in rows[y][::2])]
    orange, red, blue = rows_with((255, 127, 14)), rows_with((214, 39, 40)), rows_with((31, 119, 180))
    assert orange and red and blue
    assert min(orange) < min(red), "the history and front plots come before the scatter"
    assert max(blue) > min(red), "the scatter's points are drawn"
