"""The generated client: its module layout, the surface koodrive_space uses, and that it parses
every example reply in the spec."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest
from koodrive_space_client import Client
from koodrive_space_client.models import ErrorResponse

from tests.openapi_doc import Example, examples, operation, operations, spec


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def module(operation_id: str) -> ModuleType:
    return importlib.import_module(f"koodrive_space_client.api.space.{snake(operation_id)}")


def call_kwargs(operation_id: str) -> dict[str, Any]:
    """Arguments for a call built from the spec's parameter and request examples."""
    op = operation(operation_id)
    kwargs: dict[str, Any] = {}
    for param in op.parameters:
        if param["required"]:
            name = snake(param["name"])
            kwargs[name + "_" if name == "type" else name] = param["example"]
    if "requestBody" in op.body:
        from koodrive_space_client.models import UsageByUserRequest

        media = op.body["requestBody"]["content"]["application/json"]
        kwargs["body"] = UsageByUserRequest.from_dict(media["examples"]["seedExample"]["value"])
    return kwargs


@pytest.mark.parametrize("op", operations(), ids=lambda op: op.operation_id)
def test_each_operation_has_the_four_entry_points(op: Any) -> None:
    mod = module(op.operation_id)
    for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
        assert callable(getattr(mod, name)), f"{op.operation_id}.{name}"


def replay(example: Example, operation_id: str) -> tuple[Any, httpx.Request]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(int(example.status or 200), json=example.value)

    client = Client(
        "https://intl.myhuaweicloud-koodrive.com",
        httpx_args={"transport": httpx.MockTransport(handler)},
    )
    detailed = module(operation_id).sync_detailed(client=client, **call_kwargs(operation_id))
    return detailed.parsed, sent[0]


REPLIES = [ex for ex in examples() if ex.status is not None]


@pytest.mark.parametrize("example", REPLIES, ids=lambda ex: ex.where)
def test_generated_client_parses_every_example_reply_without_loss(example: Example) -> None:
    operation_id = example.where.split()[0]
    parsed, request = replay(example, operation_id)
    if example.status == "200":
        assert (
            type(parsed).__name__
            == operation(operation_id)
            .body["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            .rsplit("/", 1)[1]
        )
    else:
        assert isinstance(parsed, ErrorResponse)
    # Round trip: every field of the reply, known or not, survives parsing.
    assert parsed.to_dict() == example.value
    assert request.url.path.startswith("/koodrive/ose/v1/space/")


def test_requests_carry_the_example_parameters() -> None:
    ex = next(e for e in REPLIES if e.where == "getSpaceInfo 200 seedExample")
    _, request = replay(ex, "getSpaceInfo")
    assert request.method == "GET"
    assert str(request.url) == (
        "https://intl.myhuaweicloud-koodrive.com/koodrive/ose/v1/space/369528171409614001?type=1"
    )
    usage = next(e for e in REPLIES if e.where == "querySpaceUsageByUser 200 seedExample")
    _, request = replay(usage, "querySpaceUsageByUser")
    assert json.loads(request.content) == {
        "limit": 10,
        "offset": 0,
        "userIds": ["232323", "34343434"],
    }


def test_unknown_reply_fields_are_kept() -> None:
    from koodrive_space_client.models import SpaceInfoResponse

    parsed = SpaceInfoResponse.from_dict(
        {"code": 0, "data": {"ownerId": "1", "newField": [1]}, "extra": True}
    )
    assert parsed.additional_properties == {"extra": True}
    assert parsed.to_dict()["data"]["newField"] == [1]


def test_allocation_data_keeps_its_shape() -> None:
    from koodrive_space_client.models import GetSpaceAllocatedData, SpaceAllocationResponse

    single = SpaceAllocationResponse.from_dict({"code": 0, "data": {"type": "0"}})
    many = SpaceAllocationResponse.from_dict({"code": "0", "data": [{"type": 0}]})
    assert isinstance(single.data, GetSpaceAllocatedData)
    assert isinstance(many.data, list)
    assert isinstance(many.data[0], GetSpaceAllocatedData)


# What koodrive_space relies on beyond the module layout above: a generator upgrade that changes
# any of it fails here first (README, "When the generator's output changes").


def test_client_hands_its_settings_and_httpx_args_to_both_httpx_clients() -> None:
    """create_client's signing (``auth``) and pipeline (``transport``) ride on ``httpx_args``."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = Client(
        "https://intl.myhuaweicloud-koodrive.com",
        headers={"language": "en-US"},
        timeout=httpx.Timeout(7.0),
        follow_redirects=False,
        httpx_args={"auth": httpx.BasicAuth("u", "p"), "transport": httpx.MockTransport(handler)},
    )
    sync_client = client.get_httpx_client()
    sync_client.get("/ping")

    async def call() -> None:
        async with client.get_async_httpx_client() as async_client:
            assert async_client.timeout == httpx.Timeout(7.0)
            assert async_client.follow_redirects is False
            await async_client.get("/ping")

    asyncio.run(call())
    assert sync_client.timeout == httpx.Timeout(7.0)
    assert sync_client.follow_redirects is False
    assert len(seen) == 2
    for request in seen:
        assert str(request.url) == "https://intl.myhuaweicloud-koodrive.com/ping"
        assert request.headers["authorization"] == "Basic dTpw"  # base64 of u:p
        assert request.headers["language"] == "en-US"


def test_the_calls_and_fields_the_helpers_use() -> None:
    """koodrive_space.helpers calls these by keyword and reads these attributes."""
    from koodrive_space_client.api.space import list_team_spaces, query_space_usage_by_user
    from koodrive_space_client.models import (
        TeamSpaceListResponse,
        UsageByUserRequest,
        UsageByUserResponse,
    )
    from koodrive_space_client.types import UNSET, Unset

    paging = {"client", "offset", "limit", "key_word", "team_type"}
    batching = {"client", "body"}
    calls: list[tuple[Callable[..., Any], set[str]]] = [
        (list_team_spaces.sync, paging),
        (list_team_spaces.asyncio, paging),
        (query_space_usage_by_user.sync, batching),
        (query_space_usage_by_user.asyncio, batching),
    ]
    for function, names in calls:
        assert names <= set(inspect.signature(function).parameters), function
    body = UsageByUserRequest(user_ids=["1"], offset=0, limit=1)
    assert body.to_dict() == {"userIds": ["1"], "offset": 0, "limit": 1}
    # An absent reply field is UNSET (an Unset), never None: the helpers test for it.
    page = TeamSpaceListResponse.from_dict({"code": 0})
    assert [page.teams, page.data, page.total] == [UNSET, UNSET, UNSET]
    assert isinstance(page.teams, Unset)
    usage = UsageByUserResponse.from_dict({"code": 0, "data": [{"userId": "7"}], "total": 1})
    assert isinstance(usage.data, list)
    assert [record.user_id for record in usage.data] == ["7"]
    assert usage.total == 1


def success_model(operation_id: str) -> str:
    schema = operation(operation_id).body["responses"]["200"]["content"]["application/json"]
    name: str = schema["schema"]["$ref"].rsplit("/", 1)[1]
    return name


@pytest.mark.parametrize("op", operations(), ids=lambda op: op.operation_id)
def test_sync_and_asyncio_return_the_success_model_alone(op: Any) -> None:
    """generator/templates/endpoint_module.py.jinja: no ``| ErrorResponse | None`` to narrow."""
    mod = module(op.operation_id)
    for name in ("sync", "asyncio"):
        returns = inspect.signature(getattr(mod, name)).return_annotation
        assert inspect.isclass(returns), f"{op.operation_id}.{name} returns {returns}"
        assert returns.__name__ == success_model(op.operation_id), f"{op.operation_id}.{name}"


@pytest.mark.parametrize("example", REPLIES, ids=lambda ex: ex.where)
def test_sync_raises_unexpected_status_on_any_other_reply(example: Example) -> None:
    """Without koodrive_space's transport (which raises KooDriveError first), an error reply
    reaches the generated ``sync``/``asyncio``: they raise rather than return it."""
    from koodrive_space_client import errors

    operation_id = example.where.split()[0]
    mod, kwargs = module(operation_id), call_kwargs(operation_id)
    if example.status == "200":
        reply = mod.sync(client=answering(example), **kwargs)
        assert type(reply).__name__ == success_model(operation_id)
        return
    with pytest.raises(errors.UnexpectedStatus) as raised:
        mod.sync(client=answering(example), **kwargs)
    assert raised.value.status_code == int(example.status or 0)
    with pytest.raises(errors.UnexpectedStatus):
        asyncio.run(mod.asyncio(client=answering(example), **kwargs))


def answering(example: Example) -> Client:
    """A plain generated client whose every request gets ``example`` as the reply."""
    reply = httpx.Response(int(example.status or 200), json=example.value)
    return Client(
        "https://intl.myhuaweicloud-koodrive.com",
        httpx_args={"transport": httpx.MockTransport(lambda _: reply)},
    )


def attribute(name: str) -> str:
    """The generated attribute for a spec field (spaceUsed -> space_used, type -> type_)."""
    return snake(name) + "_" if name == "type" else snake(name)


DOCUMENTED_FIELDS = [
    (model, field, " ".join(schema["description"].split()))
    for model, component in spec()["components"]["schemas"].items()
    for field, schema in component.get("properties", {}).items()
    if "description" in schema
]


@pytest.mark.parametrize(
    ("model", "field", "description"),
    DOCUMENTED_FIELDS,
    ids=[f"{model}.{field}" for model, field, _ in DOCUMENTED_FIELDS],
)
def test_every_documented_field_keeps_its_own_description(
    model: str, field: str, description: str
) -> None:
    """The docstring of each generated model gives each field the description the spec writes
    beside it (units included), not the description of a schema it refers to."""
    from koodrive_space_client import models

    docstring = " ".join((getattr(models, model).__doc__ or "").split())
    line = re.search(rf"\b{attribute(field)} \([^)]*\): (.*?)(?= \w+ \([^)]*\): |$)", docstring)
    assert line is not None, f"{model}.{field} is not in the docstring"
    assert line[1] == description


@pytest.mark.parametrize(
    ("model", "reply"),
    [
        ("TeamSpaceInfo", {"type": 7, "teamType": 9}),
        ("SpaceInfo", {"type": 4}),
        ("SpaceInfo", {"type": "4"}),
        ("ErrorResponse", {"code": 13999999, "msg": "a code documented later"}),
    ],
)
def test_reply_enums_stay_open(model: str, reply: dict[str, Any]) -> None:
    """A value KooDrive documents later still parses: reply enums are `anyOf` the documented
    values and the plain type."""
    from koodrive_space_client import models

    parsed = getattr(models, model).from_dict(reply)
    assert parsed.to_dict() == reply
