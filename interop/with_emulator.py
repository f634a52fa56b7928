"""Run a command against the local KooDrive: ``python interop/with_emulator.py COMMAND [ARG...]``.

Starts the emulator in this process on a free port with its FAKE credentials, runs COMMAND with
KOODRIVE_BASE_URL, KOODRIVE_APP_ID, KOODRIVE_APP_SECRET, KOODRIVE_USER_ID and KOODRIVE_TOKEN set
to match, and exits with COMMAND's status. The emulator is a thread of this process, so it stops
however the run ends (failure, Ctrl-C); `make interop-java` uses it.
"""

from __future__ import annotations

import os
import subprocess
import sys

from koodrive_emulator import (
    FAKE_APP_ID,
    FAKE_APP_SECRET,
    FAKE_TOKEN,
    FAKE_USER_ID,
    Credentials,
    Emulator,
    running,
)


def main(command: list[str]) -> int:
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    # FAKE credentials on both sides, whatever KOODRIVE_* this shell happens to carry.
    with running(Emulator(credentials=Credentials.fake())) as server:
        env = {
            **os.environ,
            "KOODRIVE_BASE_URL": server.base_url,
            "KOODRIVE_APP_ID": FAKE_APP_ID,
            "KOODRIVE_APP_SECRET": FAKE_APP_SECRET,
            "KOODRIVE_USER_ID": FAKE_USER_ID,
            "KOODRIVE_TOKEN": FAKE_TOKEN,
        }
        print(f"emulator on {server.base_url}: {' '.join(command)}", flush=True)
        return subprocess.run(command, env=env, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
