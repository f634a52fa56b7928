"""A local KooDrive: the five Space Management operations, authenticated and validated as the
service does it, from a seeded data set, with fault injection.

``make emulator PORT=8765`` serves it on 127.0.0.1 (``python -m tests.emulator``); tests run it in
process (``running()``, a uvicorn server in a background thread on a free port, or
``httpx.ASGITransport(Emulator().app)``). Credentials come from ``KOODRIVE_APP_ID``,
``KOODRIVE_APP_SECRET``, ``KOODRIVE_USER_ID`` and ``KOODRIVE_TOKEN``, else FAKE demo values
(``tests/emulator/credentials.py``). Faults: ``tests/emulator/faults.py``.
"""

from tests.emulator.app import Emulator, Exchange
from tests.emulator.credentials import (
    FAKE_APP_ID,
    FAKE_APP_SECRET,
    FAKE_TOKEN,
    FAKE_USER_ID,
    Credentials,
)
from tests.emulator.faults import HEADER as FAULT_HEADER
from tests.emulator.faults import Fault
from tests.emulator.server import RunningEmulator, running

__all__ = [
    "FAKE_APP_ID",
    "FAKE_APP_SECRET",
    "FAKE_TOKEN",
    "FAKE_USER_ID",
    "FAULT_HEADER",
    "Credentials",
    "Emulator",
    "Exchange",
    "Fault",
    "RunningEmulator",
    "running",
]
