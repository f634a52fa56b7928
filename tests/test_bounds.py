"""Requests that break the spec's bounds are refused before anything is sent, naming the bound."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import koodrive_space as kd
import pytest
from koodrive_space_client import Client
from koodrive_space_client.api.space import (
    get_space_info,
    get_space_usage_overview,
    list_team_spaces,
    query_space_usage_by_user,
)
from koodrive_space_client.models import UsageByUserRequest

from tests.mock_service import Script, client_for, ok
from tests.openapi_doc import operation, resolve

TEAM = {p["name"]: p["schema"] for p in operation("listTeamSpaces").parameters}
USAGE = resolve(operation("querySpaceUsageByUser").body["requestBody"])["content"][
    "application/json"
]["schema"]["properties"]
TRACE = {p["name"]: p["schema"] for p in operation("getSpaceInfo").parameters}["X-Traceid"]
MAX_IDS = USAGE["userIds"]["maxItems"]


def team(**kwargs: Any) -> Callable[[Client], Any]:
    return lambda client: list_team_spaces.sync(client=client, **kwargs)


def usage(**kwargs: Any) -> Callable[[Client], Any]:
    return lambda client: query_space_usage_by_user.sync(
        client=client, body=UsageByUserRequest(**kwargs)
    )


CASES = [
    (
        team(offset=TEAM["offset"]["minimum"] - 1, limit=10),
        "offset",
        f"offset must be at least {TEAM['offset']['minimum']} (got -1)",
    ),
    (
        team(offset=0, limit=TEAM["limit"]["minimum"] - 1),
        "limit",
        f"limit must be at least {TEAM['limit']['minimum']} (got 0)",
    ),
    (
        team(offset=0, limit=TEAM["limit"]["maximum"] + 1),
        "limit",
        f"limit must be at most {TEAM['limit']['maximum']} (got 101)",
    ),
    (
        usage(user_ids=[]),
        "userIds",
        f"userIds must have at least {USAGE['userIds']['minItems']} item (got 0)",
    ),
    (
        usage(user_ids=[str(n) for n in range(MAX_IDS + 1)]),
        "userIds",
        f"userIds must have at most {MAX_IDS} items (got 51)",
    ),
    (usage(user_ids=["1"], limit=0), "limit", "limit must be at least 1"),
    (usage(user_ids=["1"], offset=-5), "offset", "offset must be at least 0"),
    (
        lambda client: get_space_info.sync("", client=client, type_="1"),
        "ownerId",
        "ownerId must not be empty",
    ),
    (
        lambda client: get_space_info.sync("1", client=client, type_="2"),  # type: ignore[arg-type]
        "type",
        "type must be one of ['1']",
    ),
    (
        lambda client: get_space_usage_overview.sync(client=client, x_traceid="abc"),
        "X-Traceid",
        f"X-Traceid must be at least {TRACE['minLength']} characters long",
    ),
    (
        lambda client: get_space_usage_overview.sync(client=client, x_traceid="a" * 59),
        "X-Traceid",
        f"X-Traceid must be at most {TRACE['maxLength']} characters long",
    ),
    (
        lambda client: get_space_usage_overview.sync(client=client, language=""),
        "language",
        "language must not be empty",
    ),
]


@pytest.mark.parametrize(
    ("call", "parameter", "message"), CASES, ids=[c[2].split(" (")[0] for c in CASES]
)
def test_out_of_bounds_requests_are_refused_before_sending(
    call: Callable[[Client], Any], parameter: str, message: str
) -> None:
    script = Script(ok())
    with pytest.raises(kd.RequestValidationError) as caught:
        call(client_for(script))
    assert script.requests == []
    assert caught.value.parameter == parameter
    assert message in str(caught.value)
    assert "nothing was sent" in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "call",
    [
        team(offset=0, limit=1),
        team(offset=0, limit=100),
        team(offset=10**6, limit=50),
        usage(user_ids=["1"]),
        usage(user_ids=[str(n) for n in range(50)]),
        usage(),
        lambda client: get_space_usage_overview.sync(client=client, x_traceid="x" * 58),
    ],
)
def test_requests_on_the_bounds_are_sent(call: Callable[[Client], Any]) -> None:
    script = Script(lambda request: ok({"code": 0, "teams": [], "data": [], "total": 0}))
    with contextlib.suppress(kd.UnreadableResponseError):  # a canned reply; the request matters
        call(client_for(script))
    assert len(script.requests) == 1


def test_a_caller_trace_id_is_kept_and_others_are_fresh() -> None:
    script = Script(ok({"code": 0, "data": {}}))
    client = client_for(script)
    get_space_usage_overview.sync(client=client, x_traceid="t" * 58)
    get_space_usage_overview.sync(client=client)
    get_space_usage_overview.sync(client=client)
    first, second, third = (r.headers["X-Traceid"] for r in script.requests)
    assert first == "t" * 58
    assert second != third
    assert len(second) == len(third) == 58


TEAM_LIST = "/koodrive/ose/v1/space/teamList"
TOO_MANY = TEAM["limit"]["maximum"] + 1


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        (
            "offset=0&limit=" + "".join(f"%{ord(digit):X}" for digit in str(TOO_MANY)),
            "limit",
            f"limit must be at most {TEAM['limit']['maximum']} (got {TOO_MANY})",
        ),
        # '+' reads as a space, and " 7" is not an integer to a server (nor to the emulator)
        ("offset=0&limit=+7", "limit", "limit must be an integer, not a string"),
        ("offset=x&limit=1", "offset", "offset must be an integer, not a string"),
        ("offset=true&limit=1", "offset", "offset must be an integer, not a boolean"),
        # Which of a repeated name a server reads is undocumented, so neither order is sent
        ("offset=0&limit=500&limit=10", "limit", "limit is given 2 times"),
        ("offset=0&limit=10&limit=500", "limit", "limit is given 2 times"),
        ("offset=0&limit=1&keyWord=a&keyWord=b&keyWord=c", "keyWord", "keyWord is given 3 times"),
        ("limit=1", "offset", "offset is required"),
        ("offset&limit=1", "offset", "offset must be an integer"),
        ("offset=0&limit=1&keyWord=a%2Bb+c", None, None),
        ("offset=0&limit=2147483648", "limit", "limit must be at most 100"),
        ("offset=2147483648&limit=1", "offset", "offset must be at most 2147483647 (got"),
        ("offset=0&limit=1&teamType=3", "teamType", "teamType must be one of [0, 1, 2] (got 3)"),
    ],
)
def test_queries_are_read_as_the_service_decodes_them(
    query: str, parameter: str | None, message: str | None
) -> None:
    """Requests written by hand (not through the generated functions) get the same checks, on
    the query as percent- and form-decoded."""
    script = Script(ok({"code": 0, "teams": [], "total": 0}))
    http = client_for(script).get_httpx_client()
    if parameter is None:
        http.get(f"{TEAM_LIST}?{query}")
        assert len(script.requests) == 1
        return
    with pytest.raises(kd.RequestValidationError) as caught:
        http.get(f"{TEAM_LIST}?{query}")
    assert caught.value.parameter == parameter
    assert message is None or message in str(caught.value)
    assert script.requests == []
