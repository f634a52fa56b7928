"""A deadline for each attempt as a whole, in the sync client.

httpx's timeouts bound each socket operation, so a server that trickles its reply a byte at a
time, headers included, could hold a call for hours. Async attempts run under
``anyio.fail_after``; sync ones set ``attempt`` and every socket operation of httpcore's pool
gets at most the time left, through a network backend wrapped around httpcore's; so does the
name lookup before a connection.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:  # httpcore itself is imported by httpx when it builds a transport
    import httpcore

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "koodrive_space_deadline", default=None
)


@contextmanager
def attempt(until: float) -> Iterator[None]:
    """Socket operations of this thread end by ``until`` (``time.monotonic()``)."""
    token = _deadline.set(until)
    try:
        yield
    finally:
        _deadline.reset(token)


def _left(timeout: float | None, error: str) -> float | None:
    until = _deadline.get()
    if until is None:
        return timeout
    left = until - time.monotonic()
    if left <= 0:
        import httpcore

        raise getattr(httpcore, error)("the attempt ran out of time")
    return left if timeout is None else min(timeout, left)


class _Stream:
    """An ``httpcore.NetworkStream`` whose every operation ends by the deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, "ReadTimeout"))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, "WriteTimeout"))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> _Stream:
        left = _left(timeout, "ConnectTimeout")
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


def _addresses(host: str, port: int, left: float | None) -> list[str]:
    """``host``'s addresses, in the resolver's order, looked up within ``left`` seconds.

    The lookup is no socket operation, so no socket timeout bounds it (a lost DNS packet costs
    5 s); it runs on a daemon thread the attempt stops waiting for. The addresses are tried in
    turn, as ``socket.create_connection`` tries them, and TLS still names ``host``."""
    import ipaddress
    import socket
    import threading
    from concurrent.futures import Future

    import httpcore

    with contextlib.suppress(ValueError):
        return [str(ipaddress.ip_address(host))]
    found: Future[list[Any]] = Future()

    def look_up() -> None:
        try:
            found.set_result(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as problem:  # handed to the attempt
            found.set_exception(problem)

    threading.Thread(target=look_up, daemon=True, name="koodrive-space-lookup").start()
    try:
        infos = found.result(timeout=left)
    except TimeoutError:
        raise httpcore.ConnectTimeout(
            f"looking up {host} took longer than the attempt allows"
        ) from None
    except OSError as problem:
        raise httpcore.ConnectError(str(problem)) from problem
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _Backend:
    """An ``httpcore.NetworkBackend`` opening ``_Stream``s."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _Stream:
        import httpcore

        failed: Exception | None = None
        for address in _addresses(host, port, _left(timeout, "ConnectTimeout")):
            left = _left(timeout, "ConnectTimeout")
            try:
                stream = self._backend.connect_tcp(
                    address, port, left, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:  # the next one
                failed = error
                continue
            return _Stream(stream)
        assert failed is not None  # _addresses gives at least one
        raise failed

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> _Stream:
        left = _left(timeout, "ConnectTimeout")
        return _Stream(self._backend.connect_unix_socket(path, left, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def install(client: httpx.Client) -> None:
    """Bound every connection ``client`` opens, direct or through a proxy, by ``attempt``.

    httpx has no public hook for this: the pools are reached through httpx's and httpcore's
    private attributes (pinned versions; tests/test_wire.py fails if this stops working).
    """
    for transport in (client._transport, *client._mounts.values()):
        pool: Any = getattr(transport, "_pool", None)
        if hasattr(pool, "_network_backend"):
            pool._network_backend = _Backend(pool._network_backend)
