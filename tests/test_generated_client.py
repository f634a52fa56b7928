"""The generated client: its module layout, and that it parses every example reply in the spec."""

from __future__ import annotations

import importlib
import json
import re
from types import ModuleType
from typing import Any

import httpx
import pytest
from koodrive_space_client import Client
from koodrive_space_client.models import ErrorResponse

from tests.openapi_doc import Example, examples, operation, operations


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
