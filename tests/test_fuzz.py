"""Schemathesis against the emulator: every operation, positive and negative requests, all
checks. The spec and the emulator must agree on every request it generates: a schema-valid
request accepted, an invalid one refused, every reply in the spec's shape and status codes.

A fixed seed and a bounded number of examples keep the run reproducible and under half a
minute; run ``st`` by hand with more (README, "Sharing the spec") to search further.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from koodrive_emulator import FAKE_TOKEN, FAKE_USER_ID, Credentials, Emulator, running

from tests.openapi_doc import ROOT, SPEC_PATH

ST = Path(sys.executable).with_name("st")
SEED = 20261127
EXAMPLES_PER_OPERATION = 50


def test_the_emulator_agrees_with_the_spec_on_every_generated_request(tmp_path: Path) -> None:
    with running(Emulator(credentials=Credentials.fake(), request_timeout=1.0)) as server:
        done = subprocess.run(
            [
                str(ST),
                "--config-file",
                str(ROOT / "tests" / "schemathesis.toml"),
                "run",
                str(SPEC_PATH),
                "--url",
                server.base_url,
                "--checks",
                "all",
                "--mode",
                "all",
                "--max-examples",
                str(EXAMPLES_PER_OPERATION),
                "--seed",
                str(SEED),
                "-H",
                f"Authorization: Bearer {FAKE_TOKEN}",
                "-H",
                f"X-User-Id: {FAKE_USER_ID}",
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},
            cwd=tmp_path,  # schemathesis keeps a cache where it runs: not in the checkout
        )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "No issues found" in done.stdout
