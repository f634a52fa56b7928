"""Serving the emulator with uvicorn: in the foreground (``make emulator``) or in a background
thread on a free port (tests, ``make demo``, ``make record``).

uvicorn's h11 protocol bounds only the idle time after a reply (``timeout_keep_alive``): a new
connection, or a request whose headers stop half-way, is waited for forever, and what h11 cannot
parse gets a plain-text 400. ``_Protocol`` adds the emulator's ``request_timeout`` while the server
waits on the client (then a 408 envelope if part of a request came, else a plain close) and sends
the emulator's envelope for the 400. The body's deadline is the app's (``Emulator._body``).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import STATUS_PHRASES, H11Protocol

from koodrive_emulator.app import REQUEST_ERROR, Emulator

HOST = "127.0.0.1"


class _Protocol(H11Protocol):
    emulator: ClassVar[Emulator]
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        # Replies go out as headers then body: without TCP_NODELAY the body waits for the
        # client's delayed ACK of the headers, 40 ms per call on a kept-alive connection.
        with contextlib.suppress(OSError, AttributeError):
            transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        self._watch()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _watch(self) -> None:
        """Arm the deadline when the client owes the next move and no uvicorn timer runs: a new
        connection, headers arriving, the rest of a body after an early reply. It is not moved
        by more bytes, so trickling them does not keep a connection."""
        waiting = self.cycle is None or self.cycle.response_complete
        if not waiting or self.timeout_keep_alive_task is not None or self.transport.is_closing():
            self._cancel()
        elif self._deadline is None:
            timeout = self.emulator.request_timeout
            self._deadline = self.loop.call_later(timeout, self._timed_out)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _timed_out(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        partial = bool(self.conn.trailing_data[0])
        if partial and self.conn.our_state is h11.IDLE and self.conn.their_state is h11.IDLE:
            timeout = self.emulator.request_timeout
            msg = f"Request timeout: the headers did not arrive within {timeout:g} s."
            self._refuse(408, msg)
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, "API request error: the request is not valid HTTP/1.1.")
        self.transport.close()

    def _refuse(self, status: int, msg: str) -> None:
        headers, body = self.emulator.wire_refusal(status, REQUEST_ERROR, msg)
        fields = [*headers.items(), ("Content-Length", str(len(body))), ("Connection", "close")]
        events = (
            h11.Response(status_code=status, headers=fields, reason=STATUS_PHRASES[status]),
            h11.Data(data=body),
            h11.EndOfMessage(),
        )
        try:
            for event in events:
                self.transport.write(self.conn.send(event) or b"")
        except h11.LocalProtocolError:
            pass  # a reply is under way on this connection: closing is all that is left


def _config(emulator: Emulator, port: int, log_level: str, host: str = HOST) -> uvicorn.Config:
    class Protocol(_Protocol):
        pass

    Protocol.emulator = emulator
    return uvicorn.Config(
        emulator.app,
        interface="asgi3",  # a bound method: uvicorn's guess would be ASGI 2
        http=Protocol,
        host=host,
        port=port,
        lifespan="off",
        log_level=log_level,
        access_log=log_level in ("info", "debug"),
        # The emulator writes Date from its own clock (which the skew fault moves).
        date_header=False,
        server_header=False,
        timeout_graceful_shutdown=1,
    )


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port``; OSError when the port is taken."""
    return socket.create_server((host, port), reuse_port=False)


def serve_forever(emulator: Emulator, sock: socket.socket) -> None:
    """Serve on ``sock`` (from ``listen``) until interrupted (Ctrl-C)."""
    host, port = sock.getsockname()[:2]
    uvicorn.Server(_config(emulator, port, "info", host)).run(sockets=[sock])


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
