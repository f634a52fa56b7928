"""`make interop`: TypeScript types generated from the bundle are strict enough to catch mistakes,
and the TypeScript kit (interop/typescript) signs and calls KooDrive from dist/ alone.

`make interop` compiles interop/typescript/usage.ts; here small programs compiled under the same
tsconfig prove the other side: a misnamed parameter or field, or a reply shape read as only one
of its documented forms, does not compile. It also compiles the kit to
build/interop/typescript; its conformance runner must match every signing vector and call all
five operations on the emulator with both kinds of authentication, and must name a vector it
does not match. (The Java kit is `make interop-java`, run by .ci/run, not here.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from koodrive_emulator import FAKE_APP_ID, FAKE_APP_SECRET, FAKE_TOKEN, FAKE_USER_ID, running

from tests.openapi_doc import spec
from tests.spec_tools import DIST, ROOT, TS_DIR, TS_TYPES, make, node_script, node_tool
from tests.test_spec import EXPECTED_OPERATIONS

VECTORS = DIST / "koodrive-signing-vectors.json"
CONFORMANCE = ROOT / "build" / "interop" / "typescript" / "conformance.js"

HEADER = 'import type { operations } from "./generated/koodrive-space";\n'
RIGHT = """
type Ok<Op extends keyof operations> =
  operations[Op]["responses"][200]["content"]["application/json"];
export const query: operations["listTeamSpaces"]["parameters"] = {
  query: { offset: 0, limit: 10, keyWord: "finance" },
};
type Body = operations["querySpaceUsageByUser"]["requestBody"]["content"]["application/json"];
export const body: Body = { userIds: ["1008600000509220652"] };
export const used = (reply: Ok<"getSpaceUsageOverview">): number | undefined =>
  reply.data?.totalUsed;
export const records = (reply: Ok<"getSpaceAllocation">) =>
  Array.isArray(reply.data) ? reply.data : reply.data === undefined ? [] : [reply.data];
export const capacity = (reply: Ok<"getSpaceInfo">): number | string | undefined =>
  reply.data?.capacity;
"""
# Each wrong program is RIGHT with one mistake: (name, replaced text, replacement, tsc's word).
MISTAKES = [
    ("misnamed-query-parameter", "keyWord:", "keyword:", "keyword"),
    ("misnamed-reply-field", "reply.data?.totalUsed;", "reply.data?.totalUsd;", "totalUsd"),
    ("misnamed-body-field", "{ userIds:", "{ userId:", "userId"),
    (
        "allocation-data-read-as-an-array-only",
        "Array.isArray(reply.data) ? reply.data : reply.data === undefined ? [] : [reply.data]",
        "reply.data?.map((record) => record.type) ?? []",
        "map",
    ),
    (
        "integer-or-string-read-as-a-number-only",
        '(reply: Ok<"getSpaceInfo">): number | string | undefined',
        '(reply: Ok<"getSpaceInfo">): number | undefined',
        "string",
    ),
]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """tsc's complaints about each program, all compiled in one run, keyed by program name."""
    make("interop")
    folder = tmp_path_factory.mktemp("ts")
    (folder / "generated").mkdir()
    (folder / "generated" / TS_TYPES.name).write_text(TS_TYPES.read_text(encoding="utf-8"))
    programs = {"right": HEADER + RIGHT}
    for name, old, new, _ in MISTAKES:
        assert RIGHT.count(old) == 1, name
        programs[name] = HEADER + RIGHT.replace(old, new)
    for name, source in programs.items():
        (folder / f"{name}.ts").write_text(source, encoding="utf-8")
    config = {"extends": str(TS_DIR / "tsconfig.json"), "files": [f"{n}.ts" for n in programs]}
    (folder / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")

    result = node_tool("tsc", "--project", folder, "--strict", "--noEmit", "--pretty", "false")
    complaints, program = dict.fromkeys(programs, ""), ""
    for line in result.stdout.splitlines():
        match = re.match(r"(?:.*/)?([\w-]+)\.ts\(\d+,\d+\): (error .*)", line)
        if match:
            program, message = match.groups()
        else:
            message = line.strip()  # the next line of the same complaint
        assert program, f"tsc said something about no program: {line}"
        complaints[program] += message + "\n"
    assert (result.returncode == 0) == (not any(complaints.values())), result.stdout
    return complaints


def test_the_right_program_compiles(compiled: dict[str, str]) -> None:
    assert compiled["right"] == ""


@pytest.mark.parametrize(("name", "word"), [pytest.param(m[0], m[3], id=m[0]) for m in MISTAKES])
def test_each_mistake_fails_to_compile(compiled: dict[str, str], name: str, word: str) -> None:
    assert word in compiled[name], compiled[name] or f"{name} compiled"


@pytest.mark.parametrize("operation_id", list(EXPECTED_OPERATIONS))
def test_usage_program_touches_both_sides_of_every_operation(operation_id: str) -> None:
    usage = (TS_DIR / "usage.ts").read_text(encoding="utf-8")
    assert f'operations["{operation_id}"]["parameters"]' in usage
    assert f'Ok<"{operation_id}">' in usage


def test_documented_fields_keep_their_own_descriptions_in_typescript() -> None:
    """openapi-typescript writes each field's own description (units included) as its JSDoc."""
    make("interop")
    found: dict[str, set[str]] = {}
    text = TS_TYPES.read_text(encoding="utf-8")
    for description, field in re.findall(r"@description (.*?)\*/\s*(\w+)\??:", text, re.S):
        # JSDoc continues a description on lines starting " *     ": fold them back.
        found.setdefault(field, set()).add(" ".join(re.sub(r"\n\s*\*", " ", description).split()))
    for model, component in spec()["components"]["schemas"].items():
        for field, schema in component.get("properties", {}).items():
            if "description" in schema:
                wanted = " ".join(schema["description"].split())
                assert wanted in found.get(field, set()), f"{model}.{field}"


@pytest.fixture(scope="module")
def conformance() -> Path:
    """The TypeScript kit's conformance runner, compiled by `make interop`."""
    make("interop")
    return CONFORMANCE


def vectors() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return document


def test_typescript_kit_matches_every_vector_and_calls_every_operation(
    conformance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in [
        ("KOODRIVE_APP_ID", FAKE_APP_ID),
        ("KOODRIVE_APP_SECRET", FAKE_APP_SECRET),
        ("KOODRIVE_USER_ID", FAKE_USER_ID),
        ("KOODRIVE_TOKEN", FAKE_TOKEN),
    ]:
        monkeypatch.setenv(name, value)  # read by the emulator and by the runner
    with running() as server:
        monkeypatch.setenv("KOODRIVE_BASE_URL", server.base_url)
        result = node_script(conformance, VECTORS)
    assert result.returncode == 0, result.stdout + result.stderr
    count = len(vectors()["vectors"])
    assert count >= 30
    assert f"{count} of {count} vectors passed" in result.stdout, result.stdout
    assert "10 of 10 calls passed (5 operations x 2 auth modes)" in result.stdout, result.stdout


# One vector made wrong in a copy of the file: an expected step changed, or the request it signs.
WRONG_VECTOR = "query-usage-json-body"


@pytest.mark.parametrize(
    ("field", "step"),
    [
        ("canonical_request", "canonical_request"),
        ("string_to_sign", "string_to_sign"),
        ("authorization", "authorization"),
        ("body", "canonical_request"),
    ],
)
def test_typescript_kit_names_the_vector_it_does_not_match(
    conformance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, step: str
) -> None:
    document = vectors()
    (vector,) = [v for v in document["vectors"] if v["name"] == WRONG_VECTOR]
    holder = vector["request"] if field == "body" else vector
    text = holder[field]
    holder[field] = text[:-1] + ("1" if text.endswith("0") else "0")
    wrong = tmp_path / "vectors.json"
    wrong.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.delenv("KOODRIVE_BASE_URL", raising=False)  # the vectors only

    result = node_script(conformance, wrong)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"FAIL vector {WRONG_VECTOR}: {step} differs" in result.stdout, result.stdout
    count = len(document["vectors"])
    assert f"{count - 1} of {count} vectors passed" in result.stdout, result.stdout
