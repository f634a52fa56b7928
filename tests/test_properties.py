"""Property tests: requests generated from the spec drive the emulator through the client.

For every operation, hypothesis draws arguments from the spec's parameter and body schemas (with
the emulator's real IDs mixed in, so calls hit records as well as misses) and a reply form. For
each call:

- the client never crashes: it returns the operation's reply model, or raises one of the
  ``APIError``s the emulator answers for that operation; never ``RequestValidationError`` (the
  spec allows the request), never ``UnreadableResponseError``, never a raw exception;
- the emulator never crashes (no 500) and never refuses the signature (401): the client's signer
  and the emulator's verifier agree on every generated path, query and body;
- every reply the emulator sent matches the spec, and the client parsed it.

Header values are drawn from visible ASCII: HTTP field values cannot carry arbitrary text, which
the spec's ``type: string`` does not say. Runs are derandomized (the same examples every time).
"""

from __future__ import annotations

import importlib
import keyword
import re
from collections.abc import Iterator
from typing import Any

import hypothesis.strategies as st
import koodrive_space as kd
import pytest
from hypothesis import HealthCheck, given, settings
from koodrive_emulator import (
    FAKE_APP_ID,
    FAKE_APP_SECRET,
    FAKE_USER_ID,
    Credentials,
    Emulator,
    RunningEmulator,
    running,
)
from koodrive_emulator import data as dataset
from koodrive_space_client import models

from tests import openapi_doc
from tests.contract import reply_problems

DATA = dataset.build()
USERS = DATA.tenants[dataset.SEED_TENANT].users
KNOWN: dict[str, list[str]] = {
    "ownerId": [
        dataset.SEED_OWNER,
        USERS[1],
        USERS[52],
        USERS[96],
        DATA.tenants["40086000004871667"].users[0],
    ],
    "containerId": [dataset.SEED_CONTAINER, DATA.spaces_of[USERS[96]][1]["containerId"]],
    "userIds": USERS[:200],
    "keyWord": ["finance", "Sales 2", "1008600000000000001", "a+b", "100%"],
}
# What the emulator may refuse a spec-valid request with, per operation (from its data).
EXPECTED_REFUSALS: dict[str, set[int | str]] = {
    "getSpaceInfo": {13000301, 13000410, 13000412, 13000102},
}
HEADER_TEXT = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def from_schema(
    schema: dict[str, Any], *, name: str = "", header: bool = False
) -> st.SearchStrategy[Any]:
    """Values ``schema`` allows (the subset of JSON Schema the spec uses)."""
    schema = openapi_doc.resolve(schema)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "integer":
        low, high = INT_FORMATS.get(schema.get("format", "int64"), INT_FORMATS["int64"])
        return st.integers(
            max(low, schema.get("minimum", low)), min(high, schema.get("maximum", high))
        )
    if kind == "string" and "pattern" in schema:
        longest = schema.get("maxLength", 40)
        return st.from_regex(schema["pattern"], fullmatch=True).filter(
            lambda drawn: schema.get("minLength", 0) <= len(drawn) <= longest
        )
    if kind == "string":
        text = st.text(
            alphabet=HEADER_TEXT if header else st.characters(codec="utf-8"),
            min_size=schema.get("minLength", 0),
            max_size=schema.get("maxLength", 40),
        )
        return st.one_of(st.sampled_from(KNOWN[name]), text) if name in KNOWN else text
    if kind == "array":
        items = from_schema(schema["items"], name=name)
        return st.lists(
            items, min_size=schema.get("minItems", 0), max_size=schema.get("maxItems", 5)
        )
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {key: from_schema(sub, name=key) for key, sub in properties.items() if key in required},
            optional={
                key: from_schema(sub, name=key)
                for key, sub in properties.items()
                if key not in required
            },
        )
    raise AssertionError(f"no strategy for {schema}")


def python_name(name: str) -> str:
    """The generated client's argument name for a spec parameter (keyWord -> key_word)."""
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name.replace("-", "_")).lower()
    return snake + "_" if keyword.iskeyword(snake) or snake in ("type", "id") else snake


def module_name(operation_id: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", operation_id).lower()


def arguments(operation: openapi_doc.Operation) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments for the generated function, drawn from the spec, plus a reply form."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for param in operation.parameters:
        strategy = from_schema(param["schema"], name=param["name"], header=param["in"] == "header")
        (required if param.get("required") else optional)[param["name"]] = strategy
    body = openapi_doc.resolve(operation.body.get("requestBody"))
    if body is not None:
        required["body"] = from_schema(body["content"]["application/json"]["schema"])
    required["shape"] = st.sampled_from(["table", "example"])
    return st.fixed_dictionaries(required, optional=optional)


@pytest.fixture(scope="module")
def served() -> Iterator[RunningEmulator]:
    with running(Emulator(credentials=Credentials.fake())) as server:
        yield server


def reply_model(operation: openapi_doc.Operation) -> type:
    ref: str = operation.body["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    model: type = getattr(models, ref.rsplit("/", 1)[1])
    return model


def exercise(
    served: RunningEmulator, operation: openapi_doc.Operation, drawn: dict[str, Any]
) -> None:
    emulator = served.emulator
    emulator.log.clear()
    client = kd.create_client(
        served.base_url,
        auth=kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID),
        max_retries=0,
    ).with_headers({"X-Emulator-Fault": "shape=" + drawn.pop("shape")})
    module = importlib.import_module(
        f"koodrive_space_client.api.space.{module_name(operation.operation_id)}"
    )
    positional = [drawn.pop(p["name"]) for p in operation.parameters if p["in"] == "path"]
    kwargs = {python_name(name): value for name, value in drawn.items() if name != "body"}
    if "body" in drawn:
        kwargs["body"] = models.UsageByUserRequest.from_dict(drawn["body"])
    refusal: kd.APIError | None = None
    try:
        reply = module.sync(*positional, client=client, **kwargs)
    except kd.APIError as error:
        refusal = error
    if refusal is not None:
        assert refusal.code in EXPECTED_REFUSALS.get(operation.operation_id, set()), refusal
    else:
        assert isinstance(reply, reply_model(operation)), reply
    (exchange,) = emulator.log
    assert exchange.status not in (401, 500), exchange.body
    assert reply_problems(operation.operation_id, exchange.status, exchange.body) == []


OPERATIONS = {op.operation_id: op for op in openapi_doc.operations()}


@SETTINGS
@given(drawn=arguments(OPERATIONS["getSpaceInfo"]))
def test_get_space_info(served: RunningEmulator, drawn: dict[str, Any]) -> None:
    exercise(served, OPERATIONS["getSpaceInfo"], drawn)


@SETTINGS
@given(drawn=arguments(OPERATIONS["querySpaceUsageByUser"]))
def test_query_space_usage_by_user(served: RunningEmulator, drawn: dict[str, Any]) -> None:
    exercise(served, OPERATIONS["querySpaceUsageByUser"], drawn)


@SETTINGS
@given(drawn=arguments(OPERATIONS["getSpaceUsageOverview"]))
def test_get_space_usage_overview(served: RunningEmulator, drawn: dict[str, Any]) -> None:
    exercise(served, OPERATIONS["getSpaceUsageOverview"], drawn)


@SETTINGS
@given(drawn=arguments(OPERATIONS["listTeamSpaces"]))
def test_list_team_spaces(served: RunningEmulator, drawn: dict[str, Any]) -> None:
    exercise(served, OPERATIONS["listTeamSpaces"], drawn)


@SETTINGS
@given(drawn=arguments(OPERATIONS["getSpaceAllocation"]))
def test_get_space_allocation(served: RunningEmulator, drawn: dict[str, Any]) -> None:
    exercise(served, OPERATIONS["getSpaceAllocation"], drawn)


def test_every_operation_has_a_property_test() -> None:
    tested = {name[len("test_") :] for name in globals() if name.startswith("test_")}
    assert {module_name(op) for op in OPERATIONS} <= tested
