"""Replays of tests/cassettes/: the client's requests are pinned byte for byte, offline.

Each test replays one cassette (``record_mode="none"``, sockets blocked): a request the cassette
does not hold fails the test, and so does a recorded request the client no longer sends. What
vcrpy's matchers pin for every request (``cassette_kit.recorder``): the method; the URL exactly
as sent (path, query bytes and order); every header but user-agent and connection, so
``X-Date`` (frozen at the cassette's time), ``X-User-Id``, ``Authorization`` with its signature,
the ``X-Traceid`` sequence, ``language``, ``accept-encoding``, ``content-type`` and
``content-length``; the body bytes.
The docstrings say what else each one pins.

Re-record with ``make record`` (tests/cassette_kit.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import koodrive_space as kd
import pytest
import yaml
from koodrive_emulator import FAKE_APP_SECRET, FAKE_TOKEN, Credentials, Emulator, running
from koodrive_emulator import data as dataset
from koodrive_emulator.validate import path_segments, routes
from koodrive_space_client.models import (
    GetSpaceAllocatedData,
    SpaceAllocationResponse,
    SpaceInfo,
    SpaceInfoResponse,
    SpaceUsageOverviewResponse,
    TeamSpaceListResponse,
    UsageByUserResponse,
)
from koodrive_space_client.types import Unset
from vcr.errors import CannotOverwriteExistingCassetteException  # type: ignore[import-untyped]
from vcr.request import Request as VcrRequest  # type: ignore[import-untyped]

from tests import cassette_kit as kit
from tests.contract import reply_problems

DATA = dataset.build()
SEED_USERS = DATA.tenants[dataset.SEED_TENANT].users
ALL_CASSETTES = sorted(kit.CASSETTES.rglob("*.yaml"))
# Taken before any test blocks the network (see ``offline``).
_REAL_CONNECT = socket.socket.connect
_REAL_CREATE_CONNECTION = socket.create_connection


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, sleeps: list[float]) -> list[float]:
    """No socket may connect, and retry waits are recorded instead of slept."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access is blocked while replaying cassettes")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return sleeps


def replay(name: str, directory: Path = kit.CASSETTES, *, live: bool = False) -> tuple[Any, Any]:
    """Run scenario ``name`` against its cassette; every recorded request must be sent."""
    setup = kit.replay_setup(name, directory, live=live)
    with kit.replaying(name, directory, live=live) as cassette:
        result = kit.SCENARIOS[name].run(setup)
    assert cassette.all_played, f"{name}: the client sent fewer requests than were recorded"
    return result, cassette


def statuses(cassette: Any) -> list[int]:
    return [response["status"]["code"] for response in cassette.responses]


def sent(cassette: Any, header: str) -> list[str]:
    return [request.headers[header] for request in cassette.requests]


def interactions(path: Path) -> list[dict[str, Any]]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = document["interactions"]
    return found


# -- every operation, both reply forms ------------------------------------------------------


def test_space_info_table() -> None:
    """Pins GET /koodrive/ose/v1/space/369528171409614001?type=1 (the owner in the path, type as
    the query value 1). Reads the table form: numbers as strings, with capacityKb."""
    reply, _ = replay("space_info_table")
    assert isinstance(reply, SpaceInfoResponse)
    assert isinstance(reply.data, SpaceInfo)
    assert (reply.data.capacity, reply.data.capacity_kb, reply.data.type_) == ("800", "0", "1")
    assert kd.as_int(reply.data.space_used) == 91966408


def test_space_info_example() -> None:
    """Pins the same request with X-Emulator-Fault: shape=example. Reads the reference
    example's form: numbers as JSON numbers, no capacityKb."""
    reply, _ = replay("space_info_example")
    assert isinstance(reply, SpaceInfoResponse)
    assert isinstance(reply.data, SpaceInfo)
    assert (reply.data.capacity, reply.data.type_) == (800, 1)
    assert isinstance(reply.data.capacity_kb, Unset)


def test_usage_by_user_table() -> None:
    """Pins POST /koodrive/ose/v1/space/usage/user with the JSON body bytes (userIds, limit 10,
    offset 0), its content-type and content-length, and the body's SHA-256 in the signature."""
    reply, cassette = replay("usage_by_user_table")
    assert isinstance(reply, UsageByUserResponse)
    assert not isinstance(reply.data, Unset)
    assert [record.user_id for record in reply.data] == list(kit.USAGE_IDS)
    assert not isinstance(reply.data[0].create_time, Unset)
    assert cassette.requests[0].body == (
        b'{"userIds":["1008600000509220652","1008600000509220653","1008600000509220654"],'
        b'"limit":10,"offset":0}'
    )


def test_usage_by_user_example() -> None:
    """Pins the same POST; reads the example form (no createTime)."""
    reply, _ = replay("usage_by_user_example")
    assert isinstance(reply, UsageByUserResponse)
    assert not isinstance(reply.data, Unset)
    assert reply.data[0].quota == "1048576"
    assert isinstance(reply.data[0].create_time, Unset)


def test_usage_overview_table() -> None:
    """Pins GET /koodrive/ose/v1/space/usage/overview (no query, empty body). Reads quota."""
    reply, _ = replay("usage_overview_table")
    assert isinstance(reply, SpaceUsageOverviewResponse)
    assert not isinstance(reply.data, Unset)
    assert reply.data.quota == "500000"


def test_usage_overview_example() -> None:
    """Pins the same GET with shape=example; reads a reply without quota."""
    reply, _ = replay("usage_overview_example")
    assert isinstance(reply, SpaceUsageOverviewResponse)
    assert not isinstance(reply.data, Unset)
    assert isinstance(reply.data.quota, Unset)
    assert isinstance(reply.data.total_used, int)


def test_team_list_table() -> None:
    """Pins GET /koodrive/ose/v1/space/teamList?offset=0&limit=5 (that parameter order). Reads
    the table form: total as a string, teams as an array."""
    reply, _ = replay("team_list_table")
    assert isinstance(reply, TeamSpaceListResponse)
    assert reply.total == "263"
    assert kd.team_spaces_in(reply)[0].id == dataset.SEED_TEAM_ID
    assert len(kd.team_spaces_in(reply)) == 5


def test_team_list_example() -> None:
    """Pins the same GET with shape=example; reads the single ``data`` record."""
    reply, _ = replay("team_list_example")
    assert isinstance(reply, TeamSpaceListResponse)
    assert isinstance(reply.teams, Unset)
    assert [team.owner_name for team in kd.team_spaces_in(reply)] == ["Finance"]


def test_allocation_table() -> None:
    """Pins GET /koodrive/ose/v1/space/allocation/get; reads an array and a string code."""
    reply, _ = replay("allocation_table")
    assert isinstance(reply, SpaceAllocationResponse)
    assert reply.code == "0"
    assert [kd.as_int(r.type_) for r in kd.allocation_records(reply)] == [0, 1]


def test_allocation_example() -> None:
    """Pins the same GET with shape=example; reads one object with numbers as strings."""
    reply, _ = replay("allocation_example")
    assert isinstance(reply, SpaceAllocationResponse)
    assert isinstance(reply.data, GetSpaceAllocatedData)
    assert reply.code == 0
    assert kd.as_int(reply.data.total_capacity) == 500000


# -- paging, batching, retries, clock skew --------------------------------------------------


def test_team_list_paging_to_the_last_page() -> None:
    """Pins iter_team_spaces' requests: keyWord=finance, limit=10 and offset 0, 10, 20, and that
    it stops after the short last page (2 of 22 teams; no fourth request)."""
    teams, cassette = replay("team_list_paging")
    expected = [
        t["id"]
        for t in DATA.tenants[dataset.SEED_TENANT].team_spaces
        if "finance" in t["ownerName"].casefold()
    ]
    assert [team.id for team in teams] == expected
    assert len(expected) == 22
    assert [urlsplit(r.uri).query for r in cassette.requests] == [
        f"offset={offset}&limit=10&keyWord=finance" for offset in (0, 10, 20)
    ]


def test_usage_batching_of_more_than_50_ids() -> None:
    """Pins query_usage's batches: 120 unique IDs (a duplicate asked once) as 50, 50 and 20,
    each with limit = batch size and offset 0; the records come back in the order asked."""
    records, cassette = replay("usage_batching")
    assert [record.user_id for record in records] == SEED_USERS[:118]
    bodies = [json.loads(request.body) for request in cassette.requests]
    assert [len(body["userIds"]) for body in bodies] == [50, 50, 20]
    assert [(body["limit"], body["offset"]) for body in bodies] == [(50, 0), (50, 0), (20, 0)]


def test_retry_503_503_then_200(offline: list[float]) -> None:
    """Pins the retry sequence: three identical requests (same X-Traceid, re-signed at the same
    frozen time), two waits, then the 200 is returned."""
    reply, cassette = replay("retry_503_503_200")
    assert isinstance(reply, SpaceUsageOverviewResponse)
    assert statuses(cassette) == [503, 503, 200]
    assert len(set(sent(cassette, "X-Traceid"))) == 1
    assert len(offline) == 2


def test_clock_skew_is_corrected_from_the_401_date() -> None:
    """Pins the clock-skew recovery: signed at the frozen time, refused with 401 and a Date one
    hour later, then re-signed with X-Date one hour later and accepted."""
    reply, cassette = replay("clock_skew_corrected")
    assert isinstance(reply, SpaceUsageOverviewResponse)
    assert statuses(cassette) == [401, 200]
    later = kit.FROZEN_AT + dt.timedelta(hours=1)
    assert sent(cassette, "X-Date") == [
        f"{kit.FROZEN_AT:%Y%m%dT%H%M%SZ}",
        f"{later:%Y%m%dT%H%M%SZ}",
    ]


# -- each error class -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "error", "code", "status"),
    [
        ("error_space_not_found", kd.SpaceNotFoundError, 13000301, 400),
        ("error_permission_denied", kd.PermissionDeniedError, 13000410, 400),
        ("error_space_not_active", kd.SpaceNotActiveError, 13000412, 400),
        ("error_invalid_parameter", kd.InvalidParameterError, 13000102, 400),
        ("error_insufficient_space", kd.InsufficientSpaceError, 13000311, 400),
        ("error_business_code_in_200", kd.SpaceNotFoundError, 13000301, 200),
        ("error_server", kd.ServerError, 13000000, 500),
        ("error_authentication", kd.AuthenticationError, "APIGW.0301", 401),
    ],
)
def test_errors(name: str, error: type[kd.APIError], code: int | str, status: int) -> None:
    """Pins one request per error (no retry of a 4xx, none with max_retries=0 for the 500) and
    maps the recorded reply to its class, keeping code, status and the sent X-Traceid."""
    raised, cassette = replay(name)
    assert type(raised) is error
    assert (raised.code, raised.status_code) == (code, status)
    assert [raised.trace_id] == sent(cassette, "X-Traceid")


def test_rate_limited_after_retrying(offline: list[float]) -> None:
    """Pins the 429 sequence: one retry honouring Retry-After: 1, then RateLimitError."""
    raised, cassette = replay("error_rate_limited")
    assert isinstance(raised, kd.RateLimitError)
    assert statuses(cassette) == [429, 429]
    assert offline == [1.0]


@pytest.mark.parametrize("kind", ["html", "truncated", "list", "empty"])
def test_unreadable_replies(kind: str) -> None:
    """Pins GET teamList?offset=0&limit=2 with the body fault; the client reports the recorded
    malformed reply as UnreadableResponseError (never a raw parsing error)."""
    raised, cassette = replay(f"unreadable_{kind}")
    assert isinstance(raised, kd.UnreadableResponseError)
    assert statuses(cassette) == [200]


def test_token_forms() -> None:
    """Pins token authentication's headers: Authorization in each form (Bearer, Bearer+, bare;
    the token itself is scrubbed in the cassette) and X-User-Id, with no X-Date."""
    replies, cassette = replay("token_forms")
    assert all(isinstance(reply, SpaceUsageOverviewResponse) for reply in replies)
    assert sent(cassette, "Authorization") == ["Bearer SCRUBBED", "Bearer+SCRUBBED", "SCRUBBED"]
    assert all("x-date" not in request.headers for request in cassette.requests)


# -- the pins bite ----------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["clock", "secret", "user", "trace-id", "owner", "header"])
def test_a_changed_request_does_not_match(change: str) -> None:
    """Whatever the client changes in what it sends, the cassette refuses to answer."""
    setup = kit.replay_setup("space_info_table")
    if change == "clock":
        setup.signed_at += dt.timedelta(seconds=1)
    elif change == "secret":
        setup.app_secret = "another-secret"
    elif change == "user":
        setup.user_id = "1008600000509220652"
    elif change == "trace-id":
        setup._trace_id = kit.trace_ids("another scenario")
    elif change == "owner":
        setup.owner_id = "369528171409614002"
    else:
        setup.headers = {"language": "en-US"}
    with pytest.raises(CannotOverwriteExistingCassetteException), kit.replaying("space_info_table"):
        kit.SCENARIOS["space_info_table"].run(setup)


def test_a_missing_request_is_noticed() -> None:
    """A client that stops early (no third page) leaves the cassette unplayed."""
    setup = kit.replay_setup("team_list_paging")
    with kit.replaying("team_list_paging") as cassette:
        pages = kd.iter_team_spaces(setup.client(), key_word="finance", page_size=10, concurrency=1)
        for _ in range(20):
            next(pages)
    assert not cassette.all_played


# -- every cassette: no secrets, and the spec holds -------------------------------------------


def _secrets() -> list[str]:
    found = [FAKE_APP_SECRET, FAKE_TOKEN]
    for name in ("KOODRIVE_APP_SECRET", "KOODRIVE_TOKEN"):
        value = os.environ.get(name, "")
        if len(value) >= 4:
            found.append(value)
    return found


def test_there_is_a_cassette_for_every_scenario() -> None:
    assert {path.stem for path in ALL_CASSETTES if path.parent == kit.CASSETTES} == set(
        kit.SCENARIOS
    )


@pytest.mark.parametrize("path", ALL_CASSETTES, ids=lambda p: str(p.relative_to(kit.CASSETTES)))
def test_no_secret_is_recorded(path: Path) -> None:
    """No secret string, no cookie; every Authorization is a signature made with the FAKE
    credentials (it verifies) or carries the scrub marker, and a token is always scrubbed."""
    text = path.read_text(encoding="utf-8")
    for secret in _secrets():
        assert secret not in text
    for interaction in interactions(path):
        request, response = interaction["request"], interaction["response"]
        assert "cookie" not in {name.lower() for name in request["headers"]}
        assert "set-cookie" not in {name.lower() for name in response["headers"]}
        for name, values in request["headers"].items():
            if name.lower() != "authorization":
                continue
            (value,) = values
            vcr_request = VcrRequest(
                request["method"], request["uri"], request["body"], request["headers"]
            )
            if value.startswith("HMAC-SHA256 ") and kit.SCRUBBED not in value:
                assert kit._verifies_with_fake_credentials(vcr_request, value), value
            else:
                assert value in (
                    f"HMAC-SHA256 AppId={kit.SCRUBBED},SignedHeaders=host;x-date;x-user-id,"
                    f"Signature={kit.SCRUBBED}",
                    "Bearer SCRUBBED",
                    "Bearer+SCRUBBED",
                    "SCRUBBED",
                ), value


def _operation(method: str, uri: str) -> str | None:
    segments = path_segments(urlsplit(uri).path.encode())
    for route in routes():
        if route.method == method and route.match(segments) is not None:
            return route.operation_id
    return None


@pytest.mark.parametrize("path", ALL_CASSETTES, ids=lambda p: str(p.relative_to(kit.CASSETTES)))
def test_recorded_replies_match_the_spec(path: Path) -> None:
    """The contract: every recorded reply validates against openapi/koodrive-space.yaml, except
    the malformed bodies a fault asked for, which must not."""
    for interaction in interactions(path):
        request, response = interaction["request"], interaction["response"]
        fault = " ".join(
            value
            for name, values in request["headers"].items()
            if name.lower() == "x-emulator-fault"
            for value in values
        )
        problems = reply_problems(
            _operation(request["method"], request["uri"]),
            response["status"]["code"],
            response["body"]["string"].encode(),
        )
        if "body=" in fault:
            assert problems, f"{path.name}: the {fault} reply should break the spec"
        else:
            assert problems == [], f"{path.name}: {problems}"


# -- scrubbing, and recording against a service with real-looking credentials -----------------


def test_recordings_drop_cookies_and_tokens(tmp_path: Path) -> None:
    with (
        running(Emulator(credentials=Credentials.fake())) as server,
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(socket.socket, "connect", _REAL_CONNECT)
        patch.setattr(socket, "create_connection", _REAL_CREATE_CONNECTION)
        with kit.recorder(tmp_path, record_mode="all").use_cassette("raw.yaml"):
            httpx.get(
                f"{server.base_url}/koodrive/ose/v1/space/usage/overview",
                headers={"Cookie": "session=abc", "Authorization": "Bearer live-token-123"},
            )
    text = (tmp_path / "raw.yaml").read_text(encoding="utf-8")
    (request,) = kit.recorded_requests(tmp_path / "raw.yaml")
    assert {name.lower() for name in request["headers"]} == {
        "authorization",
        "host",
        "accept",
        "accept-encoding",
    }
    assert request["headers"]["authorization"] == ["Bearer SCRUBBED"]
    assert "live-token-123" not in text
    assert "session=abc" not in text
    response = {"headers": {"Set-Cookie": ["a=b"], "Date": ["x"]}, "body": {"string": ""}}
    assert kit.scrub_response(response)["headers"] == {"Date": ["x"]}


def test_recording_with_real_credentials_writes_no_secret(tmp_path: Path) -> None:
    """``make record`` with KOODRIVE_BASE_URL set, against an emulator that holds non-FAKE
    credentials: signatures and AppId are scrubbed before writing, and the live-style cassettes
    still replay (the scrubbed signature is compared without AppId and Signature)."""
    secret = "pretend-real-secret-0123456789"
    credentials = Credentials(app_id="pretend-real-app", app_secret=secret, user_id="4242")
    with running(Emulator(credentials=credentials)) as server:
        env = {
            "KOODRIVE_BASE_URL": server.base_url,
            "KOODRIVE_APP_ID": "pretend-real-app",
            "KOODRIVE_APP_SECRET": secret,
            "KOODRIVE_USER_ID": "4242",
        }
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(socket.socket, "connect", _REAL_CONNECT)
            patch.setattr(socket, "create_connection", _REAL_CREATE_CONNECTION)
            kit.record_live(env, tmp_path)
    written = sorted(tmp_path.glob("*.yaml"))
    assert {path.stem for path in written} == {s.name for s in kit.SCENARIOS.values() if s.live}
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert secret not in text
        assert "pretend-real-app" not in text
        assert f"Signature={kit.SCRUBBED}" in text
        reply, _ = replay(path.stem, tmp_path, live=True)
        assert reply is not None
