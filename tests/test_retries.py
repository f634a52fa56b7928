"""Retry and clock rules at the level of logic, with frozen clocks: what the policy accepts, how
Retry-After reads, and exactly which refusals AppAuth corrects. tests/test_wire.py proves the
same behaviour on real sockets, sync and async."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterator

import httpx
import koodrive_space as kd
import pytest
from koodrive_space.retries import retry_after
from koodrive_space_client.api.space import get_space_usage_overview

from tests.mock_service import Script, client_for, ok

START = dt.datetime(2026, 11, 24, 8, 0, 0, tzinfo=dt.UTC)


def frozen_auth(now: dt.datetime = START) -> kd.AppAuth:
    return kd.AppAuth("test-app", "test-secret", "test-user", clock=lambda: now)


def refused_with_server_date(server_now: dt.datetime, status: int = 401) -> httpx.Response:
    return httpx.Response(
        status,
        json={"code": "APIGW.0303", "msg": "X-Date refused"},
        headers={"Date": email.utils.format_datetime(server_now, usegmt=True)},
    )


def x_date(request: httpx.Request) -> dt.datetime:
    return dt.datetime.strptime(request.headers["X-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize(
    "server_ahead",
    [dt.timedelta(hours=1), dt.timedelta(minutes=16), dt.timedelta(seconds=-3)],
    ids=["1 h slow", "16 min slow", "3 s fast"],
)
def test_a_refused_x_date_outside_the_window_is_corrected_once(
    server_ahead: dt.timedelta, status: int
) -> None:
    server_now = START + server_ahead
    script = Script(refused_with_server_date(server_now, status), ok(), ok())
    auth = frozen_auth()
    client = client_for(script, auth=auth, max_retries=0)
    get_space_usage_overview.sync(client=client)
    first, second = script.requests
    assert x_date(first) == START
    assert x_date(second) == server_now
    assert auth.clock_offset == server_ahead
    get_space_usage_overview.sync(client=client)  # later calls sign with the learned offset
    assert x_date(script.requests[2]) == server_now


def test_the_correction_is_tried_only_once() -> None:
    script = Script(refused_with_server_date(START + dt.timedelta(hours=2)))
    with pytest.raises(kd.AuthenticationError):
        get_space_usage_overview.sync(client=client_for(script, auth=frozen_auth(), max_retries=3))
    assert len(script.requests) == 2


@pytest.mark.parametrize(
    "server_ahead",
    [dt.timedelta(0), dt.timedelta(minutes=4), dt.timedelta(minutes=15)],
    ids=["same second", "4 min slow", "15 min slow"],
)
def test_a_refusal_inside_the_window_is_not_a_clock_problem(server_ahead: dt.timedelta) -> None:
    """KooDrive accepts an X-Date up to 15 minutes before its clock and none after it."""
    script = Script(refused_with_server_date(START + server_ahead))
    auth = frozen_auth()
    with pytest.raises(kd.AuthenticationError):
        get_space_usage_overview.sync(client=client_for(script, auth=auth))
    assert len(script.requests) == 1
    assert auth.clock_offset == dt.timedelta(0)


@pytest.mark.parametrize("date", ["", "yesterday", "Wed, 21 Oct 2015 07:28:00"])
def test_a_refusal_without_a_usable_date_is_not_corrected(date: str) -> None:
    refusal = httpx.Response(401, json={"code": "APIGW.0303", "msg": "no"}, headers={"Date": date})
    script = Script(refusal)
    with pytest.raises(kd.AuthenticationError):
        get_space_usage_overview.sync(client=client_for(script, auth=frozen_auth()))
    assert len(script.requests) == 1


def test_other_statuses_never_move_the_clock() -> None:
    script = Script(
        httpx.Response(
            400,
            json={"code": 13000102, "msg": "no"},
            headers={"Date": email.utils.format_datetime(START + dt.timedelta(hours=3))},
        )
    )
    auth = frozen_auth()
    with pytest.raises(kd.InvalidParameterError):
        get_space_usage_overview.sync(client=client_for(script, auth=auth))
    assert auth.clock_offset == dt.timedelta(0)


def test_token_auth_does_not_correct_clock_skew() -> None:
    script = Script(refused_with_server_date(START + dt.timedelta(hours=1)))
    with pytest.raises(kd.AuthenticationError):
        get_space_usage_overview.sync(
            client=client_for(script, auth=kd.TokenAuth("token-value", "user"))
        )
    assert len(script.requests) == 1
    assert script.requests[0].headers["Authorization"] == "Bearer token-value"


def ticks() -> Iterator[dt.datetime]:
    now = START
    while True:
        yield now
        now += dt.timedelta(seconds=1)


def test_x_date_is_one_value_however_the_cache_is_read() -> None:
    """The per-second X-Date cache is one tuple: a reader never sees a half-updated pair."""
    clock = ticks()
    auth = kd.AppAuth("a", "s", "u", clock=lambda: next(clock))
    dates = [auth.x_date() for _ in range(3)]
    assert dates == ["20261124T080000Z", "20261124T080001Z", "20261124T080002Z"]
    second, text = auth._x_date
    assert dt.datetime.fromtimestamp(second, dt.UTC).strftime("%Y%m%dT%H%M%SZ") == text


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("0", 0.0),
        ("2", 2.0),
        ("1.5", 1.5),
        (" 7 ", 7.0),
        ("-3", None),
        ("①", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("Wed, 21 Oct 2015 07:28:00", 0.0),  # no zone: GMT, as asctime's form has none
        ("Wed Oct 21 07:28:00 2015", 0.0),
        (None, None),
        ("nan", None),
        ("inf", None),
        ("1e9", None),
    ],
)
def test_retry_after_parsing(header: str | None, seconds: float | None) -> None:
    assert retry_after(header) == seconds


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"max_retries": -1}, "max_retries must be 0 to 10 (got -1)"),
        ({"max_retries": 2000}, "max_retries must be 0 to 10 (got 2000)"),
        ({"max_retries": 1.5}, "max_retries must be an integer (got 1.5)"),
        ({"max_retries": True}, "max_retries must be an integer (got True)"),
        ({"base_delay": -1}, "base_delay must be 0 or more seconds (got -1)"),
        ({"base_delay": float("nan")}, "base_delay must be a finite number of seconds (got nan)"),
        ({"max_delay": float("inf")}, "max_delay must be a finite number of seconds (got inf)"),
        ({"total_timeout": 0}, "total_timeout must be more than 0 seconds (got 0)"),
        ({"total_timeout": "60"}, "total_timeout must be a finite number of seconds (got '60')"),
    ],
)
def test_retry_policy_refuses_nonsense(options: dict[str, float], problem: str) -> None:
    with pytest.raises(kd.ConfigurationError, match=re.escape(problem)):
        kd.RetryPolicy(**options)  # type: ignore[arg-type]


def test_the_specs_guidance_names_the_statuses_the_client_retries() -> None:
    """The spec's "Calling it reliably" tells other languages what this client retries."""
    from koodrive_space.retries import is_retryable_status

    guidance = " ".join(str(kd.spec.document()["info"]["description"]).split())
    assert "retries 429, 500 to 599, timeouts and connection failures" in guidance
    assert [s for s in range(100, 700) if is_retryable_status(s)] == [429, *range(500, 600)]
