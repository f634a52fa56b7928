"""Import time of ``koodrive_space`` (``python -X importtime``), in a virtual environment that
holds only what ``pip install .`` installs (``make bench`` builds it: .venv/runtime). The dev
environment is the wrong place to measure: there httpx finds click and rich (openapi-python-
client's dependencies) and imports its command line, ~90 ms no user pays."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

from bench.conftest import report

RUNS = 15
TARGET_MS = 150.0


def cumulative_ms(python: str, module: str) -> float:
    """Median over RUNS fresh interpreters of ``module``'s cumulative import time."""
    times = []
    for _ in range(RUNS):
        done = subprocess.run(
            [python, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            check=True,
            cwd="/",  # nothing from the checkout shadows the installed packages
        )
        (line,) = [x for x in done.stderr.splitlines() if x.rstrip().endswith(f"| {module}")]
        times.append(int(line.split("|")[1]) / 1000)
    return statistics.median(times)


def test_import_time() -> None:
    python = os.environ.get("KOODRIVE_BENCH_PYTHON", sys.executable)
    where = "runtime-only venv" if "KOODRIVE_BENCH_PYTHON" in os.environ else "dev venv"
    ours = cumulative_ms(python, "koodrive_space")
    report(
        f"import koodrive_space ({where})", ours, "ms", f"< {TARGET_MS:.0f} ms", ours < TARGET_MS
    )
    report(f"  of which import httpx alone ({where})", cumulative_ms(python, "httpx"), "ms")
