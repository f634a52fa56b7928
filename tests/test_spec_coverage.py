"""Every table of every KooDrive reference page is in the spec, with a compatible type.

The pages in openapi/reference/ are parsed, not transcribed: replace a page when KooDrive's docs
change and this test names each parameter or field the spec still lacks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from koodrive_space import spec as koodrive_spec

from tests.openapi_doc import ROOT, operation, resolve, spec

REFERENCE = ROOT / "openapi" / "reference"
TYPE_RE = re.compile(r"^(String|Integer|Long|Double|Boolean|Array of .+|\w+ objects?)$")
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z-]*$")
JSON_TYPES = {
    "String": "string",
    "Integer": "integer",
    "Long": "integer",
    "Double": "number",
    "Boolean": "boolean",
}


@dataclass(frozen=True)
class Row:
    page: str
    operation_id: str
    table: str
    name: str
    mandatory: bool | None
    type: str

    def __str__(self) -> str:
        return f"{self.page} / {self.table} / {self.name}"


def pages() -> dict[str, str]:
    """File name to operationId, from the index table in openapi/reference/README.md."""
    rows = re.findall(
        r"^\| (\S+\.txt) \|.*\| `(\w+)` \|$", (REFERENCE / "README.md").read_text(), re.MULTILINE
    )
    return dict(rows)


def parse_rows(page: str, operation_id: str) -> list[Row]:
    lines = [ln.strip() for ln in (REFERENCE / page).read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    rows: list[Row] = []
    table, has_mandatory = "", False
    for i, line in enumerate(lines):
        heading = re.match(r"^Table \d+ (.+)$", line)
        if heading:
            table = heading.group(1)
            has_mandatory = lines[i + 2] == "Mandatory"
            continue
        if not table or line.startswith(("Example Requests", "Status code")):
            table = "" if line.startswith("Example Requests") else table
            continue
        if not NAME_RE.match(line) or i + 2 >= len(lines):
            continue
        if has_mandatory and lines[i + 1] in ("Yes", "No") and TYPE_RE.match(lines[i + 2]):
            rows.append(Row(page, operation_id, table, line, lines[i + 1] == "Yes", lines[i + 2]))
        elif not has_mandatory and TYPE_RE.match(lines[i + 1]) and line != "Parameter":
            rows.append(Row(page, operation_id, table, line, None, lines[i + 1]))
    return rows


def all_rows() -> list[Row]:
    return [row for page, op_id in pages().items() for row in parse_rows(page, op_id)]


def accepted_types(schema: dict[str, Any]) -> set[str]:
    found = {schema["type"]} if "type" in schema else set()
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in schema.get(key, []):
            found |= accepted_types(branch)
    return found


def spec_property(row: Row) -> dict[str, Any] | None:
    """The raw (unresolved) schema the spec gives this row, or None when it has none."""
    op = operation(row.operation_id)
    table = row.table.lower()
    if table in ("path parameters", "query parameters", "request header parameters"):
        for param in op.parameters:
            if param["name"] == row.name:
                assert param["in"] == {"path": "path", "query": "query"}.get(
                    table.split()[0], "header"
                ), row
                assert param["required"] == row.mandatory, f"{row}: required flag"
                return {**param["schema"], "description": param.get("description")}
        return None
    if table == "request body parameters":
        body = op.body["requestBody"]["content"]["application/json"]["schema"]
        schema = resolve(body)
        assert (row.name in schema.get("required", [])) == row.mandatory, f"{row}: required"
        return _property(body, row.name)
    if table == "response body parameters":
        return _property(
            op.body["responses"]["200"]["content"]["application/json"]["schema"], row.name
        )
    return _property({"$ref": f"#/components/schemas/{row.table}"}, row.name)


def _property(ref: dict[str, Any], name: str) -> dict[str, Any] | None:
    node, _ = koodrive_spec.deref(ref, spec())
    prop = node.get("properties", {}).get(name)
    return dict(prop) if prop is not None else None


ROWS = all_rows()
AUTH_ROWS = [r for r in ROWS if r.name in ("Authorization", "X-User-Id", "X-Date", "Host")]
FIELD_ROWS = [r for r in ROWS if r not in AUTH_ROWS]


def test_the_parser_reads_every_page_and_table() -> None:
    assert set(pages().values()) == {
        "getSpaceInfo",
        "querySpaceUsageByUser",
        "getSpaceUsageOverview",
        "listTeamSpaces",
        "getSpaceAllocation",
    }
    tables = {(r.operation_id, r.table) for r in ROWS}
    for name in (
        "SpaceInfo",
        "UserSpaceQuota",
        "SpaceQuotaUsage",
        "TeamSpaceInfo",
        "GetSpaceAllocatedData",
    ):
        assert any(t == name for _, t in tables), name
    assert len([r for r in ROWS if r.table == "TeamSpaceInfo"]) == 20
    # Hand-counted from the five pages: a parser that skips a row fails here.
    assert len(ROWS) == 100


@pytest.mark.parametrize("row", FIELD_ROWS, ids=str)
def test_every_documented_parameter_and_field_is_in_the_spec(row: Row) -> None:
    prop = spec_property(row)
    assert prop is not None, f"{row} is documented but missing from the spec"
    resolved = resolve(prop)
    assert resolved.get("description"), f"{row} has no description"
    if row.type in JSON_TYPES:
        assert JSON_TYPES[row.type] in accepted_types(resolved), f"{row}: {row.type}"
    elif row.type.startswith("Array of"):
        assert "array" in accepted_types(resolved), f"{row}: {row.type}"
        item = row.type.removeprefix("Array of ").removesuffix(" objects")
        if item != "strings":
            assert f"#/components/schemas/{item}" in json.dumps(prop), f"{row}: items"
    else:
        assert f"#/components/schemas/{row.type.removesuffix(' object')}" in json.dumps(prop)


@pytest.mark.parametrize("row", AUTH_ROWS, ids=str)
def test_authentication_headers_are_security_schemes_not_parameters(row: Row) -> None:
    schemes = spec()["components"]["securitySchemes"]
    if row.name == "Host":
        assert "`host`" in schemes["appAuth"]["description"]
    else:
        assert any(s["name"] == row.name for s in schemes.values()), row
