"""What the client refuses before a byte leaves, proved on a real socket: the scripted server on
127.0.0.1 must see nothing, sync and async.

The bounds themselves are tests/test_bounds.py's; these are the inputs that would change what is
sent (a path that walks up, a URL too long for a front end, a header that splits in two, a
parameter given twice) and the uses of the client it cannot honour.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import koodrive_space as kd
import pytest
from koodrive_space_client.api.space import (
    get_space_info,
    get_space_usage_overview,
    list_team_spaces,
    query_space_usage_by_user,
)
from koodrive_space_client.models import UsageByUserRequest

from tests.openapi_doc import operation
from tests.wire import Caller, ScriptedServer, ok

OVERVIEW = {"code": 0, "msg": "ok", "data": {"totalUsed": 1}}
TEAM_LIST = operation("listTeamSpaces").path
OVERVIEW_PATH = operation("getSpaceUsageOverview").path


def client_of(server: ScriptedServer, **options: Any) -> Any:
    return kd.create_client(server.url, auth=kd.AppAuth("app", "secret", "user"), **options)


NESTED: list[Any] = []
_inner = NESTED
for _ in range(100_000):
    _inner.append([])
    _inner = _inner[0]
CIRCULAR: list[Any] = ["1"]
CIRCULAR.append(CIRCULAR)

REFUSED: dict[str, tuple[Any, dict[str, Any], str, str]] = {
    "ownerId '.'": (get_space_info, {"owner_id": ".", "type_": "1"}, "ownerId", "must not be '.'"),
    "ownerId '..'": (
        get_space_info,
        {"owner_id": "..", "type_": "1"},
        "ownerId",
        "must not be '..' (the URL would change)",
    ),
    "ownerId None": (
        get_space_info,
        {"owner_id": None, "type_": "1"},
        "ownerId",
        "ownerId must be a string, not null",
    ),
    "a long ownerId": (
        get_space_info,
        {"owner_id": "9" * 9000, "type_": "1"},
        "ownerId",
        "ownerId takes 9000 bytes of the URL, which would be",
    ),
    "a keyWord past the 8 KiB URL": (
        list_team_spaces,
        {"offset": 0, "limit": 1, "key_word": "k" * 9000},
        "keyWord",
        "keyWord takes 9000 bytes of the URL, which would be",
    ),
    "a keyWord past httpx's URL limit": (
        list_team_spaces,
        {"offset": 0, "limit": 1, "key_word": "k" * 200_000},
        "keyWord",
        "keyWord is 200000 characters, too long for a URL",
    ),
    "CR LF in language": (
        get_space_usage_overview,
        {"language": "en\r\nX-Evil: 1"},
        "language",
        "header language holds a control character",
    ),
    "NUL in X-Traceid": (
        get_space_usage_overview,
        {"x_traceid": "t" * 20 + "\x00" + "t" * 20},
        "X-Traceid",
        "header X-Traceid holds a control character",
    ),
    "non-ASCII language": (
        get_space_usage_overview,
        {"language": "zh-中文"},
        "language",
        "language must be ASCII text (it is sent as a header)",
    ),
    "non-ASCII X-Traceid": (
        get_space_usage_overview,
        {"x_traceid": "é" * 40},
        "X-Traceid",
        "X-Traceid must be ASCII text (it is sent as a header)",
    ),
    "multi-byte ownerId past the 8 KiB URL": (
        get_space_info,
        {"owner_id": "中" * 1000, "type_": "1"},
        "ownerId",
        "ownerId takes 9000 bytes of the URL",
    ),
    "a space after X-Traceid": (
        get_space_usage_overview,
        {"x_traceid": "t" * 57 + " "},
        "X-Traceid",
        "header X-Traceid has spaces around its value",
    ),
    # A lone surrogate: a UTF-16 string cut in two, which no URL or body can carry.
    "a lone surrogate in ownerId": (
        get_space_info,
        {"owner_id": "user-\ud800", "type_": "1"},
        "ownerId",
        "ownerId is not Unicode text (it holds a lone surrogate), so it cannot be sent",
    ),
    "a lone surrogate in keyWord": (
        list_team_spaces,
        {"offset": 0, "limit": 1, "key_word": "fin\udc80"},
        "keyWord",
        "keyWord is not Unicode text (it holds a lone surrogate), so it cannot be sent",
    ),
    "a lone surrogate in a body key": (
        query_space_usage_by_user,
        {"body": UsageByUserRequest.from_dict({"userIds": ["u-1"], "note\ud800": "x"})},
        "body",
        "the body cannot be sent as JSON: 'note\\ud800' is not Unicode text",
    ),
    "a lone surrogate in the body": (
        query_space_usage_by_user,
        {"body": UsageByUserRequest(user_ids=["u-1", "u-\ud800"])},
        "body",
        "the body cannot be sent as JSON: userIds[1] is not Unicode text (it holds a lone "
        "surrogate), so it cannot be sent",
    ),
    "a body nested too deeply": (
        query_space_usage_by_user,
        {"body": UsageByUserRequest(user_ids=NESTED)},
        "body",
        "the body cannot be sent as JSON: it nests too deeply",
    ),
    "a circular body": (
        query_space_usage_by_user,
        {"body": UsageByUserRequest(user_ids=CIRCULAR)},
        "body",
        "the body cannot be sent as JSON: Circular reference detected",
    ),
    "NaN in the body": (
        query_space_usage_by_user,
        {"body": UsageByUserRequest(user_ids=["1"], limit=float("nan"))},  # type: ignore[arg-type]
        "body",
        "the body cannot be sent as JSON",
    ),
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("operation", "kwargs", "parameter", "message"), REFUSED.values(), ids=REFUSED
)
def test_inputs_that_would_change_the_request_are_refused_unsent(
    mode: str, operation: Any, kwargs: dict[str, Any], parameter: str, message: str
) -> None:
    with ScriptedServer(ok(OVERVIEW)) as server:
        with pytest.raises(kd.RequestValidationError) as caught:
            Caller(mode)(operation, client=client_of(server), **kwargs)
        assert server.seen == []
    assert caught.value.parameter == parameter
    assert message in str(caught.value)
    assert "nothing was sent" in str(caught.value)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("query", "parameter", "times"),
    [
        ("offset=0&limit=10&limit=500", "limit", 2),
        ("offset=0&offset=0&limit=1", "offset", 2),
        ("offset=0&limit=1&keyWord=a&keyWord=b&keyWord=a", "keyWord", 3),
    ],
)
def test_a_parameter_given_twice_is_refused_unsent(
    mode: str, query: str, parameter: str, times: int
) -> None:
    """Which of the two a server would read is undocumented, so neither is sent."""
    with ScriptedServer(ok({"code": 0, "teams": [], "total": 0})) as server:
        client = client_of(server)

        async def fetch() -> None:
            await client.get_async_httpx_client().get(f"{TEAM_LIST}?{query}")

        def send() -> None:
            if mode == "sync":
                client.get_httpx_client().get(f"{TEAM_LIST}?{query}")
            else:
                asyncio.run(fetch())

        with pytest.raises(kd.RequestValidationError) as caught:
            send()
        assert server.seen == []
    assert caught.value.parameter == parameter
    assert f"{parameter} is given {times} times" in str(caught.value)


def test_streaming_is_refused_rather_than_unchecked() -> None:
    with ScriptedServer(ok(OVERVIEW)) as server:
        http = client_of(server).get_httpx_client()
        with (
            pytest.raises(kd.ConfigurationError, match="streaming is not supported"),
            http.stream("GET", OVERVIEW_PATH),
        ):
            pass
        assert server.seen == []


def test_streaming_is_refused_rather_than_unchecked_async() -> None:
    async def stream(client: Any) -> None:
        http = client.get_async_httpx_client()
        async with http.stream("GET", OVERVIEW_PATH):
            pass

    with ScriptedServer(ok(OVERVIEW)) as server:
        with pytest.raises(kd.ConfigurationError, match="streaming is not supported"):
            asyncio.run(stream(client_of(server)))
        assert server.seen == []


def test_a_closed_client_says_so() -> None:
    with ScriptedServer(ok(OVERVIEW)) as server:
        client = client_of(server)
        with client as open_client:
            get_space_usage_overview.sync(client=open_client)
        with pytest.raises(kd.ConfigurationError, match="this client was closed"):
            get_space_usage_overview.sync(client=client)
        assert len(server.seen) == 1


def test_a_closed_client_says_so_async() -> None:
    async def use_then_close(client: Any) -> None:
        async with client as open_client:
            await get_space_usage_overview.asyncio(client=open_client)
        await get_space_usage_overview.asyncio(client=client)

    with ScriptedServer(ok(OVERVIEW)) as server:
        with pytest.raises(kd.ConfigurationError, match="this client was closed"):
            asyncio.run(use_then_close(client_of(server)))
        assert len(server.seen) == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("factory", "problem"),
    [
        (lambda: 42, "trace_id_factory must return a string, not int"),
        (lambda: None, "trace_id_factory must return a string, not NoneType"),
        (lambda: "tr\u00e9" * 20, "trace_id_factory must return ASCII text (got 'tr\\xe9"),
        (lambda: "t\ud800" * 29, "trace_id_factory must return ASCII text (got 't\\ud800"),
    ],
    ids=["int", "None", "non-ASCII", "lone surrogate"],
)
def test_a_trace_id_factory_must_return_text(
    mode: str, factory: Callable[[], object], problem: str
) -> None:
    with ScriptedServer(ok(OVERVIEW)) as server:
        client = client_of(server, trace_id_factory=factory)
        with pytest.raises(kd.ConfigurationError) as caught:
            Caller(mode)(get_space_usage_overview, client=client)
        assert server.seen == []
    assert str(caught.value).startswith(problem)


def test_per_request_auth_is_refused() -> None:
    with ScriptedServer(ok(OVERVIEW)) as server:
        http = client_of(server).get_httpx_client()
        with pytest.raises(kd.ConfigurationError, match="per-request auth"):
            http.get(OVERVIEW_PATH, auth=httpx.BasicAuth("a", "b"))
        assert server.seen == []


class OwnerText(str):
    """A str subclass, as an ORM or a settings library may hand over."""


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_str_subclass_path_value_is_checked_and_sent_as_its_text(mode: str) -> None:
    reply = {"code": 0, "msg": "ok", "data": {"spaceInfos": []}}
    with ScriptedServer(ok(reply)) as server:
        Caller(mode)(
            get_space_info, client=client_of(server), owner_id=OwnerText("owner-7"), type_="1"
        )
        assert server.seen[0].raw_path.endswith(b"/owner-7")


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("send", "parameter", "message"),
    [
        (
            lambda http: http.get(
                TEAM_LIST + "?offset=0&limit=1", headers=[("X-Traceid", "a" * 40)] * 2
            ),
            "X-Traceid",
            "header X-Traceid is given more than once",
        ),
        (
            lambda http: http.get(TEAM_LIST + "?offset=0&limit=1", headers={"language": b"\xe9"}),
            "language",
            "language must be ASCII (it is sent as a header)",
        ),
        (
            lambda http: http.post(
                operation("querySpaceUsageByUser").path,
                content=b"userIds=1",
                headers={"Content-Type": "application/json"},
            ),
            "body",
            "the request body is not JSON: Expecting value",
        ),
    ],
    ids=["a header given twice", "a header's raw bytes not ASCII", "a body that is not JSON"],
)
def test_requests_built_by_hand_are_checked_as_generated_ones_are(
    mode: str, send: Callable[[Any], Any], parameter: str, message: str
) -> None:
    """What the generated code cannot produce, plain httpx calls on the client can."""
    with ScriptedServer(ok(OVERVIEW)) as server:
        client = client_of(server)

        async def on_async() -> None:
            await send(client.get_async_httpx_client())

        with pytest.raises(kd.RequestValidationError) as caught:
            send(client.get_httpx_client()) if mode == "sync" else asyncio.run(on_async())
        assert server.seen == []
    assert caught.value.parameter == parameter
    assert message in str(caught.value)
