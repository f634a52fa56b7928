"""The spec as the client sees it at run time: ``koodrive_space_client/openapi.json``.

``make generate`` embeds the spec in the generated package, so the bounds enforced here (limit
1-100, 1-50 user IDs, ...) come from the spec itself, never from numbers copied into code.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

JSON = dict[str, Any]


@functools.cache
def document() -> JSON:
    text = resources.files("koodrive_space_client").joinpath("openapi.json").read_text("utf-8")
    loaded: JSON = json.loads(text)
    return loaded


def version() -> str:
    """The spec's ``info.version``, which is also the package's (``koodrive_space.__version__``;
    pyproject.toml and CHANGELOG.md are kept equal to it, tests/test_version.py checks)."""
    return str(document()["info"]["version"])


def resolve(node: Any, root: JSON | None = None) -> Any:
    """``node`` with every local ``$ref`` replaced by its target in ``root`` (default: the
    embedded spec), recursively."""
    if root is None:
        root = document()
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = root
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return resolve(target, root)
        return {key: resolve(value, root) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(item, root) for item in node]
    return node


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query or header
    required: bool
    schema: JSON


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    path_pattern: re.Pattern[str]
    parameters: tuple[Parameter, ...]
    body_schema: JSON | None
    reply_schema: JSON
    error_schema: JSON


def _path_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        f"(?P<{part}>[^/]*)" if i % 2 else re.escape(part) for i, part in enumerate(parts)
    )
    return re.compile(regex + "/?")


def _json_schema(node: JSON) -> JSON:
    schema: JSON = resolve(node["content"]["application/json"]["schema"])
    return schema


@functools.cache
def operations() -> tuple[Operation, ...]:
    found: list[Operation] = []
    for path, item in document()["paths"].items():
        for method, op in item.items():
            params = tuple(
                Parameter(p["name"], p["in"], p.get("required", False), p["schema"])
                for p in resolve(op.get("parameters", []))
            )
            body = op.get("requestBody")
            responses = op["responses"]
            found.append(
                Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    path_pattern=_path_pattern(path),
                    parameters=params,
                    body_schema=_json_schema(resolve(body)) if body else None,
                    reply_schema=_json_schema(resolve(responses["200"])),
                    error_schema=_json_schema(resolve(responses["400"])),
                )
            )
    # Literal paths before templated ones: /space/teamList is not getSpaceInfo("teamList").
    found.sort(key=lambda op: "{" in op.path)
    return tuple(found)


def match(method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    """The operation a request targets, and its path parameters (still percent-encoded)."""
    for op in operations():
        if op.method == method:
            found = op.path_pattern.fullmatch(path)
            if found:
                return op, found.groupdict()
    return None
