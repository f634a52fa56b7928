"""Instructions per call, counted by valgrind's callgrind: the per-call comparison without the
noise of CPU time on a shared virtual machine (where the same call's CPU time varies by 2x).

Each count runs a fresh interpreter under callgrind twice, making ``calls`` and ``2 * calls``
calls after the same warm-up, and takes the difference: start-up, imports and warm-up cancel
out. ``PYTHONHASHSEED`` is fixed so both runs execute the same instructions. Only the client's
process is counted; the server (bench/static_server.py) runs in another.

``python -m bench.instructions SCENARIO RECORDS CALLS BASE_URL`` is the program counted.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.calls import listing

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 20


def main(argv: list[str]) -> None:
    name, records, calls, base_url = argv[0], int(argv[1]), int(argv[2]), argv[3]
    with listing(name, records, base_url) as call:
        for _ in range(WARM_UP + calls):
            call()


def available() -> bool:
    return shutil.which("valgrind") is not None


def _any_cpu() -> None:
    # The benchmark pins itself to one CPU (conftest.pin); counts need no pinning, and runs on
    # both CPUs at once halve the wait.
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))


def _count(python: str, name: str, records: int, calls: int, base_url: str) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            python,
            "-m",
            "bench.instructions",
            name,
            str(records),
            str(calls),
            base_url,
        ],
        cwd=ROOT,
        env=env,
        preexec_fn=_any_cpu,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"callgrind run of {name} failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_call(name: str, records: int, base_url: str, calls: int = 100) -> float:
    """Instructions one call of scenario ``name`` executes, on average over ``calls`` calls."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        once, twice = pool.map(
            lambda n: _count(sys.executable, name, records, n, base_url), (calls, 2 * calls)
        )
    return (twice - once) / calls


if __name__ == "__main__":
    main(sys.argv[1:])
