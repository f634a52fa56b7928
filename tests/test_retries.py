"""Retries: what is retried, how long it waits, that each attempt is signed afresh; clock skew."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import re
from collections.abc import Iterator

import httpx
import koodrive_space as kd
import pytest
from koodrive_space import signing
from koodrive_space.retries import retry_after
from koodrive_space_client.api.space import get_space_usage_overview

from tests.mock_service import Script, async_client_for, client_for, ok

START = dt.datetime(2026, 11, 24, 8, 0, 0, tzinfo=dt.UTC)


def ticking_clock(step: dt.timedelta = dt.timedelta(seconds=1)) -> Iterator[dt.datetime]:
    now = START
    while True:
        yield now
        now += step


def app_auth(clock: Iterator[dt.datetime] | None = None) -> kd.AppAuth:
    ticks = clock or ticking_clock()
    return kd.AppAuth("test-app", "test-secret", "test-user", clock=lambda: next(ticks))


def signature_is_valid(request: httpx.Request) -> bool:
    headers = {name: request.headers[name] for name in signing.SIGNED_HEADERS}
    canonical = signing.canonical_request(
        request.method, request.url.raw_path, headers, request.content
    )
    expected = signing.signature(b"test-secret", signing.string_to_sign(canonical))
    return request.headers["Authorization"].endswith(f"Signature={expected}")


def busy(status: int = 503, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"code": 1, "msg": "busy"}, headers=headers)


def test_5xx_then_success_is_retried_with_a_fresh_valid_signature_each_time(
    sleeps: list[float],
) -> None:
    script = Script(busy(503), busy(500), ok())
    client = client_for(script, auth=app_auth(), max_retries=2)
    get_space_usage_overview.sync(client=client)
    assert len(script.requests) == 3
    assert len(sleeps) == 2
    assert all(signature_is_valid(r) for r in script.requests)
    x_dates = [r.headers["X-Date"] for r in script.requests]
    assert len(set(x_dates)) == 3, x_dates
    assert len({r.headers["X-Traceid"] for r in script.requests}) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
def test_other_4xx_are_never_retried(status: int, sleeps: list[float]) -> None:
    script = Script(busy(status), ok())
    with pytest.raises(kd.APIError):
        get_space_usage_overview.sync(client=client_for(script, max_retries=3))
    assert len(script.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("max_retries", [0, 1, 5])
def test_max_retries_bounds_the_attempts(max_retries: int, sleeps: list[float]) -> None:
    script = Script(busy(503))
    with pytest.raises(kd.ServerError) as caught:
        get_space_usage_overview.sync(client=client_for(script, max_retries=max_retries))
    assert len(script.requests) == max_retries + 1
    assert len(sleeps) == max_retries
    assert caught.value.status_code == 503


def test_backoff_is_exponential_capped_and_jittered(sleeps: list[float]) -> None:
    script = Script(busy(503))
    client = client_for(script, max_retries=6, retry_base_delay=0.5)
    with pytest.raises(kd.ServerError):
        get_space_usage_overview.sync(client=client)
    ceilings = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(sleeps) == len(ceilings)
    for slept, ceiling in zip(sleeps, ceilings, strict=True):
        assert 0.75 * ceiling <= slept <= ceiling, (slept, ceiling)


def test_429_honours_retry_after_seconds(sleeps: list[float]) -> None:
    script = Script(busy(429, **{"Retry-After": "3"}), ok())
    get_space_usage_overview.sync(client=client_for(script))
    assert sleeps == [3.0]


def test_429_honours_retry_after_as_an_http_date(sleeps: list[float]) -> None:
    when = email.utils.format_datetime(
        dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True
    )
    script = Script(busy(429, **{"Retry-After": when}), ok())
    get_space_usage_overview.sync(client=client_for(script))
    assert len(sleeps) == 1
    assert 25 <= sleeps[0] <= 30


def test_an_excessive_retry_after_is_bounded_by_the_backoff(sleeps: list[float]) -> None:
    script = Script(busy(429, **{"Retry-After": "3600"}), ok())
    get_space_usage_overview.sync(client=client_for(script, retry_base_delay=0.5))
    assert len(sleeps) == 1
    assert sleeps[0] <= 0.5


def test_connection_errors_are_retried_then_succeed(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), ok())
    get_space_usage_overview.sync(client=client_for(script, max_retries=2))
    assert len(script.requests) == 3
    assert len(sleeps) == 2


def test_async_retries_are_signed_and_bounded_the_same_way(sleeps: list[float]) -> None:
    script = Script(busy(502), ok())
    client = async_client_for(script, auth=app_auth(), max_retries=1)
    asyncio.run(get_space_usage_overview.asyncio(client=client))
    assert len(script.requests) == 2
    assert len(sleeps) == 1
    assert all(signature_is_valid(r) for r in script.requests)
    assert script.requests[0].headers["X-Date"] != script.requests[1].headers["X-Date"]


def refused_with_server_date(server_now: dt.datetime) -> httpx.Response:
    return httpx.Response(
        401,
        json={"code": "APIGW.0301", "msg": "X-Date expired"},
        headers={"Date": email.utils.format_datetime(server_now, usegmt=True)},
    )


def x_date(request: httpx.Request) -> dt.datetime:
    return dt.datetime.strptime(request.headers["X-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def test_clock_skew_is_learned_from_the_date_header_and_retried_once(sleeps: list[float]) -> None:
    server_now = START + dt.timedelta(hours=1)
    script = Script(refused_with_server_date(server_now), ok(), ok())
    auth = app_auth(ticking_clock(dt.timedelta(0)))
    client = client_for(script, auth=auth, max_retries=0)
    get_space_usage_overview.sync(client=client)
    first, second = script.requests
    assert x_date(first) == START
    assert x_date(second) == server_now
    assert signature_is_valid(second)
    assert sleeps == []
    get_space_usage_overview.sync(client=client)  # later calls sign with the learned offset
    assert x_date(script.requests[2]) == server_now


def test_clock_skew_retry_happens_only_once(sleeps: list[float]) -> None:
    script = Script(refused_with_server_date(START + dt.timedelta(hours=2)))
    auth = app_auth(ticking_clock(dt.timedelta(0)))
    with pytest.raises(kd.AuthenticationError):
        get_space_usage_overview.sync(client=client_for(script, auth=auth, max_retries=3))
    assert len(script.requests) == 2


@pytest.mark.parametrize("skew", [dt.timedelta(minutes=4), dt.timedelta(minutes=-4)])
def test_small_skew_is_not_corrected(skew: dt.timedelta, sleeps: list[float]) -> None:
    script = Script(refused_with_server_date(START + skew))
    auth = app_auth(ticking_clock(dt.timedelta(0)))
    with pytest.raises(kd.AuthenticationError):
        get_space_usage_overview.sync(client=client_for(script, auth=auth))
    assert len(script.requests) == 1
    assert auth.clock_offset == dt.timedelta(0)


def test_token_auth_does_not_correct_clock_skew(sleeps: list[float]) -> None:
    script = Script(refused_with_server_date(START + dt.timedelta(hours=1)))
    with pytest.raises(kd.AuthenticationError):
        get_space_usage_overview.sync(
            client=client_for(script, auth=kd.TokenAuth("token-value", "user"))
        )
    assert len(script.requests) == 1
    assert script.requests[0].headers["Authorization"] == "Bearer token-value"


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("0", 0.0),
        ("2", 2.0),
        ("1.5", 1.5),
        (" 7 ", 7.0),
        ("-3", 0.0),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        (None, None),
        ("nan", None),
    ],
)
def test_retry_after_parsing(header: str | None, seconds: float | None) -> None:
    assert retry_after(header) == seconds


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"max_retries": -1}, "max_retries must be 0 or more"),
        ({"max_retries": 1.5}, "max_retries must be an integer"),
        ({"base_delay": -1}, "base_delay must be a number of seconds"),
    ],
)
def test_retry_policy_refuses_nonsense(options: dict[str, float], problem: str) -> None:
    with pytest.raises(kd.ConfigurationError, match=re.escape(problem)):
        kd.RetryPolicy(**options)  # type: ignore[arg-type]
