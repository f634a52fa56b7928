"""A local KooDrive: the five Space Management operations, authenticated and validated as the
service does it, from a seeded data set, with fault injection.

``koodrive-emulator`` (``pip install "koodrive-space[emulator]"``; ``make emulator`` in a
checkout) serves it on 127.0.0.1:8765; tests run it in process (``running()``, a uvicorn server
in a background thread on a free port, or ``httpx.ASGITransport(Emulator().app)``). Credentials
come from ``KOODRIVE_APP_ID``, ``KOODRIVE_APP_SECRET``, ``KOODRIVE_USER_ID`` and
``KOODRIVE_TOKEN``, else FAKE demo values (``credentials.py``). Faults: ``faults.py``.
"""

from koodrive_emulator.app import Emulator, Exchange
from koodrive_emulator.credentials import (
    FAKE_APP_ID,
    FAKE_APP_SECRET,
    FAKE_TOKEN,
    FAKE_USER_ID,
    Credentials,
)
from koodrive_emulator.faults import HEADER as FAULT_HEADER
from koodrive_emulator.faults import Fault
from koodrive_emulator.server import RunningEmulator, running

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
