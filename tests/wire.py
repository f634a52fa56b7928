"""Scripted peers on 127.0.0.1 for tests on the wire: a server answering each request as the
test scripts it (late, a byte at a time, cut short, compressed, over TLS), and a CONNECT proxy.

Real sockets, so what the client does on the network is what the tests see; requests are kept
as they arrived (raw target, headers in order, body) and can be checked with the emulator's
independent signature verifier.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import httpx
import koodrive_space as kd
from koodrive_emulator.verify import AuthenticationFailed, verify_app_signature

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Seen:
    """One request as it arrived."""

    method: str
    target: bytes  # as on the request line: origin form, or absolute form through a proxy
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for n, v in self.headers if n.lower() == name.lower()), None)

    @property
    def raw_path(self) -> bytes:
        target = self.target
        if target.startswith((b"http://", b"https://")):
            target = b"/" + target.split(b"/", 3)[3] if target.count(b"/") >= 3 else b"/"
        return target.partition(b"?")[0]

    @property
    def raw_query(self) -> bytes:
        return self.target.partition(b"?")[2]

    def signature_problem(self, app_id: str, app_secret: str) -> str | None:
        """None when the emulator's verifier accepts the app signature, else why not."""
        try:
            verify_app_signature(
                method=self.method,
                raw_path=self.raw_path,
                raw_query=self.raw_query,
                headers={n.lower(): v for n, v in self.headers},
                body=self.body,
                app_secrets={app_id: app_secret},
                now=dt.datetime.now(dt.UTC),
            )
        except AuthenticationFailed as failure:
            return str(failure)
        return None


@dataclass(frozen=True)
class Answer:
    """How the server answers one request."""

    status: int = 200
    body: bytes | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the first byte
    trickle: float = 0.0  # seconds between the bytes of the whole reply, status line included
    cut: int | None = None  # close after this many bytes of the reply
    drop: bool = False  # close without a byte
    close: bool = False  # Connection: close after this reply
    unannounced: bool = False  # no Content-Length: the reply ends when the connection closes

    def encoded(self) -> bytes:
        body = self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()
        headers = {"Content-Type": "application/json;charset=UTF-8", **self.headers}
        if not self.unannounced:
            headers.setdefault("Content-Length", str(len(body)))
        if self.close or self.unannounced:
            headers["Connection"] = "close"
        head = f"HTTP/1.1 {self.status} Scripted\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in headers.items()
        )
        return head.encode("latin-1") + b"\r\n" + body


Script = Answer | Callable[[Seen], Answer]


def ok(body: dict[str, Any] | None = None, **headers: str) -> Answer:
    return Answer(200, body or {"code": 0, "msg": "OK", "data": {}}, headers)


class ScriptedServer:
    """Answers requests with the scripted answers, in order (the last one repeats)."""

    def __init__(self, *answers: Script, tls: ssl.SSLContext | None = None) -> None:
        self.answers = list(answers) or [ok()]
        self.seen: list[Seen] = []
        self.connections = 0
        self.ended = 0  # connections the client closed (or the script ended)
        self._tls = tls
        self._lock = threading.Lock()
        self._listener = socket.create_server((HOST, 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"{'https' if tls else 'http'}://{'localhost' if tls else HOST}:{self.port}"
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True, name="scripted-server")

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def _serve(self) -> None:
        self._listener.settimeout(0.05)  # closing a socket does not wake a blocked accept()
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        try:
            self._answer(conn)
        finally:
            with self._lock:
                self.ended += 1

    def _answer(self, conn: socket.socket) -> None:
        with suppress(OSError, ssl.SSLError):
            if self._tls is not None:
                conn = self._tls.wrap_socket(conn, server_side=True)
            with conn:
                reader = conn.makefile("rb")
                while (seen := read_request(reader)) is not None:
                    with self._lock:
                        self.seen.append(seen)
                        script = self.answers[min(len(self.seen), len(self.answers)) - 1]
                    answer = script(seen) if callable(script) else script
                    if not send(conn, answer) or answer.close or answer.unannounced:
                        return


def read_request(reader: Any) -> Seen | None:
    line = reader.readline()
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers = []
    while (header := reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = header.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    length = next((int(v) for n, v in headers if n.lower() == "content-length"), 0)
    body = reader.read(length)
    if len(body) < length:  # the client went away mid-request (a cancelled task): no request
        return None
    return Seen(method, target.encode("latin-1"), tuple(headers), body)


def send(conn: socket.socket, answer: Answer) -> bool:
    """Send ``answer``; False when the connection must end after it."""
    time.sleep(answer.delay)
    if answer.drop:
        return False
    data = answer.encoded()[: answer.cut]
    if answer.trickle:
        for index in range(len(data)):
            conn.sendall(data[index : index + 1])
            time.sleep(answer.trickle)
    else:
        conn.sendall(data)
    return answer.cut is None


class TunnelProxy:
    """An HTTP proxy for HTTPS targets: answers CONNECT and relays bytes both ways."""

    def __init__(self) -> None:
        self.targets: list[str] = []
        self._listener = socket.create_server((HOST, 0))
        self.url = f"http://{HOST}:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True, name="tunnel-proxy").start()

    def close(self) -> None:
        self._listener.close()

    def _serve(self) -> None:
        self._listener.settimeout(0.05)
        while self._listener.fileno() != -1:
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            threading.Thread(target=self._tunnel, args=(conn,), daemon=True).start()

    def _tunnel(self, conn: socket.socket) -> None:
        with suppress(OSError), conn:
            seen = read_request(conn.makefile("rb"))
            if seen is None or seen.method != "CONNECT":
                conn.sendall(b"HTTP/1.1 405 Only CONNECT\r\nContent-Length: 0\r\n\r\n")
                return
            self.targets.append(seen.target.decode())
            host, _, port = seen.target.decode().rpartition(":")
            with socket.create_connection((host, int(port))) as upstream:
                conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                relay = threading.Thread(target=_pipe, args=(upstream, conn), daemon=True)
                relay.start()
                _pipe(conn, upstream)
                relay.join(timeout=5)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    with suppress(OSError):
        sink.shutdown(socket.SHUT_WR)


@contextmanager
def tunnel_proxy() -> Iterator[TunnelProxy]:
    proxy = TunnelProxy()
    try:
        yield proxy
    finally:
        proxy.close()


class Caller:
    """Calls a generated operation, or the client's own httpx client, synchronously or on a
    fresh event loop: the wire tests run each behaviour both ways."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __call__(self, operation: ModuleType, **kwargs: Any) -> Any:
        if self.mode == "sync":
            return operation.sync(**kwargs)
        return asyncio.run(operation.asyncio(**kwargs))

    def get(self, client: Any, url: str) -> httpx.Response:
        """A hand-built GET through the client's own httpx client (sync, or the loop's)."""
        if self.mode == "sync":
            response: httpx.Response = client.get_httpx_client().get(url)
            return response

        async def get() -> httpx.Response:
            response: httpx.Response = await client.get_async_httpx_client().get(url)
            return response

        return asyncio.run(get())


def team_spaces(client: Any, mode: str, **options: Any) -> list[Any]:
    """Every team space through ``iter_team_spaces`` or, on a fresh loop, its async twin."""
    if mode == "sync":
        return list(kd.iter_team_spaces(client, **options))

    async def collect() -> list[Any]:
        return [team async for team in kd.aiter_team_spaces(client, **options)]

    return asyncio.run(collect())


def usage(client: Any, mode: str, user_ids: list[str], **options: Any) -> list[Any]:
    """``query_usage`` or, on a fresh loop, ``aquery_usage``."""
    if mode == "sync":
        return kd.query_usage(client, user_ids, **options)
    return asyncio.run(kd.aquery_usage(client, user_ids, **options))
