"""The pipeline on real sockets, sync and async: retries and their signatures, Retry-After, the
call's time limits, errors, hostile replies and clock correction.

Each test runs twice, through ``op.sync`` and through ``asyncio.run(op.asyncio(...))`` (a new
event loop per call, on one client); the peers are tests/wire.py's scripted server on
127.0.0.1 or the emulator, and signatures are checked with the emulator's own verifier.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import gzip
import http.cookiejar
import json
import random
import threading
import time
import tracemalloc
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import koodrive_space as kd
import pytest
from koodrive_emulator import FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID, Emulator, running
from koodrive_space.pipeline import AsyncHTTPClient, SyncHTTPClient
from koodrive_space_client.api.space import (
    get_space_allocation,
    get_space_usage_overview,
    list_team_spaces,
)

from tests.wire import Answer, Caller, ScriptedServer, ok

APP, SECRET, USER = "wire-app", "wire-secret", "1505084218764547200"
OVERVIEW = {"code": 0, "msg": "ok", "data": {"totalUsed": 1}}


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest) -> Caller:
    return Caller(request.param)


def ticking_auth() -> kd.AppAuth:
    """Each signature a second later than the one before, starting a minute ago."""
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    ticks = iter(range(10**6))
    return kd.AppAuth(APP, SECRET, USER, clock=lambda: start + dt.timedelta(seconds=next(ticks)))


def client_of(server: ScriptedServer, **options: Any) -> Any:
    options.setdefault("auth", kd.AppAuth(APP, SECRET, USER))
    options.setdefault("retry_base_delay", 0.01)
    return kd.create_client(server.url, **options)


def busy(status: int = 503, **headers: str) -> Answer:
    return Answer(status, {"code": 13000000, "msg": "busy"}, headers)


# -- retries -------------------------------------------------------------------------------


def test_each_retry_is_signed_afresh_and_keeps_the_trace_id(
    call: Caller, sleeps: list[float]
) -> None:
    answers = [busy(503), busy(500), busy(429, **{"Retry-After": "0"}), ok(OVERVIEW)]
    with ScriptedServer(*answers) as server:
        reply = call(
            get_space_usage_overview, client=client_of(server, auth=ticking_auth(), max_retries=3)
        )
    assert reply.data.total_used == 1
    assert len(server.seen) == 4
    assert [seen.signature_problem(APP, SECRET) for seen in server.seen] == [None] * 4
    assert len({seen.header("X-Date") for seen in server.seen}) == 4
    assert len({seen.header("X-Traceid") for seen in server.seen}) == 1
    assert len(sleeps) == 3


@pytest.mark.parametrize("status", [429, 500, 501, 502, 503, 504, 599])
def test_429_and_every_5xx_are_retried(call: Caller, status: int, sleeps: list[float]) -> None:
    with ScriptedServer(busy(status), ok(OVERVIEW)) as server:
        call(get_space_usage_overview, client=client_of(server, max_retries=1))
    assert len(server.seen) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_other_4xx_are_not_retried(call: Caller, status: int, sleeps: list[float]) -> None:
    with ScriptedServer(busy(status), ok(OVERVIEW)) as server, pytest.raises(kd.APIError):
        call(get_space_usage_overview, client=client_of(server, max_retries=3))
    assert len(server.seen) == 1
    assert sleeps == []


@pytest.mark.parametrize("max_retries", [0, 1, 4])
def test_max_retries_bounds_the_attempts(
    call: Caller, max_retries: int, sleeps: list[float]
) -> None:
    with ScriptedServer(busy(503)) as server, pytest.raises(kd.ServerError) as caught:
        call(get_space_usage_overview, client=client_of(server, max_retries=max_retries))
    assert len(server.seen) == max_retries + 1
    assert caught.value.status_code == 503
    assert caught.value.operation == "getSpaceUsageOverview"
    assert caught.value.trace_id == server.seen[0].header("X-Traceid")


def test_retry_after_seconds_and_dates_are_honoured(call: Caller, sleeps: list[float]) -> None:
    later = email.utils.format_datetime(
        dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True
    )
    answers = [busy(429, **{"Retry-After": "7"}), busy(503, **{"Retry-After": later}), ok()]
    with ScriptedServer(*answers) as server:
        call(get_space_usage_overview, client=client_of(server, max_retries=2))
    assert sleeps[0] == 7
    assert 25 < sleeps[1] <= 30


def test_a_retry_after_given_twice_is_honoured_only_when_both_agree(
    call: Caller, sleeps: list[float]
) -> None:
    """It is a single header: the same value twice is that value; two values, backoff."""
    twice = busy(429, **{"Retry-After": "7", "retry-after": "7"})
    disagree = busy(429, **{"Retry-After": "7", "retry-after": "9"})
    with ScriptedServer(twice, disagree, ok()) as server:
        call(get_space_usage_overview, client=client_of(server, max_retries=2))
    assert sleeps[0] == 7
    assert sleeps[1] < 1  # the backoff, from retry_base_delay 0.01


def test_a_retry_after_past_the_total_timeout_is_not_waited_for(
    call: Caller, sleeps: list[float]
) -> None:
    with ScriptedServer(busy(429, **{"Retry-After": "600"}), ok()) as server:
        client = client_of(server, max_retries=3, total_timeout=60)
        with pytest.raises(kd.RateLimitError):
            call(get_space_usage_overview, client=client)
    assert len(server.seen) == 1
    assert sleeps == []


def test_backoff_is_exponential_capped_and_jittered(
    call: Caller, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    randoms = iter([0.0, 1.0, 0.5, 0.0, 0.0, 0.0])
    monkeypatch.setattr(random, "random", lambda: next(randoms))
    with ScriptedServer(busy(503)) as server, pytest.raises(kd.ServerError):
        call(
            get_space_usage_overview, client=client_of(server, max_retries=6, retry_base_delay=1.0)
        )
    # base * 2**n, capped at 8 s, less up to 25 % jitter (random() = 0 takes nothing off)
    assert sleeps == [1.0, 1.5, 3.5, 8.0, 8.0, 8.0]


def test_a_dropped_connection_is_retried(call: Caller, sleeps: list[float]) -> None:
    with ScriptedServer(Answer(drop=True), ok(OVERVIEW)) as server:
        reply = call(get_space_usage_overview, client=client_of(server, max_retries=1))
    assert reply.data.total_used == 1
    assert server.connections == 2


@pytest.mark.parametrize(
    "answer", [Answer(drop=True), Answer(200, OVERVIEW, cut=60)], ids=["dropped", "cut short"]
)
def test_connection_failures_end_as_api_connection_error_with_cause(
    call: Caller, answer: Answer, sleeps: list[float]
) -> None:
    with ScriptedServer(answer) as server, pytest.raises(kd.APIConnectionError) as caught:
        call(get_space_usage_overview, client=client_of(server, max_retries=2))
    assert len(server.seen) == 3
    assert "after 3 attempt(s)" in str(caught.value)
    assert isinstance(caught.value.__cause__, httpx.TransportError)
    assert caught.value.operation == "getSpaceUsageOverview"


def test_nothing_listens_is_a_connection_error(call: Caller, sleeps: list[float]) -> None:
    with ScriptedServer() as server:
        url = server.url
    client = kd.create_client(url, auth=kd.AppAuth(APP, SECRET, USER), max_retries=1)
    with pytest.raises(kd.APIConnectionError):
        call(get_space_usage_overview, client=client)
    assert len(sleeps) == 1


# -- time limits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [Answer(200, OVERVIEW, trickle=0.05), Answer(200, OVERVIEW, delay=30)],
    ids=["trickled a byte at a time", "silent"],
)
def test_timeout_bounds_each_attempt_as_a_whole(call: Caller, answer: Answer) -> None:
    """A reply trickled byte by byte, headers included, never trips a per-read timeout; the
    attempt's deadline ends it anyway."""
    with ScriptedServer(answer) as server:
        client = client_of(server, timeout=0.5, max_retries=1)
        started = time.monotonic()
        with pytest.raises(kd.APITimeoutError):
            call(get_space_usage_overview, client=client)
        elapsed = time.monotonic() - started
    assert elapsed < 3.0, elapsed  # two attempts of 0.5 s and a short wait, not minutes
    assert len(server.seen) == 2


def test_total_timeout_caps_the_whole_call(call: Caller) -> None:
    with ScriptedServer(busy(503, **{"Retry-After": "0.3"})) as server:
        client = client_of(server, max_retries=10, total_timeout=1.0)
        started = time.monotonic()
        with pytest.raises(kd.ServerError):
            call(get_space_usage_overview, client=client)
        elapsed = time.monotonic() - started
    assert elapsed < 1.5, elapsed
    assert 2 <= len(server.seen) <= 4


def test_the_last_attempt_gets_only_the_time_left(call: Caller) -> None:
    with ScriptedServer(
        busy(503, **{"Retry-After": "0.5"}), Answer(200, OVERVIEW, delay=30)
    ) as server:
        client = client_of(server, timeout=20, max_retries=1, total_timeout=1.5)
        started = time.monotonic()
        with pytest.raises(kd.APITimeoutError):
            call(get_space_usage_overview, client=client)
        elapsed = time.monotonic() - started
    assert elapsed < 2.5, elapsed


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (400, {"code": 13000301, "msg": "Space does not exist."}, kd.SpaceNotFoundError),
        (400, {"code": "13000410", "msg": "No permission."}, kd.PermissionDeniedError),
        (401, {"code": "APIGW.0301", "msg": "Incorrect."}, kd.AuthenticationError),
        (200, {"code": 13000412, "msg": "Not active."}, kd.SpaceNotActiveError),
        (200, {"code": "--1", "msg": "odd"}, kd.APIError),
        (400, {"code": "①", "msg": "odd"}, kd.BadRequestError),
        # A lone surrogate (a UTF-16 string cut in two) is valid JSON: the code still decides.
        (400, {"code": 13000410, "msg": "user \udc00"}, kd.PermissionDeniedError),
        (200, {"code": 13000301, "msg": "Space \ud83d not found"}, kd.SpaceNotFoundError),
    ],
)
def test_refusals_raise_their_class_with_everything_named(
    call: Caller, status: int, body: dict[str, Any], error: type[kd.APIError]
) -> None:
    with ScriptedServer(Answer(status, body)) as server, pytest.raises(error) as caught:
        call(get_space_usage_overview, client=client_of(server))
    assert type(caught.value) is error
    assert (caught.value.code, caught.value.msg) == (body["code"], body["msg"])
    assert caught.value.status_code == status
    assert caught.value.trace_id == server.seen[0].header("X-Traceid")
    assert caught.value.operation == "getSpaceUsageOverview"


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9)


def nested(depth: int) -> bytes:
    return b'{"code":0,"data":' + b"[" * depth + b"]" * depth + b"}"


HOSTILE = {
    "deeply nested": (Answer(200, nested(100_000)), "nests too deeply"),
    "NaN": (Answer(200, b'{"code":0,"data":{"totalUsed":NaN}}'), "NaN is not a JSON number"),
    "Infinity": (Answer(200, b'{"code":0,"data":{"totalUsed":-Infinity}}'), "-Infinity"),
    "a number past a double": (Answer(200, b'{"code":0,"data":{"totalUsed":1e400}}'), "1e400"),
    "an integer of 400 digits": (
        Answer(200, b'{"code":0,"data":{"totalUsed":' + b"9" * 400 + b"}}"),
        "reply.data.totalUsed must be at most 9223372036854775807",
    ),
    # Past the parsers' own limit of nesting, jsonschema-rs's (256 levels) is met in checking.
    "nested past what the check follows": (
        Answer(200, b'{"code":0,"data":{"totalUsed":' + b"[" * 600 + b"]" * 600 + b"}}"),
        "reply nests too deeply to check",
    ),
    # The parser reads integers past 64 bits as floats, which the reply check refuses.
    "an integer past 64 bits": (
        Answer(200, b'{"code":0,"data":{"totalUsed":123456789012345678901234567890}}'),
        "reply.data.totalUsed must be an integer, not a number",
    ),
    "an integer past int64": (
        Answer(200, b'{"code":0,"data":{"totalUsed":9223372036854775808}}'),
        "reply.data.totalUsed must be at most 9223372036854775807 (got 9223372036854775808)",
    ),
    "a float for an integer": (
        Answer(200, b'{"code":0,"data":{"totalUsed":1.5}}'),
        "reply.data.totalUsed must be an integer, not a number",
    ),
    "not UTF-8": (Answer(200, b'{"code":0,"msg":"\xff\xfe"}'), "not JSON"),
    "gzip that is not": (
        Answer(200, json.dumps(OVERVIEW).encode(), {"Content-Encoding": "gzip"}),
        "not gzip data, though its Content-Encoding says so",
    ),
    "deflate that is not": (
        Answer(200, b"plain", {"Content-Encoding": "deflate"}),
        "not deflate data",
    ),
    "gzip then junk": (
        Answer(
            200, gzipped(json.dumps(OVERVIEW).encode()) + b"JUNK!", {"Content-Encoding": "gzip"}
        ),
        "what follows its gzip data is not gzip data",
    ),
    "deflate then more": (
        Answer(
            200,
            zlib.compress(json.dumps(OVERVIEW).encode()) + b"x",
            {"Content-Encoding": "deflate"},
        ),
        "its body goes on after its deflate data ends",
    ),
    "gzip cut short": (
        Answer(200, gzipped(json.dumps(OVERVIEW).encode())[:-12], {"Content-Encoding": "gzip"}),
        "gzip body ends early",
    ),
    "an encoding not asked for": (
        Answer(200, b"\x00", {"Content-Encoding": "br"}),
        "Content-Encoding 'br' is not gzip or deflate",
    ),
    "total of other digits": (
        Answer(200, {"code": 0, "total": "①", "teams": []}),
        "reply.total matches none of the forms",
    ),
    "a list": (Answer(200, [OVERVIEW]), "a JSON list, not an object"),
    "HTML": (
        Answer(200, b"<html>maintenance</html>", {"Content-Type": "text/html"}),
        "not JSON (text/html)",
    ),
}


@pytest.mark.parametrize(("answer", "why"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_replies_are_unreadable_response_errors(
    call: Caller, answer: Answer, why: str
) -> None:
    operation = list_team_spaces if why.startswith("reply.total ") else get_space_usage_overview
    kwargs = {"offset": 0, "limit": 10} if operation is list_team_spaces else {}
    with ScriptedServer(answer) as server, pytest.raises(kd.UnreadableResponseError) as caught:
        call(operation, client=client_of(server), **kwargs)
    assert why in str(caught.value)
    assert caught.value.trace_id == server.seen[0].header("X-Traceid")
    assert caught.value.operation is not None


def test_a_refusal_nested_past_the_check_is_still_its_status(call: Caller) -> None:
    body = b'{"code":' + b"[" * 600 + b"]" * 600 + b',"msg":"deep"}'
    with ScriptedServer(Answer(400, body)) as server, pytest.raises(kd.BadRequestError) as caught:
        call(get_space_usage_overview, client=client_of(server))
    assert type(caught.value) is kd.BadRequestError
    assert "nests too deeply to check" in str(caught.value.__cause__)


def test_a_lone_surrogate_in_a_record_keeps_the_page(call: Caller) -> None:
    team = {"id": "1", "ownerName": "Team \ud83d", "capacity": 1}
    page = {"code": 0, "msg": "OK", "total": "1", "teams": [team]}
    with ScriptedServer(Answer(200, page)) as server:
        reply = call(list_team_spaces, client=client_of(server), offset=0, limit=10)
    assert reply.teams[0].owner_name == "Team \ud83d"


def test_compressed_replies_are_read(call: Caller) -> None:
    body = json.dumps(OVERVIEW).encode()
    deflated = zlib.compress(body)
    members = gzipped(body[:10]) + gzipped(body[10:])  # RFC 1952: one member after another
    answers = [
        Answer(200, gzipped(body), {"Content-Encoding": "gzip"}),
        Answer(200, deflated, {"Content-Encoding": "deflate"}),
        Answer(200, members, {"Content-Encoding": "gzip"}),
    ]
    with ScriptedServer(*answers) as server:
        client = client_of(server)
        for _ in answers:
            assert call(get_space_usage_overview, client=client).data.total_used == 1
    assert server.seen[0].header("Accept-Encoding") == "gzip, deflate"


@functools.cache
def gzip_bomb() -> bytes:
    """1 GiB of zeros in about 1 MB of gzip."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join(compressor.compress(block) for _ in range(1024)) + compressor.flush()


def test_a_gzip_bomb_is_refused_without_inflating_it(call: Caller) -> None:
    """Against the default cap of 32 MiB (decompressed)."""
    bomb = gzip_bomb()
    assert len(bomb) < 2 << 20
    with ScriptedServer(Answer(200, bomb, {"Content-Encoding": "gzip"})) as server:
        client = client_of(server)
        tracemalloc.start()
        try:
            with pytest.raises(kd.UnreadableResponseError) as caught:
                call(get_space_usage_overview, client=client)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert f"more than the {32 * 1024 * 1024} bytes accepted" in str(caught.value)
    assert peak < 100 * 1024 * 1024, f"{peak / 2**20:.0f} MiB"


@pytest.mark.parametrize("announced", [True, False], ids=["Content-Length", "until-close"])
def test_a_reply_past_max_reply_bytes_is_refused(call: Caller, announced: bool) -> None:
    body = json.dumps({"code": 0, "msg": "x" * 5000}).encode()
    with (
        ScriptedServer(Answer(200, body, unannounced=not announced)) as server,
        pytest.raises(kd.UnreadableResponseError) as caught,
    ):
        call(get_space_usage_overview, client=client_of(server, max_reply_bytes=4096))
    assert "more than the 4096 bytes accepted" in str(caught.value)


# -- clocks --------------------------------------------------------------------------------


def skewed_emulator(seconds: float) -> Emulator:
    """An emulator whose clock is ``seconds`` off ours (negative: ours is fast)."""
    return Emulator(clock_skew=dt.timedelta(seconds=seconds))


def emulator_client(base_url: str, auth: httpx.Auth | None = None) -> Any:
    auth = auth or kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID)
    return kd.create_client(base_url, auth=auth, retry_base_delay=0.01)


@pytest.mark.parametrize(
    "skew", [-8.0, -3600.0, 20 * 60.0], ids=["8 s fast", "1 h fast", "20 min slow"]
)
def test_a_refused_clock_is_corrected_once_and_kept(call: Caller, skew: float) -> None:
    with running(skewed_emulator(skew)) as server:
        auth = kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID)
        client = emulator_client(server.base_url, auth)
        call(get_space_usage_overview, client=client)
        call(get_space_allocation, client=client)
        statuses = [exchange.status for exchange in server.emulator.log]
    assert statuses == [401, 200, 200]  # refused once, then the correction holds
    assert abs(auth.clock_offset.total_seconds() - skew) < 3


@pytest.mark.parametrize("skew", [-2.0, 10 * 60.0], ids=["2 s fast", "10 min slow"])
def test_a_clock_inside_the_window_is_left_alone(call: Caller, skew: float) -> None:
    """The emulator accepts up to 5 s ahead of it (and 15 min behind): nothing to correct."""
    with running(skewed_emulator(skew)) as server:
        auth = kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID)
        call(get_space_usage_overview, client=emulator_client(server.base_url, auth))
        statuses = [exchange.status for exchange in server.emulator.log]
    assert statuses == [200]
    assert auth.clock_offset == dt.timedelta(0)


def test_a_refusal_for_another_reason_is_not_retried(call: Caller) -> None:
    with running() as server:
        auth = kd.AppAuth(FAKE_APP_ID, "not-the-secret", FAKE_USER_ID)
        with pytest.raises(kd.AuthenticationError):
            call(get_space_usage_overview, client=emulator_client(server.base_url, auth))
        assert len(server.emulator.log) == 1
    assert auth.clock_offset == dt.timedelta(0)


def test_token_auth_never_retries_a_refusal(call: Caller) -> None:
    with running(skewed_emulator(-3600)) as server:
        auth = kd.TokenAuth("not-the-token", user_id=FAKE_USER_ID)
        with pytest.raises(kd.AuthenticationError):
            call(get_space_usage_overview, client=emulator_client(server.base_url, auth))
        assert len(server.emulator.log) == 1


def test_many_threads_refused_at_once_all_recover_with_one_clock() -> None:
    with running(skewed_emulator(-120)) as server:
        auth = kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID)
        client = emulator_client(server.base_url, auth)
        barrier = threading.Barrier(16)
        failures: list[BaseException] = []

        def one() -> None:
            barrier.wait()
            try:
                get_space_usage_overview.sync(client=client)
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=one) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        refused = sum(exchange.status == 401 for exchange in server.emulator.log)
        get_space_usage_overview.sync(client=client)
        last = server.emulator.log[-1].status
    assert failures == []
    assert 1 <= refused <= 16
    assert last == 200
    assert abs(auth.clock_offset.total_seconds() + 120) < 3


def test_many_tasks_refused_at_once_all_recover_with_one_clock() -> None:
    with running(skewed_emulator(-120)) as server:
        auth = kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID)
        client = emulator_client(server.base_url, auth)

        async def many() -> list[Any]:
            calls = (get_space_usage_overview.asyncio(client=client) for _ in range(32))
            return await asyncio.gather(*calls)

        replies = asyncio.run(many())
        refused = sum(exchange.status == 401 for exchange in server.emulator.log)
    assert len(replies) == 32
    assert 1 <= refused <= 32
    assert abs(auth.clock_offset.total_seconds() + 120) < 3


# -- statuses and dates the client must not take at face value ----------------------------


def lying_gzip(status: int, **headers: str) -> Answer:
    """A refusal whose body claims gzip and is not."""
    return Answer(status, b'{"code":1}', {"Content-Encoding": "gzip", **headers})


def http_date(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(dt.UTC), usegmt=True)


def test_a_busy_reply_with_an_unreadable_body_is_still_retried(
    call: Caller, sleeps: list[float]
) -> None:
    with ScriptedServer(lying_gzip(503), ok(OVERVIEW)) as server:
        reply = call(get_space_usage_overview, client=client_of(server, max_retries=1))
    assert reply.data.total_used == 1
    assert len(server.seen) == 2


def test_a_last_refusal_with_an_unreadable_body_keeps_its_status_and_says_why(
    call: Caller, sleeps: list[float]
) -> None:
    with ScriptedServer(lying_gzip(503)) as server, pytest.raises(kd.ServerError) as caught:
        call(get_space_usage_overview, client=client_of(server, max_retries=0))
    assert caught.value.status_code == 503
    assert caught.value.code is None
    assert "not gzip data" in str(caught.value.__cause__)


@pytest.mark.parametrize("status", [600, 799])
def test_statuses_past_599_are_not_retried(call: Caller, status: int, sleeps: list[float]) -> None:
    with ScriptedServer(busy(status), ok(OVERVIEW)) as server, pytest.raises(kd.APIError):
        call(get_space_usage_overview, client=client_of(server, max_retries=3))
    assert len(server.seen) == 1
    assert sleeps == []


def test_a_retry_after_date_is_read_on_the_servers_clock(call: Caller, sleeps: list[float]) -> None:
    """A server an hour behind us that says "retry at my now + 5 s" means 5 s, not "at once"."""
    server_now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    answer = busy(
        503,
        Date=http_date(server_now),
        **{"Retry-After": http_date(server_now + dt.timedelta(seconds=5))},
    )
    with ScriptedServer(answer, ok(OVERVIEW)) as server:
        call(get_space_usage_overview, client=client_of(server, max_retries=1))
    assert len(sleeps) == 1
    assert 4 <= sleeps[0] <= 5


def test_a_clock_refusal_with_an_unreadable_body_still_corrects_the_clock(
    call: Caller,
) -> None:
    server_now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)  # our clock is an hour fast
    with ScriptedServer(lying_gzip(401, Date=http_date(server_now)), ok(OVERVIEW)) as server:
        auth = kd.AppAuth(APP, SECRET, USER)
        call(get_space_usage_overview, client=client_of(server, auth=auth))
    assert len(server.seen) == 2
    resent = dt.datetime.strptime(server.seen[1].header("X-Date") or "", "%Y%m%dT%H%M%SZ")
    assert abs(resent.replace(tzinfo=dt.UTC) - server_now) < dt.timedelta(seconds=10)
    assert abs(auth.clock_offset + dt.timedelta(hours=1)) < dt.timedelta(seconds=10)


@pytest.mark.parametrize(
    "date",
    ["Fri, 01 Jan 2100 00:00:00 GMT", "Thu, 01 Jan 1970 00:00:00 GMT"],
    ids=["2100", "1970"],
)
def test_an_absurd_server_date_is_not_believed(call: Caller, date: str) -> None:
    """A proxy's broken clock must not move every later signature by decades."""
    answer = Answer(401, {"code": "APIGW.0303", "msg": "Incorrect X-Date."}, {"Date": date})
    auth = kd.AppAuth(APP, SECRET, USER)
    with ScriptedServer(answer, ok(OVERVIEW)) as server, pytest.raises(kd.AuthenticationError):
        call(get_space_usage_overview, client=client_of(server, auth=auth))
    assert len(server.seen) == 1
    assert auth.clock_offset == dt.timedelta(0)


def test_connections_are_closed_when_the_event_loop_ends() -> None:
    """asyncio.run ends its loop after the call; the client's connections end with it, rather
    than lingering until garbage collection (or warning that they were never closed)."""
    with ScriptedServer(ok(OVERVIEW)) as server:
        client = client_of(server)
        for _ in range(2):
            asyncio.run(get_space_usage_overview.asyncio(client=client))
        waited = time.monotonic() + 5
        while server.ended < server.connections and time.monotonic() < waited:
            time.sleep(0.01)
        assert (server.connections, server.ended) == (2, 2)


def test_trio_runs_calls_with_retries_and_closes_connections_when_it_ends() -> None:
    """anyio runs the async client under trio too: successive trio.run() calls on one client,
    a retry's wait, and connections closed as each run ends."""
    import trio

    with ScriptedServer(busy(503, **{"Retry-After": "0"}), ok(OVERVIEW)) as server:
        client = client_of(server, max_retries=1)
        replies: list[Any] = [
            trio.run(functools.partial(get_space_usage_overview.asyncio, client=client))
            for _ in range(2)
        ]
        waited = time.monotonic() + 5
        while server.ended < server.connections and time.monotonic() < waited:
            time.sleep(0.01)
        assert server.ended == server.connections
    assert [reply.data.total_used for reply in replies] == [1, 1]
    assert len(server.seen) == 3


def test_an_overflowing_server_date_is_ignored(call: Caller) -> None:
    answer = Answer(
        401,
        {"code": "APIGW.0303", "msg": "Incorrect X-Date."},
        {"Date": "Mon, 01 Jan 99999999999999999999 00:00:00 +0000"},
    )
    auth = kd.AppAuth(APP, SECRET, USER)
    with ScriptedServer(answer) as server, pytest.raises(kd.AuthenticationError):
        call(get_space_usage_overview, client=client_of(server, auth=auth))
    assert len(server.seen) == 1
    assert auth.clock_offset == dt.timedelta(0)


def test_a_retry_after_date_beside_an_absurd_server_date_is_read_on_our_clock(
    call: Caller, sleeps: list[float]
) -> None:
    retry_at = http_date(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5))
    answer = busy(503, Date="Mon, 01 Jan 1990 00:00:00 GMT", **{"Retry-After": retry_at})
    with ScriptedServer(answer, ok(OVERVIEW)) as server:
        call(get_space_usage_overview, client=client_of(server, max_retries=1))
    assert len(server.seen) == 2
    assert 3 <= sleeps[0] <= 5


def test_a_retry_after_in_asctime_form_is_honoured(call: Caller, sleeps: list[float]) -> None:
    """RFC 9110 asks recipients to read all three HTTP-date forms; asctime has no zone: GMT."""
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=20)
    answer = busy(503, **{"Retry-After": later.strftime("%a %b %d %H:%M:%S %Y")})
    with ScriptedServer(answer, ok(OVERVIEW)) as server:
        call(get_space_usage_overview, client=client_of(server, max_retries=1))
    assert 17 <= sleeps[0] <= 20


def test_trio_runs_in_two_threads_at_once_each_have_their_own_connections() -> None:
    """The run that ends first closes its own client, not the one under the other run's call
    in flight (they shared one)."""
    import trio

    outcomes: dict[str, object] = {}
    first_called = threading.Event()
    answers = (ok(OVERVIEW), ok(OVERVIEW), Answer(200, OVERVIEW, delay=0.5))
    with ScriptedServer(*answers) as server:
        client = client_of(server)

        def slow_call_arrived() -> None:
            while len(server.seen) < 3:
                time.sleep(0.005)

        async def first() -> None:  # ends while the other run's slow call is in flight
            await get_space_usage_overview.asyncio(client=client)
            first_called.set()
            await trio.to_thread.run_sync(slow_call_arrived)

        async def second() -> None:
            await trio.to_thread.run_sync(first_called.wait)
            await get_space_usage_overview.asyncio(client=client)
            await get_space_usage_overview.asyncio(client=client)  # the slow one

        def run(name: str, main: Callable[[], Awaitable[None]]) -> None:
            try:
                trio.run(main)
                outcomes[name] = "ok"
            except BaseException as error:  # reported by the assertion below
                outcomes[name] = error

        threads = [
            threading.Thread(target=run, args=item)
            for item in [("first", first), ("second", second)]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert outcomes == {"first": "ok", "second": "ok"}
    assert len(server.seen) == 3


def test_an_async_client_set_by_the_caller_is_used_inside_a_running_loop() -> None:
    seen: list[httpx.Request] = []

    async def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=OVERVIEW)

    client = kd.create_client("https://k.example", auth=kd.TokenAuth("t", "u"))
    mine = httpx.AsyncClient(base_url="https://k.example", transport=httpx.MockTransport(answer))
    client.set_async_httpx_client(mine)

    async def use() -> None:
        assert client.get_async_httpx_client() is mine
        await get_space_usage_overview.asyncio(client=client)

    asyncio.run(use())
    asyncio.run(use())
    assert len(seen) == 2


# -- with_cookies, with_timeout ------------------------------------------------------------


def test_with_cookies_sends_them_and_the_original_does_not(call: Caller) -> None:
    with ScriptedServer(ok(OVERVIEW)) as server:
        client = client_of(server)
        call(get_space_usage_overview, client=client.with_cookies({"session": "s-1"}))
        call(get_space_usage_overview, client=client)
    assert [seen.header("Cookie") for seen in server.seen] == ["session=s-1", None]
    assert server.seen[0].signature_problem(APP, SECRET) is None


def overviews(client: Any, mode: str, times: int) -> None:
    """``times`` calls on one client, sync or all in one event loop (whose client keeps the
    cookies replies set)."""
    if mode == "sync":
        for _ in range(times):
            get_space_usage_overview.sync(client=client)
        return

    async def calls() -> None:
        for _ in range(times):
            await get_space_usage_overview.asyncio(client=client)

    asyncio.run(calls())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_cookie_a_reply_sets_is_sent_with_the_requests_after_it(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replies are handed to http.cookiejar only when they set a cookie (pipeline._Cookies):
    one that does is kept, and replies without one leave it be."""
    read: list[object] = []
    extract = http.cookiejar.CookieJar.extract_cookies

    def counted(jar: http.cookiejar.CookieJar, response: Any, request: Any) -> None:
        read.append(response)
        extract(jar, response, request)

    monkeypatch.setattr(http.cookiejar.CookieJar, "extract_cookies", counted)
    sets = ok(OVERVIEW, **{"Set-Cookie": "lb=node-2; Path=/"})
    with ScriptedServer(sets, ok(OVERVIEW)) as server:
        overviews(client_of(server), mode, 3)
    assert [seen.header("Cookie") for seen in server.seen] == [None, "lb=node-2", "lb=node-2"]
    assert len(read) == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_cookie_that_cannot_be_sent_back_is_dropped_not_kept(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Kept, it would have every later request refused before sending (its Cookie header)."""
    answers = (
        ok(OVERVIEW, **{"Set-Cookie": "lb=caf\xe9; Path=/"}),  # latin-1, as some servers send
        ok(OVERVIEW, **{"Set-Cookie": "ctl=a\x01b; Path=/"}),
        ok(OVERVIEW, **{"Set-Cookie": "fine=yes; Path=/"}),
        ok(OVERVIEW),
    )
    with ScriptedServer(*answers) as server:
        overviews(client_of(server), mode, 4)
    assert [seen.header("Cookie") for seen in server.seen] == [None, None, None, "fine=yes"]
    dropped = [r.getMessage() for r in caplog.records if "dropped cookie" in r.getMessage()]
    assert len(dropped) == 2
    assert dropped[0].startswith("dropped cookie 'lb' set by 127.0.0.1")


def test_a_set_cookie2_reaches_a_jar_whose_policy_reads_it() -> None:
    """(httpx itself never sends such a cookie: it copies the jar into a default-policy one.)"""
    policy = http.cookiejar.DefaultCookiePolicy(rfc2965=True)
    jar = http.cookiejar.CookieJar(policy)
    with ScriptedServer(ok(OVERVIEW, **{"Set-Cookie2": 'lb="node-2"; Version="1"'})) as server:
        client = client_of(server)
        client.get_httpx_client().cookies = jar
        get_space_usage_overview.sync(client=client)
    assert [(cookie.name, cookie.value) for cookie in jar] == [("lb", "node-2")]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_cookie_jar_given_to_the_httpx_client_is_the_one_kept(mode: str) -> None:
    """As httpx does: the caller's jar itself (its policy, its file) gets what replies set."""
    jar = http.cookiejar.CookieJar()
    with ScriptedServer(ok(OVERVIEW, **{"Set-Cookie": "lb=node-2; Path=/"})) as server:
        options = {"koodrive": client_of(server).get_httpx_client().koodrive, "cookies": jar}
        target = kd.spec.operation("getSpaceUsageOverview").path
        if mode == "sync":
            with SyncHTTPClient(base_url=server.url, **options) as sync_client:
                assert sync_client.cookies.jar is jar
                sync_client.get(target)
        else:

            async def get() -> None:
                async with AsyncHTTPClient(base_url=server.url, **options) as async_client:
                    assert async_client.cookies.jar is jar
                    await async_client.get(target)

            asyncio.run(get())
    assert [(cookie.name, cookie.value) for cookie in jar] == [("lb", "node-2")]


def test_with_timeout_bounds_each_phase_and_the_original_waits(call: Caller) -> None:
    slow = Answer(200, OVERVIEW, delay=0.5)
    with ScriptedServer(slow) as server:
        client = client_of(server, max_retries=0)
        started = time.monotonic()
        with pytest.raises(kd.APITimeoutError):
            call(get_space_usage_overview, client=client.with_timeout(httpx.Timeout(0.1)))
        assert time.monotonic() - started < 0.45
        assert call(get_space_usage_overview, client=client).data.total_used == 1
