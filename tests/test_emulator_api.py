"""The emulator's five operations, its validation against the spec, its data and its faults,
exercised through the client (``koodrive_space``) over a real socket (uvicorn in a thread).

After every test, every reply the emulator sent (except the malformed bodies a fault asked for)
is checked against the spec.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import koodrive_space as kd
import pytest
from koodrive_emulator import (
    FAKE_APP_ID,
    FAKE_APP_SECRET,
    FAKE_USER_ID,
    Emulator,
    Fault,
    RunningEmulator,
    running,
)
from koodrive_emulator import data as dataset
from koodrive_emulator.__main__ import main as emulator_main
from koodrive_emulator.credentials import Credentials
from koodrive_space_client import Client
from koodrive_space_client.api.space import (
    get_space_allocation,
    get_space_info,
    get_space_usage_overview,
    list_team_spaces,
    query_space_usage_by_user,
)
from koodrive_space_client.models import (
    SpaceAllocationResponse,
    SpaceInfo,
    SpaceInfoResponse,
    TeamSpaceListResponse,
    UsageByUserRequest,
)

from tests import openapi_doc
from tests.contract import reply_problems

OPERATIONS = [op.operation_id for op in openapi_doc.operations()]
DATA = dataset.build()
SEED_USERS = DATA.tenants[dataset.SEED_TENANT].users
OTHER_TENANT_USER = DATA.tenants["40086000004871667"].users[0]


@pytest.fixture(scope="module")
def served() -> Iterator[RunningEmulator]:
    with running(Emulator(credentials=Credentials.fake())) as server:
        yield server


@pytest.fixture
def emulator(served: RunningEmulator) -> Iterator[Emulator]:
    """The served emulator, reset; afterwards every well-formed reply must match the spec."""
    emulator = served.emulator
    emulator.faults.clear()
    emulator.log.clear()
    emulator.shape = "table"
    emulator.clock_skew = dt.timedelta(0)
    yield emulator
    for exchange in emulator.log:
        problems = reply_problems(exchange.operation_id, exchange.status, exchange.body)
        assert exchange.malformed or not problems, (exchange, problems)


def client_for(served: RunningEmulator, **options: Any) -> Client:
    options.setdefault("auth", kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID))
    options.setdefault("retry_base_delay", 0.0)
    options.setdefault("max_retries", 0)
    return kd.create_client(served.base_url, **options)


def raw(served: RunningEmulator, method: str, target: str, **kwargs: Any) -> httpx.Response:
    """Send ``target`` signed by the client's auth but with no client-side validation."""
    auth = kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID)
    with httpx.Client(base_url=served.base_url, auth=auth) as client:
        return client.request(method, target, **kwargs)


def call(client: Client, operation_id: str) -> Any:
    if operation_id == "getSpaceInfo":
        return get_space_info.sync(dataset.SEED_OWNER, client=client, type_="1")
    if operation_id == "querySpaceUsageByUser":
        body = UsageByUserRequest(user_ids=[dataset.SEED_USAGE_USER, SEED_USERS[5]])
        return query_space_usage_by_user.sync(client=client, body=body)
    if operation_id == "getSpaceUsageOverview":
        return get_space_usage_overview.sync(client=client)
    if operation_id == "listTeamSpaces":
        return list_team_spaces.sync(client=client, offset=0, limit=3)
    return get_space_allocation.sync(client=client)


# -- every operation, in both reply forms, matches the spec ---------------------------------


@pytest.mark.parametrize("shape", ["table", "example"])
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_reply_form_matches_the_spec(
    served: RunningEmulator, emulator: Emulator, operation_id: str, shape: str
) -> None:
    emulator.shape = shape
    assert call(client_for(served), operation_id) is not None
    (exchange,) = emulator.log
    assert (exchange.operation_id, exchange.status) == (operation_id, 200)
    assert reply_problems(operation_id, 200, exchange.body) == []


def test_the_two_forms_differ_as_discrepancies_md_records(
    served: RunningEmulator, emulator: Emulator
) -> None:
    """Table form: teams + total (a string), allocation as an array with a string code, space
    numbers as strings. Example form: one data record, one allocation object with numbers as
    strings, space numbers as numbers."""
    client = client_for(served)
    replies = {}
    for shape in ("table", "example"):
        emulator.shape = shape
        emulator.log.clear()
        for operation_id in ("listTeamSpaces", "getSpaceAllocation", "getSpaceInfo"):
            call(client, operation_id)
        replies[shape] = [json.loads(exchange.body) for exchange in emulator.log]
    teams, allocation, space = replies["table"]
    assert set(teams) == {"code", "msg", "total", "teams"}
    assert teams["total"] == "263"
    assert isinstance(allocation["data"], list)
    assert allocation["code"] == "0"
    assert space["data"]["capacity"] == "800"
    assert space["data"]["capacityKb"] == "0"
    teams, allocation, space = replies["example"]
    assert set(teams) == {"code", "msg", "data"}
    assert teams["data"]["id"] == dataset.SEED_TEAM_ID
    assert allocation["data"]["type"] == "0"
    assert allocation["code"] == 0
    assert space["data"]["capacity"] == 800
    assert "capacityKb" not in space["data"]


def test_the_seed_examples_are_served_verbatim(served: RunningEmulator, emulator: Emulator) -> None:
    """The reference's example records come back exactly as the spec's examples: seedExample in
    the example form, tableShaped in the table form."""
    client = client_for(served)
    examples = {
        (ex.where.split()[0], ex.where.split()[-1]): ex.value
        for ex in openapi_doc.examples()
        if ex.status == "200"
    }
    for shape, name in (("example", "seedExample"), ("table", "tableShaped")):
        emulator.shape = shape
        emulator.log.clear()
        call(client, "getSpaceInfo")
        body = UsageByUserRequest(user_ids=[dataset.SEED_USAGE_USER])
        query_space_usage_by_user.sync(client=client, body=body)
        space, usage = (json.loads(exchange.body) for exchange in emulator.log)
        assert space == examples[("getSpaceInfo", name)]
        assert usage == examples[("querySpaceUsageByUser", name)]
    list_team_spaces.sync(client=client, offset=0, limit=1)
    team = json.loads(emulator.log[-1].body)
    assert team["teams"] == examples[("listTeamSpaces", "tableShaped")]["teams"]


# -- routing and validation -----------------------------------------------------------------


def test_team_list_is_not_space_info_of_an_owner_called_team_list(
    served: RunningEmulator, emulator: Emulator
) -> None:
    response = raw(served, "GET", "/koodrive/ose/v1/space/teamList")
    assert response.status_code == 400
    assert response.json()["msg"] == "Verify parameters failed. offset is required"
    assert emulator.log[-1].operation_id == "listTeamSpaces"
    trailing = raw(served, "GET", "/koodrive/ose/v1/space/teamList/?offset=0&limit=1")
    assert trailing.status_code == 200
    assert "teams" in trailing.json()


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        (
            "/koodrive/ose/v1/space/teamList?offset=0&limit=0",
            "limit must be at least 1 (got 0)",
        ),
        (
            "/koodrive/ose/v1/space/teamList?offset=0&limit=101",
            "limit must be at most 100 (got 101)",
        ),
        (
            "/koodrive/ose/v1/space/teamList?offset=-1&limit=1",
            "offset must be at least 0 (got -1)",
        ),
        (
            "/koodrive/ose/v1/space/teamList?offset=0&limit=ten",
            "limit must be an integer, not a string",
        ),
        ("/koodrive/ose/v1/space/teamList?offset=0&limit=1&limit=2", "limit is given 2 times"),
        (
            "/koodrive/ose/v1/space/teamList?offset=4294967296&limit=1",
            "offset must be at most 2147483647 (got 4294967296)",
        ),
        ("/koodrive/ose/v1/space/teamList?limit=1", "offset is required"),
        (
            "/koodrive/ose/v1/space/teamList?offset=0&limit=1&teamType=x",
            "teamType must be an integer, not a string",
        ),
        ("/koodrive/ose/v1/space/369528171409614001?type=2", "type must be one of ['1'] (got '2')"),
        ("/koodrive/ose/v1/space/369528171409614001", "type is required"),
        ("/koodrive/ose/v1/space/%FF?type=1", "the path is not UTF-8 once percent-decoded"),
    ],
)
def test_query_violations_are_refused_with_13000102(
    served: RunningEmulator, emulator: Emulator, target: str, problem: str
) -> None:
    response = raw(served, "GET", target)
    assert response.status_code == 400
    assert response.json() == {"code": 13000102, "msg": f"Verify parameters failed. {problem}"}


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        (
            {"X-Traceid": "x" * 57},
            "X-Traceid must be at least 58 characters long (got 57)",
        ),
        ({"X-Traceid": "x" * 59}, "X-Traceid must be at most 58 characters long (got 59)"),
        ({"language": ""}, "language must not be empty (got 0)"),
    ],
)
def test_header_violations_are_refused_with_13000102(
    served: RunningEmulator, emulator: Emulator, headers: dict[str, str], problem: str
) -> None:
    response = raw(served, "GET", "/koodrive/ose/v1/space/usage/overview", headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == 13000102
    assert problem in response.json()["msg"]


def _limits() -> dict[str, Any]:
    body = openapi_doc.resolve(openapi_doc.operation("querySpaceUsageByUser").body["requestBody"])
    properties: dict[str, Any] = body["content"]["application/json"]["schema"]["properties"]
    return properties


@pytest.mark.parametrize(
    ("content", "content_type", "problem"),
    [
        (b'{"userIds": ["1"', "application/json", "the body is not valid JSON"),
        (b"", "application/json", "the request body is required"),
        (b'["1"]', "application/json", "body must be an object, not an array"),
        (b'{"userIds": []}', "application/json", "body.userIds must have at least 1 item (got 0)"),
        (
            b'{"userIds": [1]}',
            "application/json",
            "body.userIds[0] must be a string, not an integer",
        ),
        (
            b'{"userIds": ["1"], "limit": 0}',
            "application/json",
            "body.limit must be at least 1 (got 0)",
        ),
        (
            b'{"userIds": ["1"], "offset": -1}',
            "application/json",
            "body.offset must be at least 0 (got -1)",
        ),
        (b'{"userIds": ["1"], "limit": NaN}', "application/json", "NaN is not JSON"),
        (b'{"userIds": ["1"]}', "text/plain", "the body must be application/json"),
        (
            json.dumps({"userIds": ["1"] * (_limits()["userIds"]["maxItems"] + 1)}).encode(),
            "application/json",
            f"body.userIds must have at most {_limits()['userIds']['maxItems']} items",
        ),
    ],
    ids=[
        "truncated",
        "empty",
        "list",
        "no-ids",
        "number-id",
        "limit-0",
        "offset-negative",
        "nan",
        "not-json-type",
        "too-many-ids",
    ],
)
def test_body_violations_are_refused_with_13000102(
    served: RunningEmulator, emulator: Emulator, content: bytes, content_type: str, problem: str
) -> None:
    response = raw(
        served,
        "POST",
        "/koodrive/ose/v1/space/usage/user",
        content=content,
        headers={"Content-Type": content_type},
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == 13000102
    assert response.json()["msg"].startswith("Verify parameters failed. ")
    assert problem in response.json()["msg"]


@pytest.mark.parametrize(
    ("method", "target", "status", "allow"),
    [
        ("GET", "/koodrive/ose/v1/space/usage/user", 405, "POST"),
        ("DELETE", "/koodrive/ose/v1/space/usage/overview", 405, "GET"),
        ("GET", "/koodrive/ose/v1/files", 404, None),
        ("GET", "/", 404, None),
    ],
)
def test_unknown_apis_get_the_gateway_envelope(
    served: RunningEmulator,
    emulator: Emulator,
    method: str,
    target: str,
    status: int,
    allow: str | None,
) -> None:
    """404 for a path no operation has, 405 (with Allow) for another operation's path; more
    cases in test_emulator_service.py."""
    response = raw(served, method, target)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers.get("Allow") == allow
    assert response.json()["code"] == "APIGW.0101"


def test_an_emulator_bug_is_a_500_envelope_not_a_stack_trace(
    served: RunningEmulator, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> dict[str, Any]:
        raise KeyError("bug")

    monkeypatch.setattr(emulator, "_overview", broken)
    response = raw(served, "GET", "/koodrive/ose/v1/space/usage/overview")
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {"code": 13000000, "msg": "Internal server error."}


# -- business answers from the data set -----------------------------------------------------


def test_space_errors_come_from_the_data(served: RunningEmulator, emulator: Emulator) -> None:
    client = client_for(served)
    inactive = dataset.first_user_with(DATA, dataset.SEED_TENANT, status=1)
    multi = dataset.first_user_with(DATA, dataset.SEED_TENANT, spaces=2)
    cases: list[tuple[str, type[kd.APIError], int]] = [
        ("no-such-owner", kd.SpaceNotFoundError, 13000301),
        (OTHER_TENANT_USER, kd.PermissionDeniedError, 13000410),
        (inactive, kd.SpaceNotActiveError, 13000412),
        (multi, kd.InvalidParameterError, 13000102),
    ]
    for owner, error, code in cases:
        with pytest.raises(error) as caught:
            get_space_info.sync(owner, client=client, type_="1")
        assert (caught.value.code, caught.value.status_code) == (code, 400)
    second = DATA.spaces_of[multi][1]["containerId"]
    reply = get_space_info.sync(multi, client=client, type_="1", container_id=second)
    assert isinstance(reply, SpaceInfoResponse)
    assert isinstance(reply.data, SpaceInfo)
    assert reply.data.container_id == second


def test_paging_reaches_every_team_space(served: RunningEmulator, emulator: Emulator) -> None:
    client = client_for(served)
    teams = list(kd.iter_team_spaces(client, page_size=100))
    assert len(teams) == len({team.container_id for team in teams}) == 263
    assert [exchange.status for exchange in emulator.log] == [200, 200, 200]
    finance = list(kd.iter_team_spaces(client, key_word="finance", page_size=7))
    assert finance
    assert all("Finance" in str(team.owner_name) for team in finance)
    typed = list(kd.iter_team_spaces(client, team_type=2, page_size=50))
    assert typed
    assert {team.team_type for team in typed} == {2}


def test_usage_of_a_thousand_users_in_batches(served: RunningEmulator, emulator: Emulator) -> None:
    client = client_for(served)
    wanted = [*SEED_USERS[:1000], "not-a-user", OTHER_TENANT_USER]
    records = kd.query_usage(client, wanted)
    assert [record.user_id for record in records] == SEED_USERS[:1000]
    assert len(emulator.log) == 21  # 1002 IDs, 50 at a time


def test_async_usage_batches_run_concurrently_in_process() -> None:
    emulator = Emulator(credentials=Credentials.fake())
    client = kd.create_client(
        "http://127.0.0.1:8765",
        auth=kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID),
        async_transport=httpx.ASGITransport(app=emulator.app),
    )
    records = asyncio.run(kd.aquery_usage(client, SEED_USERS[:300], concurrency=3))
    assert [record.user_id for record in records] == SEED_USERS[:300]
    assert len(emulator.log) == 6


# -- faults ---------------------------------------------------------------------------------


def test_a_queued_503_503_200_sequence_is_retried_to_success(
    served: RunningEmulator, emulator: Emulator, sleeps: list[float]
) -> None:
    emulator.faults.extend([Fault(status=503), Fault(status=503)])
    reply = get_space_allocation.sync(client=client_for(served, max_retries=2))
    assert isinstance(reply, SpaceAllocationResponse)
    assert [exchange.status for exchange in emulator.log] == [503, 503, 200]
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        ("status=429,retry-after=7", kd.RateLimitError, 429),
        ("status=500", kd.ServerError, 500),
        ("status=503", kd.ServerError, 503),
        ("status=400,code=13000311", kd.InsufficientSpaceError, 400),
        ("code=13000301", kd.SpaceNotFoundError, 200),
        ("status=200,code=13000410", kd.PermissionDeniedError, 200),
    ],
)
def test_injected_errors_reach_the_client_as_their_class(
    served: RunningEmulator,
    emulator: Emulator,
    sleeps: list[float],
    fault: str,
    error: type[kd.APIError],
    status: int,
) -> None:
    client = client_for(served, max_retries=1).with_headers({"X-Emulator-Fault": fault})
    with pytest.raises(error) as caught:
        get_space_usage_overview.sync(client=client)
    assert caught.value.status_code == status
    if status == 429:
        assert sleeps == [7.0]
        assert emulator.log[0].headers["Retry-After"] == "7"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("body=html", kd.ServerError),  # an HTML 502 from a proxy: a server failure
        ("body=html,status=200", kd.UnreadableResponseError),
        ("body=truncated", kd.UnreadableResponseError),
        ("body=list", kd.UnreadableResponseError),
        ("body=empty", kd.UnreadableResponseError),
    ],
)
def test_malformed_bodies_are_refused_by_the_client(
    served: RunningEmulator, emulator: Emulator, fault: str, error: type[kd.KooDriveError]
) -> None:
    client = client_for(served).with_headers({"X-Emulator-Fault": fault})
    with pytest.raises(error):
        list_team_spaces.sync(client=client, offset=0, limit=2)
    (exchange,) = emulator.log
    assert exchange.malformed
    assert reply_problems("listTeamSpaces", exchange.status, exchange.body) != []


def test_a_dropped_connection_is_a_connection_error(
    served: RunningEmulator, emulator: Emulator, sleeps: list[float]
) -> None:
    client = client_for(served, max_retries=1).with_headers({"X-Emulator-Fault": "drop"})
    with pytest.raises(kd.APIConnectionError) as caught:
        get_space_usage_overview.sync(client=client)
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert not emulator.log
    emulator.faults.append(Fault(drop=True))
    assert get_space_usage_overview.sync(client=client_for(served, max_retries=1)) is not None


def test_a_delay_longer_than_the_timeout_is_a_timeout(
    served: RunningEmulator, emulator: Emulator
) -> None:
    emulator.faults.append(Fault(delay=0.3))
    first = time.monotonic()
    with pytest.raises(kd.APITimeoutError):
        get_space_usage_overview.sync(client=client_for(served, timeout=0.1))
    assert time.monotonic() - first < 0.3
    emulator.faults.append(Fault(delay=0.1))
    started = time.monotonic()
    assert get_space_usage_overview.sync(client=client_for(served, timeout=5)) is not None
    assert time.monotonic() - started >= 0.1
    # After its delay, the timed-out request's handler finds the client gone: no reply, no log.
    time.sleep(max(0.0, first + 0.5 - time.monotonic()))
    assert [exchange.status for exchange in emulator.log] == [200]


def test_a_skewed_emulator_clock_is_learned_from_the_401_date(
    served: RunningEmulator, emulator: Emulator
) -> None:
    emulator.clock_skew = dt.timedelta(hours=-3)
    auth = kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID)
    assert get_space_usage_overview.sync(client=client_for(served, auth=auth)) is not None
    assert [exchange.status for exchange in emulator.log] == [401, 200]
    assert abs(auth.clock_offset + dt.timedelta(hours=3)) < dt.timedelta(seconds=5)


def test_shape_per_request(served: RunningEmulator, emulator: Emulator) -> None:
    client = client_for(served).with_headers({"X-Emulator-Fault": "shape=example"})
    page = list_team_spaces.sync(client=client, offset=0, limit=5)
    assert isinstance(page, TeamSpaceListResponse)
    assert kd.team_spaces_in(page)[0].id == dataset.SEED_TEAM_ID
    assert "teams" not in json.loads(emulator.log[0].body)


@pytest.mark.parametrize(
    ("fault", "why"),
    [
        ("boom", "unknown fault 'boom'"),
        # The reply could not be written as the spec's envelope (its code is an int64).
        ("code=9223372036854775808", "code must be text or an int64"),
    ],
)
def test_a_bad_fault_header_is_refused(served: RunningEmulator, fault: str, why: str) -> None:
    response = raw(
        served, "GET", "/koodrive/ose/v1/space/usage/overview", headers={"X-Emulator-Fault": fault}
    )
    assert response.status_code == 400
    assert why in response.json()["msg"]


def test_the_fault_queue_can_be_scripted_over_http(
    served: RunningEmulator, emulator: Emulator
) -> None:
    with httpx.Client(base_url=served.base_url) as control:
        queued = control.post("/_emulator/faults", json={"faults": ["status=503", "code=13000412"]})
        assert queued.status_code == 200
        assert len(queued.json()["queued"]) == 2
        assert raw(served, "GET", "/koodrive/ose/v1/space/usage/overview").status_code == 503
        assert control.delete("/_emulator/faults").json() == {"queued": []}
    assert raw(served, "GET", "/koodrive/ose/v1/space/usage/overview").json()["code"] == 0


def test_fault_settings_parse_and_merge() -> None:
    fault = Fault.parse("status=429, retry-after=3,delay=0.5,skew=-60,shape=example")
    assert fault == Fault(status=429, retry_after="3", delay=0.5, skew=-60.0, shape="example")
    assert Fault(status=503).merged(Fault.parse("body=html")) == Fault(status=503, body="html")
    for bad in ("status=99", "body=xml", "delay=-1", "shape=round", "drop=yes=no", "skew=nan"):
        with pytest.raises(ValueError, match=r"."):
            Fault.parse(bad)


@pytest.mark.parametrize(
    ("text", "seconds"), [("50ms", 0.05), ("0.2s", 0.2), ("0.2", 0.2), ("0MS", 0.0)]
)
def test_latency_reads_milliseconds_or_seconds(text: str, seconds: float) -> None:
    assert Fault.parse(f"latency={text}").latency == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("-5ms", "latency must be 0 to 120 seconds (got '-5ms')"),
        ("121s", "latency must be 0 to 120 seconds (got '121s')"),
        ("fast", "latency needs a number of seconds (got 'fast')"),
        ("nanms", "latency needs a finite number"),
    ],
)
def test_a_bad_latency_is_refused_by_name(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        Fault.parse(f"latency={text}")


def test_latency_delays_every_reply_and_a_fault_replaces_it(
    served: RunningEmulator, emulator: Emulator
) -> None:
    """A round trip as a WAN has it: each reply late by the start-up latency, or by a
    request's own ``latency=`` (0 turns it off for that request)."""
    path = "/koodrive/ose/v1/space/usage/overview"
    emulator.latency = 0.3
    try:
        timed = []
        for headers in (
            {},
            {"X-Emulator-Fault": "latency=0ms"},
            {"X-Emulator-Fault": "latency=0.6s"},
        ):
            started = time.monotonic()
            assert raw(served, "GET", path, headers=headers).status_code == 200
            timed.append(time.monotonic() - started)
    finally:
        emulator.latency = 0.0
    assert timed[0] >= 0.3
    assert timed[1] < 0.3
    assert timed[2] >= 0.6


def test_the_command_line_refuses_a_bad_latency(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        emulator_main(["--latency", "soon"])
    assert "--latency needs a number of seconds (got 'soon')" in capsys.readouterr().err


def test_a_tenant_grows_to_any_size_for_bulk_runs() -> None:
    data = dataset.build()
    seeded = list(data.tenants[dataset.SEED_TENANT].users)
    dataset.grow(data, dataset.SEED_TENANT, 10_000)
    users = data.tenants[dataset.SEED_TENANT].users
    assert len(users) == len(set(users)) == 10_000
    assert users[: len(seeded)] == seeded  # the seeded users (and cassettes) are untouched
    assert all(data.usage_of[u]["userId"] == u for u in users)
    assert all(data.tenant_of[u] == dataset.SEED_TENANT for u in users)
    assert len(dataset.build().tenants[dataset.SEED_TENANT].users) == len(seeded)


def test_team_spaces_grow_for_bulk_runs_keeping_the_seeded_ones() -> None:
    data = dataset.build()
    seeded = list(data.tenants[dataset.SEED_TENANT].team_spaces)
    dataset.grow(data, dataset.SEED_TENANT, 0, team_spaces=10_000)
    teams = data.tenants[dataset.SEED_TENANT].team_spaces
    assert len(teams) == len({t["id"] for t in teams}) == 10_000
    assert teams[: len(seeded)] == seeded


def test_the_command_line_refuses_a_negative_user_count(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        emulator_main(["--users", "-1"])
    assert "--users must be 0 or more (got -1)" in capsys.readouterr().err
