"""The contract itself: it validates, names what other teams depend on, and its examples hold."""

from __future__ import annotations

from typing import Any

import pytest
from koodrive_space.schemas import validator
from openapi_spec_validator import validate

from tests.openapi_doc import Example, examples, operation, operations, resolve, spec

EXPECTED_OPERATIONS = {
    "getSpaceInfo": ("get", "/koodrive/ose/v1/space/{ownerId}"),
    "querySpaceUsageByUser": ("post", "/koodrive/ose/v1/space/usage/user"),
    "getSpaceUsageOverview": ("get", "/koodrive/ose/v1/space/usage/overview"),
    "listTeamSpaces": ("get", "/koodrive/ose/v1/space/teamList"),
    "getSpaceAllocation": ("get", "/koodrive/ose/v1/space/allocation/get"),
}
AUTH_HEADERS = {"authorization", "x-user-id", "x-date", "host"}


def test_spec_is_valid_openapi() -> None:
    validate(spec())


def test_operations_are_exactly_the_five_with_their_ids_and_tag() -> None:
    found = {op.operation_id: (op.method, op.path) for op in operations()}
    assert found == EXPECTED_OPERATIONS
    for op in operations():
        assert op.body["tags"] == ["space"], op.operation_id


def test_servers_are_the_international_and_mainland_endpoints() -> None:
    assert [s["url"] for s in spec()["servers"]] == [
        "https://intl.myhuaweicloud-koodrive.com",
        "https://cn.myhuaweicloud-koodrive.com",
    ]


@pytest.mark.parametrize("op", operations(), ids=lambda op: op.operation_id)
def test_every_operation_takes_trace_id_and_language_but_no_auth_header(op: Any) -> None:
    headers = {p["name"]: p for p in op.parameters if p["in"] == "header"}
    assert set(headers) == {"X-Traceid", "language"}
    assert not headers["X-Traceid"]["required"]
    assert not headers["language"]["required"]
    assert not {p["name"].lower() for p in op.parameters} & AUTH_HEADERS


def test_both_ways_to_authenticate_are_security_schemes() -> None:
    schemes = spec()["components"]["securitySchemes"]
    assert {name: (s["in"], s["name"]) for name, s in schemes.items()} == {
        "tokenAuth": ("header", "Authorization"),
        "appAuth": ("header", "Authorization"),
        "userId": ("header", "X-User-Id"),
        "signingDate": ("header", "X-Date"),
    }
    assert spec()["security"] == [
        {"appAuth": [], "userId": [], "signingDate": []},
        {"tokenAuth": [], "userId": []},
    ]
    rule = schemes["appAuth"]["description"]
    for step in ("HMAC-SHA256", "SignedHeaders=host;x-date;x-user-id", "%2B", "SHA-256"):
        assert step in rule


@pytest.mark.parametrize("op", operations(), ids=lambda op: op.operation_id)
def test_every_operation_documents_400_401_500_with_the_error_envelope(op: Any) -> None:
    responses = op.body["responses"]
    assert set(responses) == {"200", "400", "401", "500"}
    envelope = resolve(spec()["components"]["schemas"]["ErrorResponse"])
    for status in ("400", "401", "500"):
        assert resolve(responses[status])["content"]["application/json"]["schema"] == envelope


def test_documented_error_codes_are_examples_of_400() -> None:
    bad_request = spec()["components"]["responses"]["BadRequest"]["content"]["application/json"]
    codes = {ex["value"]["code"] for ex in bad_request["examples"].values()}
    assert codes == {13000102, 13000301, 13000410, 13000412, 13000311}


@pytest.mark.parametrize("example", list(examples()), ids=lambda ex: ex.where)
def test_every_example_validates_against_its_schema(example: Example) -> None:
    errors = [e.message for e in validator(resolve(example.schema)).iter_errors(example.value)]
    assert errors == []


@pytest.mark.parametrize("op", operations(), ids=lambda op: op.operation_id)
def test_success_examples_show_both_forms_where_the_pages_disagree(op: Any) -> None:
    names = {
        ex.where.split()[-1] for ex in examples() if ex.where.startswith(f"{op.operation_id} 200 ")
    }
    assert names == {"seedExample", "tableShaped"}


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ("SpaceInfoResponse", {"code": 0, "data": {"capacity": 8.5}}),
        ("SpaceInfoResponse", {"code": 0, "data": {"capacity": "eight"}}),
        ("SpaceInfoResponse", {"msg": "no code"}),
        ("SpaceAllocationResponse", {"code": 0, "data": "1000"}),
        ("TeamSpaceListResponse", {"code": 0, "teams": {"id": "1"}}),
        ("UsageByUserRequest", {"userIds": []}),
        ("UsageByUserRequest", {"userIds": [str(n) for n in range(51)]}),
    ],
)
def test_schemas_refuse_what_neither_the_table_nor_the_example_allows(
    schema: str, value: dict[str, Any]
) -> None:
    assert not validator(resolve({"$ref": f"#/components/schemas/{schema}"})).is_valid(value)


def test_team_list_bounds_are_the_documented_ones() -> None:
    params = {p["name"]: p for p in operation("listTeamSpaces").parameters}
    assert params["offset"]["schema"]["minimum"] == 0
    assert (params["limit"]["schema"]["minimum"], params["limit"]["schema"]["maximum"]) == (1, 100)
    assert params["offset"]["required"]
    assert params["limit"]["required"]


def _enums(node: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every schema in the spec that has an enum, with where it is."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if "enum" in node:
            found.append((where, node))
        for key, value in node.items():
            found += _enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _enums(value, f"{where}/{index}")
    return found


@pytest.mark.parametrize(("where", "schema"), _enums(spec()), ids=lambda v: str(v)[:60])
def test_every_enum_names_and_explains_its_values(where: str, schema: dict[str, Any]) -> None:
    """x-enum-varnames and x-enum-descriptions, one per value, for generators that read them."""
    assert len(schema.get("x-enum-varnames", [])) == len(schema["enum"]), where
    assert len(schema.get("x-enum-descriptions", [])) == len(schema["enum"]), where


def test_reply_fields_with_documented_values_stay_open() -> None:
    """No field of a component has a closed enum (the request body has none either): a value
    KooDrive documents later must still parse."""
    closed = [
        f"{name}.{field}"
        for name, component in spec()["components"]["schemas"].items()
        for field, schema in component.get("properties", {}).items()
        if "enum" in resolve(schema)
    ]
    assert closed == []
    team = spec()["components"]["schemas"]["TeamSpaceInfo"]["properties"]
    assert team["type"]["anyOf"][0] == {"$ref": "#/components/schemas/TeamType"}
    assert team["teamType"]["anyOf"][0] == {"$ref": "#/components/schemas/TeamType"}


def test_request_enums_are_closed() -> None:
    params = {p["name"]: resolve(p["schema"]) for p in operation("listTeamSpaces").parameters}
    assert params["teamType"]["enum"] == [0, 1, 2]
    info = {p["name"]: resolve(p["schema"]) for p in operation("getSpaceInfo").parameters}
    assert info["type"]["enum"] == ["1"]
