"""`make lint-spec`: the spec passes redocly.yaml with nothing to say, and every rule there that
keeps the spec honest fires when a copy of the spec is broken the way the rule forbids."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.openapi_doc import SPEC_PATH, spec
from tests.spec_tools import Problem, lint, lint_all, main

Spec = dict[str, Any]
INFO = "/koodrive/ose/v1/space/{ownerId}"
USAGE = "/koodrive/ose/v1/space/usage/user"
OVERVIEW = "/koodrive/ose/v1/space/usage/overview"
TEAMS = "/koodrive/ose/v1/space/teamList"
ALLOCATION = "/koodrive/ose/v1/space/allocation/get"


def op(document: Spec, path: str) -> Any:
    item = document["paths"][path]
    return item.get("get") or item["post"]


def reply_200(document: Spec, path: str) -> Any:
    return op(document, path)["responses"]["200"]["content"]["application/json"]


def schema_properties(document: Spec, name: str) -> Any:
    return document["components"]["schemas"][name]["properties"]


def _set_query_example(document: Spec, name: str, value: Any) -> None:
    params = op(document, TEAMS)["parameters"]
    next(p for p in params if p.get("name") == name)["example"] = value


@dataclass(frozen=True)
class Break:
    """One way to break the spec, and the rule that must report it."""

    name: str
    rule: str
    apply: Callable[[Spec], object]


BREAKS = [
    Break("no summary", "operation-summary", lambda d: op(d, INFO).pop("summary")),
    Break("no description", "operation-description", lambda d: op(d, USAGE).pop("description")),
    Break("no operationId", "operation-operationId", lambda d: op(d, OVERVIEW).pop("operationId")),
    Break("no tag", "rule/operation-tag", lambda d: op(d, TEAMS).pop("tags")),
    Break(
        "undeclared tag",
        "operation-tag-defined",
        lambda d: op(d, TEAMS).__setitem__("tags", ["storage"]),
    ),
    Break(
        "no example for a reply",
        "rule/response-example",
        lambda d: reply_200(d, ALLOCATION).pop("examples"),
    ),
    Break(
        "a reply without content",
        "rule/response-content",
        lambda d: op(d, OVERVIEW)["responses"]["200"].pop("content"),
    ),
    Break(
        "no 5xx reply",
        "koodrive/error-responses",
        lambda d: op(d, ALLOCATION)["responses"].pop("500"),
    ),
    Break(
        "no 4xx reply",
        "koodrive/error-responses",
        lambda d: [op(d, INFO)["responses"].pop(status) for status in ("400", "401")],
    ),
    Break(
        "an error reply outside the envelope",
        "koodrive/error-responses",
        lambda d: op(d, USAGE)["responses"].__setitem__(
            "400",
            {
                "description": "Refused.",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"error": {"type": "string", "description": "Why."}},
                        },
                        "example": {"error": "no"},
                    }
                },
            },
        ),
    ),
    Break(
        "a property without description",
        "koodrive/property-description",
        lambda d: schema_properties(d, "SpaceQuotaUsage")["totalUsed"].pop("description"),
    ),
    Break(
        "a nested property without description",
        "koodrive/property-description",
        lambda d: schema_properties(d, "UsageByUserRequest")["userIds"].pop("description"),
    ),
    Break(
        "an example of the wrong type",
        "no-invalid-media-type-examples",
        lambda d: reply_200(d, OVERVIEW)["examples"]["seedExample"]["value"]["data"].__setitem__(
            "totalUsed", "a lot"
        ),
    ),
    Break(
        "an example with a misspelt field",
        "no-invalid-media-type-examples",
        lambda d: reply_200(d, OVERVIEW)["examples"]["tableShaped"]["value"].__setitem__(
            "mesage", "success"
        ),
    ),
    Break(
        "a request example breaking a bound",
        "no-invalid-media-type-examples",
        lambda d: op(d, USAGE)["requestBody"]["content"]["application/json"]["examples"][
            "userIdsOnly"
        ]["value"].__setitem__("userIds", []),
    ),
    Break(
        "a parameter example out of range",
        "no-invalid-parameter-examples",
        lambda d: _set_query_example(d, "limit", 500),
    ),
    Break(
        "a warning-level rule of recommended (tag without description)",
        "tag-description",
        lambda d: d["tags"][0].pop("description"),
    ),
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Problem]]:
    """Lint every broken copy, all in one Redocly run."""
    folder = tmp_path_factory.mktemp("broken-specs")
    paths = []
    for index, broken in enumerate(BREAKS):
        document = copy.deepcopy(spec())
        broken.apply(document)
        paths.append(folder / f"break-{index}.yaml")
        paths[-1].write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return {broken.name: problems for broken, problems in zip(BREAKS, lint_all(paths), strict=True)}


def test_the_spec_meets_the_bar_with_nothing_to_report() -> None:
    assert [str(problem) for problem in lint(SPEC_PATH)] == []


@pytest.mark.parametrize("broken", BREAKS, ids=lambda b: b.name)
def test_each_rule_reports_the_break_it_forbids(
    broken: Break, reports: dict[str, list[Problem]]
) -> None:
    assert broken.rule in {problem.rule for problem in reports[broken.name]}, [
        str(problem) for problem in reports[broken.name]
    ]


def test_make_lint_spec_fails_on_a_warning_alone(
    reports: dict[str, list[Problem]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (warning,) = reports[BREAKS[-1].name]
    assert warning.severity == "warn"
    document = copy.deepcopy(spec())
    BREAKS[-1].apply(document)
    path = tmp_path / "warn.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    assert main(["lint", str(path)]) == 1
    assert "tag-description" in capsys.readouterr().out
