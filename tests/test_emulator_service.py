"""The emulator as a long-running service: its reply log is bounded, a client that stalls mid-
request is cut off, and whatever a client sends is answered with KooDrive's JSON envelope.

Requests go over a real socket, written by hand (``http.client`` only reads the replies), so
they can be what no client library would send: any method token, raw bytes in the path, half a
request.
"""

from __future__ import annotations

import asyncio
import email.utils
import http.client
import json
import select
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from koodrive_emulator import FAKE_TOKEN, FAKE_USER_ID, Emulator, RunningEmulator, running
from koodrive_emulator import __main__ as command_line
from koodrive_emulator.app import DEFAULT_LOG_LIMIT, JSON_TYPE
from koodrive_emulator.credentials import Credentials
from koodrive_emulator.server import HOST

from tests.contract import reply_problems

TIMEOUT = 0.5  # the served emulator's request_timeout
PATIENCE = 5.0  # how long a test waits for what should take TIMEOUT: generous for a loaded VM
OVERVIEW = b"/koodrive/ose/v1/space/usage/overview"
TOKEN = {"Authorization": f"Bearer {FAKE_TOKEN}", "X-User-Id": FAKE_USER_ID}


@pytest.fixture(scope="module")
def served() -> Iterator[RunningEmulator]:
    with running(Emulator(credentials=Credentials.fake(), request_timeout=TIMEOUT)) as server:
        yield server


@pytest.fixture
def emulator(served: RunningEmulator) -> Iterator[Emulator]:
    """The served emulator with an empty log; afterwards every reply it logged must be one the
    spec allows (refusals included: the envelope)."""
    served.emulator.log.clear()
    yield served.emulator
    for exchange in served.emulator.log:
        assert not reply_problems(exchange.operation_id, exchange.status, exchange.body), exchange


def connect(served: RunningEmulator) -> socket.socket:
    return socket.create_connection((HOST, served.port), timeout=PATIENCE)


def request(line: bytes, headers: bytes = b"Host: 127.0.0.1\r\nConnection: close\r\n") -> bytes:
    return line + b" HTTP/1.1\r\n" + headers + b"\r\n"


def read_reply(sock: socket.socket, method: str = "GET") -> tuple[http.client.HTTPResponse, bytes]:
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    return response, response.read()


def closed_by_server(sock: socket.socket, within: float = PATIENCE) -> bool:
    """Whether the server closes the connection within ``within`` seconds (a reply before the
    close is read and dropped)."""
    sock.settimeout(within)
    deadline = time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            if sock.recv(65536) == b"":
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        pass
    return False


def assert_envelope(
    response: http.client.HTTPResponse, body: bytes, status: int, code: Any
) -> None:
    assert response.status == status, body
    assert response.getheader("Content-Type") == JSON_TYPE
    assert email.utils.parsedate_to_datetime(response.getheader("Date") or "") is not None
    document = json.loads(body)
    assert set(document) == {"code", "msg"}
    assert document["code"] == code
    assert isinstance(document["msg"], str)
    assert document["msg"]


# -- the bounded log ------------------------------------------------------------------------


def test_the_log_keeps_only_the_newest_replies() -> None:
    limit, calls = 100, 3000
    emulator = Emulator(credentials=Credentials.fake(), log_limit=limit)

    async def go() -> None:
        transport = httpx.ASGITransport(app=emulator.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1:8765", headers=TOKEN
        ) as client:
            for number in range(calls):
                # getSpaceInfo of an owner that does not exist: authenticated, validated, 400.
                reply = await client.get(f"/koodrive/ose/v1/space/owner-{number}?type=1")
                assert reply.status_code == 400
                assert len(emulator.log) == min(number + 1, limit)

    asyncio.run(go())
    kept = [exchange.raw_path for exchange in emulator.log]
    assert kept == [
        f"/koodrive/ose/v1/space/owner-{n}".encode() for n in range(calls - limit, calls)
    ]
    assert emulator.log[-1].operation_id == "getSpaceInfo"


def test_the_log_limit_has_a_default_and_may_be_zero() -> None:
    assert Emulator(credentials=Credentials.fake()).log.maxlen == DEFAULT_LOG_LIMIT
    emulator = Emulator(credentials=Credentials.fake(), log_limit=0)
    transport = httpx.ASGITransport(app=emulator.app)

    async def go() -> int:
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
            return (await client.get("/nowhere")).status_code

    assert asyncio.run(go()) == 404
    assert len(emulator.log) == 0
    for bad in ({"log_limit": -1}, {"request_timeout": 0}, {"request_timeout": float("nan")}):
        with pytest.raises(ValueError, match="must be"):
            Emulator(credentials=Credentials.fake(), **bad)


def test_the_command_line_sets_the_log_limit_and_request_timeout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[Emulator] = []
    monkeypatch.setattr(
        command_line, "serve_forever", lambda emulator, port: started.append(emulator)
    )
    command_line.main(["--log-limit", "5", "--request-timeout", "2.5"])
    (emulator,) = started
    assert (emulator.log.maxlen, emulator.request_timeout) == (5, 2.5)
    for bad in (["--log-limit", "-1"], ["--request-timeout", "0"], ["--request-timeout", "inf"]):
        with pytest.raises(SystemExit):
            command_line.main(bad)
        assert "must be" in capsys.readouterr().err


# -- incomplete requests time out -----------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        b"GET /koodrive/ose/v1/space/usage/overview HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Us",
        b"GET /koodrive/ose/v1/spa",
    ],
    ids=["half-the-headers", "half-the-request-line"],
)
def test_a_request_whose_headers_stall_gets_408_and_is_closed(
    served: RunningEmulator, emulator: Emulator, start: bytes
) -> None:
    with connect(served) as sock:
        started = time.monotonic()
        sock.sendall(start)
        response, body = read_reply(sock)
        assert TIMEOUT * 0.8 <= time.monotonic() - started < PATIENCE
        assert_envelope(response, body, 408, "APIGW.0201")
        assert "headers did not arrive within 0.5 s" in json.loads(body)["msg"]
        assert closed_by_server(sock)
    assert [exchange.status for exchange in emulator.log] == [408]


@pytest.mark.parametrize(
    "target", [b"/koodrive/ose/v1/space/usage/user", b"/_emulator/faults"], ids=["api", "control"]
)
def test_a_request_whose_body_stalls_gets_408_and_is_closed(
    served: RunningEmulator, emulator: Emulator, target: bytes
) -> None:
    headers = b"Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
    with connect(served) as sock:
        started = time.monotonic()
        sock.sendall(request(b"POST " + target, headers) + b'{"userIds": ["1"')
        response, body = read_reply(sock)
        assert TIMEOUT * 0.8 <= time.monotonic() - started < PATIENCE
        assert_envelope(response, body, 408, "APIGW.0201")
        assert "body did not arrive within 0.5 s" in json.loads(body)["msg"]
        assert response.getheader("Connection") == "close"
        assert closed_by_server(sock)


def test_stalled_clients_do_not_hold_up_the_others() -> None:
    """With a connection stalled in each way, another client's call is answered at once (well
    inside the 3 s they are given), and then each stalled one is cut off."""
    body_headers = b"Host: 127.0.0.1\r\nContent-Length: 100\r\n"
    stalls = [
        b"",
        b"GET " + OVERVIEW + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Us",
        request(b"POST /koodrive/ose/v1/space/usage/user", body_headers) + b"{",
    ]
    emulator = Emulator(credentials=Credentials.fake(), request_timeout=3.0)
    with running(emulator) as served:
        sockets = [connect(served) for _ in stalls]
        try:
            for sock, start in zip(sockets, stalls, strict=True):
                sock.sendall(start)
            started = time.monotonic()
            with httpx.Client(base_url=served.base_url, headers=TOKEN, timeout=PATIENCE) as client:
                assert client.get(OVERVIEW.decode()).status_code == 200
            assert time.monotonic() - started < 3.0
            for sock in sockets:
                assert closed_by_server(sock, PATIENCE + 3.0)
        finally:
            for sock in sockets:
                sock.close()
    assert [exchange.status for exchange in emulator.log] == [200, 408, 408]


def test_headers_sent_a_byte_at_a_time_do_not_keep_the_connection(
    served: RunningEmulator, emulator: Emulator
) -> None:
    """The deadline runs from the first byte of the request: trickling bytes does not move it."""
    trickle = request(b"GET " + OVERVIEW + b"?" + b"x" * 500)
    with connect(served) as sock:
        started = time.monotonic()
        try:
            for byte in trickle:
                if select.select([sock], [], [], 0.05)[0] or time.monotonic() - started > PATIENCE:
                    break
                sock.sendall(bytes([byte]))
            response, body = read_reply(sock)
        except ConnectionError:
            pass  # a byte sent just after the close made the reply be reset: cut off all the same
        else:
            assert_envelope(response, body, 408, "APIGW.0201")
        assert time.monotonic() - started < PATIENCE


def test_an_idle_connection_is_closed_without_a_reply(
    served: RunningEmulator, emulator: Emulator
) -> None:
    with connect(served) as sock:
        started = time.monotonic()
        assert closed_by_server(sock)
        assert TIMEOUT * 0.8 <= time.monotonic() - started < PATIENCE
    assert len(emulator.log) == 0


def test_a_kept_alive_connection_whose_next_request_stalls_gets_408(
    served: RunningEmulator, emulator: Emulator
) -> None:
    with connect(served) as sock:
        sock.sendall(request(b"GET /nowhere", b"Host: 127.0.0.1\r\n"))
        response, body = read_reply(sock)
        assert_envelope(response, body, 404, "APIGW.0101")
        started = time.monotonic()
        sock.sendall(b"GET /nowhere HTTP/1.1\r\nHo")
        response, body = read_reply(sock)
        assert time.monotonic() - started < PATIENCE
        assert_envelope(response, body, 408, "APIGW.0201")
        assert closed_by_server(sock)


def test_a_body_trickled_after_an_early_refusal_does_not_keep_the_connection(
    served: RunningEmulator, emulator: Emulator
) -> None:
    """An unknown API is refused before its body is read; the rest of the body, sent slowly,
    does not hold the connection open (uvicorn's keep-alive timer stops at each byte)."""
    headers = b"Host: 127.0.0.1\r\nContent-Length: 1000\r\n"
    with connect(served) as sock:
        sock.sendall(request(b"POST /nowhere", headers) + b"{")
        response, body = read_reply(sock)
        assert_envelope(response, body, 404, "APIGW.0101")
        started = time.monotonic()
        try:
            while not select.select([sock], [], [], 0.05)[0]:
                assert time.monotonic() - started < PATIENCE, "the connection stayed open"
                sock.sendall(b" ")
        except ConnectionError:
            pass  # the server has hung up
        assert closed_by_server(sock)


def test_a_client_gone_mid_body_is_no_emulator_failure(
    served: RunningEmulator, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    headers = b"Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
    with connect(served) as sock:
        sock.sendall(request(b"POST /koodrive/ose/v1/space/usage/user", headers) + b"{")
        time.sleep(0.1)
    time.sleep(0.3)  # let the server see the hang-up
    assert not [record for record in caplog.records if record.name == "koodrive_emulator"]
    assert len(emulator.log) == 0


# -- every refusal is the envelope ----------------------------------------------------------

NO_HOST = b"Connection: close\r\n"


@pytest.mark.parametrize(
    ("sent", "status", "code", "allow"),
    [
        (request(b"PROPFIND " + OVERVIEW), 405, "APIGW.0101", "GET"),
        (request(b"TRACE /koodrive/ose/v1/space/teamList"), 405, "APIGW.0101", "GET"),
        (request(b"CONNECT /koodrive/ose/v1/space/usage/user"), 405, "APIGW.0101", "POST"),
        (request(b"BREW " + OVERVIEW), 405, "APIGW.0101", "GET"),
        (request(b"get " + OVERVIEW), 405, "APIGW.0101", "GET"),
        (request(b"OPTIONS " + OVERVIEW), 405, "APIGW.0101", "GET"),
        (request(b"GET /koodrive/ose/v1/space/usage/user"), 405, "APIGW.0101", "POST"),
        (request(b"DELETE " + OVERVIEW), 405, "APIGW.0101", "GET"),
        (request(b"POST /koodrive/ose/v1/space/someone"), 405, "APIGW.0101", "GET"),
        (request(b"PUT /_emulator/faults"), 405, "APIGW.0101", "GET, POST, DELETE"),
        (request(b"PROPFIND /webdav/"), 404, "APIGW.0101", None),
        (request(b"CONNECT 127.0.0.1:443"), 404, "APIGW.0101", None),
        (request(b"OPTIONS *"), 404, "APIGW.0101", None),
        (request(b"GET /"), 404, "APIGW.0101", None),
        (request(b"GET /_emulator/faults/more"), 404, "APIGW.0101", None),
        (request(b"GET " + OVERVIEW + b"%0A"), 404, "APIGW.0101", None),
        (request(b"GET /koodrive/ose/v1/space/usage%0A/overview"), 404, "APIGW.0101", None),
        (request(b"GET /koodrive/ose/v1/space/usage%0D/overview"), 404, "APIGW.0101", None),
        (request(b"GET " + OVERVIEW + b"%zz"), 404, "APIGW.0101", None),
        (request(b"GET /koodrive/ose/v1/%"), 404, "APIGW.0101", None),
        (request(b"GET /koodrive/ose/v1/%FF/x"), 400, 13000102, None),
        (request(b"GET /koodrive/ose/v1/\xff/x"), 400, "APIGW.0201", None),
        (request(b"GET "), 400, "APIGW.0201", None),
        (request(b"GET " + OVERVIEW, NO_HOST), 400, "APIGW.0201", None),
        (b"NOT HTTP AT ALL\r\n\r\n", 400, "APIGW.0201", None),
    ],
    ids=[
        "propfind",
        "trace",
        "connect",
        "any-token",
        "lower-case-get",
        "options",
        "get-for-post",
        "delete-for-get",
        "post-for-get",
        "put-on-control",
        "propfind-unknown",
        "connect-authority",
        "asterisk",
        "root",
        "under-control",
        "newline-last",
        "newline-inside",
        "carriage-return",
        "bad-escape",
        "lone-percent",
        "not-utf8-escaped",
        "not-utf8-raw",
        "empty-path",
        "no-host",
        "not-http",
    ],
)
def test_every_refusal_is_the_envelope(
    served: RunningEmulator,
    emulator: Emulator,
    sent: bytes,
    status: int,
    code: Any,
    allow: str | None,
) -> None:
    with connect(served) as sock:
        sock.sendall(sent)
        response, body = read_reply(sock)
        assert_envelope(response, body, status, code)
        assert response.getheader("Allow") == allow
        assert closed_by_server(sock)
    (exchange,) = emulator.log
    assert (exchange.status, exchange.body) == (status, body)


def test_head_on_an_api_is_405_with_the_headers_only(
    served: RunningEmulator, emulator: Emulator
) -> None:
    with connect(served) as sock:
        sock.sendall(request(b"HEAD " + OVERVIEW))
        response, body = read_reply(sock, method="HEAD")
        assert (response.status, body) == (405, b"")
        assert response.getheader("Allow") == "GET"
        assert response.getheader("Content-Type") == JSON_TYPE
        assert response.getheader("Date")
        assert closed_by_server(sock)
    (exchange,) = emulator.log
    assert response.getheader("Content-Length") == str(len(exchange.body))
    assert json.loads(exchange.body)["code"] == "APIGW.0101"


def test_a_raw_path_sent_by_httpx_is_refused_with_the_envelope(
    served: RunningEmulator, emulator: Emulator
) -> None:
    """The same through a client library: httpx sends a raw path as given."""
    with httpx.Client(headers=TOKEN) as client:
        url = httpx.URL(served.base_url).copy_with(raw_path=OVERVIEW + b"%0A")
        response = client.request("PROPFIND", url)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.json()["code"] == "APIGW.0101"


def test_a_bug_in_the_control_path_is_a_500_envelope(
    served: RunningEmulator, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(emulator, "_control", broken)
    with connect(served) as sock:
        sock.sendall(request(b"GET /_emulator/faults"))
        response, body = read_reply(sock)
    assert_envelope(response, body, 500, 13000000)
