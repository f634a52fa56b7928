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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PATH = "/koodrive/ose/v1/space/teamList"
KEY_WORD, TEAM_TYPE = "finance team", 1
WARM_UP = 20
SCENARIOS = ("bare", "parse", "ours")


def scenario(name: str, records: int, base_url: str) -> Callable[[], Any]:
    """One ``listTeamSpaces`` call of ``records`` records, made the way ``name`` says:
    ``bare`` httpx ``.get().json()``, ``parse`` that plus the generated models' ``from_dict``,
    ``ours`` through ``create_client`` and the generated ``sync``."""
    import httpx
    from koodrive_space import AppAuth, create_client
    from koodrive_space_client.api.space import list_team_spaces
    from koodrive_space_client.models import TeamSpaceListResponse

    params: dict[str, str | int] = {
        "offset": 0,
        "limit": records,
        "keyWord": KEY_WORD,
        "teamType": TEAM_TYPE,
    }
    if name == "ours":
        # FAKE credentials; the static server does not check them.
        client = create_client(base_url, auth=AppAuth("bench-app", "bench-secret", "1"))
        return lambda: list_team_spaces.sync(
            client=client, offset=0, limit=records, key_word=KEY_WORD, team_type=TEAM_TYPE
        )
    bare = httpx.Client(base_url=base_url)
    if name == "parse":
        return lambda: TeamSpaceListResponse.from_dict(bare.get(PATH, params=params).json())
    if name == "bare":
        return lambda: bare.get(PATH, params=params).json()
    raise SystemExit(f"unknown scenario {name!r}: expected one of {', '.join(SCENARIOS)}")


def main(argv: list[str]) -> None:
    name, records, calls, base_url = argv[0], int(argv[1]), int(argv[2]), argv[3]
    call = scenario(name, records, base_url)
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
