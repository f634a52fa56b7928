"""`make demo` end to end: the emulator in its own process, all five operations signed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from koodrive_emulator import FAKE_APP_SECRET, FAKE_TOKEN

from tests.demo import table

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = (
    "getSpaceInfo",
    "querySpaceUsageByUser",
    "getSpaceUsageOverview",
    "listTeamSpaces",
    "getSpaceAllocation",
)


def test_demo_calls_every_operation_signed_against_the_emulator_process() -> None:
    # A real secret in the caller's environment must not reach the demo's emulator or client.
    env = {**os.environ, "KOODRIVE_APP_SECRET": "real-secret-from-the-shell"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    rows = {
        line.split()[0]: line for line in lines if line.split()[:1] in ([o] for o in OPERATIONS)
    }
    assert set(rows) == set(OPERATIONS), done.stdout
    # What the client really sent, counted by an event hook: batches of 50, pages of 100.
    assert "POST space/usage/user x3" in rows["querySpaceUsageByUser"]
    assert "120 records" in rows["querySpaceUsageByUser"]
    assert "GET space/teamList x3" in rows["listTeamSpaces"]
    assert "263 team spaces" in rows["listTeamSpaces"]
    assert "800 GB capacity" in rows["getSpaceInfo"]
    assert "type 0:" in rows["getSpaceAllocation"]
    assert "type 1:" in rows["getSpaceAllocation"]
    for secret in (FAKE_APP_SECRET, FAKE_TOKEN, "real-secret-from-the-shell"):
        assert secret not in done.stdout + done.stderr


def test_table_pads_columns_and_leaves_no_trailing_spaces() -> None:
    assert table(("a", "bb"), [("xxx", "y"), ("z", "")]).splitlines() == [
        "a    bb",
        "---  --",
        "xxx  y",
        "z",
    ]
