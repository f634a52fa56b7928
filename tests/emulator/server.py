"""Serving the emulator with uvicorn: in the foreground (``make emulator``) or in a background
thread on a free port (tests, ``make demo``, ``make record``)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from tests.emulator.app import Emulator

HOST = "127.0.0.1"


def _config(emulator: Emulator, port: int, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        emulator.app,
        host=HOST,
        port=port,
        lifespan="off",
        log_level=log_level,
        access_log=log_level in ("info", "debug"),
        # The emulator writes Date from its own clock (which the skew fault moves).
        date_header=False,
        server_header=False,
        timeout_graceful_shutdown=1,
    )


def serve_forever(emulator: Emulator, port: int) -> None:
    """Serve on 127.0.0.1:``port`` until interrupted (Ctrl-C)."""
    uvicorn.Server(_config(emulator, port, "info")).run()


class RunningEmulator:
    def __init__(self, emulator: Emulator, port: int) -> None:
        self.emulator = emulator
        self.port = port
        self.base_url = f"http://{HOST}:{port}"


@contextmanager
def running(
    emulator: Emulator | None = None, *, log_level: str = "warning"
) -> Iterator[RunningEmulator]:
    """Run ``emulator`` in a background thread on a free port; stop it on exit."""
    emulator = emulator or Emulator()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(_config(emulator, port, log_level))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"emulator:{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the emulator did not start")
        time.sleep(0.005)
    try:
        yield RunningEmulator(emulator, port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
