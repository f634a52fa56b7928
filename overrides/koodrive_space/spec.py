"""The spec as code reads it: operations, parameters and schemas, local ``$ref``s followed.

One reader for the hand-written layer, the tests and ``tools/spec_diff.py``. At run time it reads
``koodrive_space_client/openapi.json``, which ``make generate`` embeds in the generated package,
so the bounds enforced here (limit 1-100, 1-50 user IDs, ...) come from the spec itself.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JSON = dict[str, Any]
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


class SpecError(ValueError):
    """The document is not an OpenAPI document this reader can follow."""


@functools.cache
def document() -> JSON:
    """The spec embedded in the generated package."""
    import koodrive_space_client

    path = Path(koodrive_space_client.__file__).with_name("openapi.json")
    loaded: JSON = json.loads(path.read_text("utf-8"))
    return loaded


def version() -> str:
    """The spec's ``info.version``, which is also the package's (``koodrive_space.__version__``;
    pyproject.toml and CHANGELOG.md are kept equal to it, tests/test_version.py checks)."""
    return str(document()["info"]["version"])


def deref(node: Any, root: JSON) -> tuple[Any, tuple[str, ...]]:
    """``node`` with a chain of local ``$ref``s followed, and the refs followed."""
    refs: list[str] = []
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise SpecError(f"only local $refs are supported, not {ref!r}")
        if ref in refs:
            raise SpecError(f"$ref loop {' -> '.join([*refs, ref])}")
        refs.append(ref)
        node = root
        for raw in ref.removeprefix("#/").split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")  # JSON pointer escapes
            if not isinstance(node, dict) or part not in node:
                raise SpecError(f"$ref {ref!r} points at nothing")
            node = node[part]
    return node, tuple(refs)


def resolve(node: Any, root: JSON | None = None, _seen: tuple[str, ...] = ()) -> Any:
    """``node`` with every local ``$ref`` replaced by its target, recursively (default root:
    the embedded spec)."""
    root = document() if root is None else root
    node, refs = deref(node, root)
    if set(refs) & set(_seen):
        raise SpecError(f"$ref cycle through {sorted(set(refs) & set(_seen))}")
    seen = _seen + refs
    if isinstance(node, dict):
        return {key: resolve(value, root, seen) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(item, root, seen) for item in node]
    return node


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query or header
    required: bool
    schema: JSON  # resolved


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str
    raw: JSON = field(repr=False)  # the operation object as written ($refs kept)
    path_item: JSON = field(repr=False)
    # Path-level parameters first, overridden by the operation's own (OpenAPI 3.0), $ref followed.
    raw_parameters: tuple[JSON, ...] = field(repr=False)
    root: JSON = field(repr=False)

    @functools.cached_property
    def parameters(self) -> tuple[Parameter, ...]:
        return tuple(
            Parameter(p["name"], p["in"], bool(p.get("required")), resolve(p["schema"], self.root))
            for p in self.raw_parameters
        )

    @functools.cached_property
    def body_schema(self) -> JSON | None:
        body = self.raw.get("requestBody")
        return _json_schema(resolve(body, self.root)) if body is not None else None

    def reply_schema(self, status: int | str) -> JSON | None:
        """The JSON schema of the reply with this status, or None when the spec has none."""
        response = self.raw.get("responses", {}).get(str(status))
        return _json_schema(resolve(response, self.root)) if response is not None else None

    @functools.cached_property
    def path_pattern(self) -> re.Pattern[str]:
        parts = re.split(r"\{(\w+)\}", self.path)
        return re.compile(
            "".join(f"(?P<{p}>[^/]*)" if i % 2 else re.escape(p) for i, p in enumerate(parts))
            + "/?"
        )


def _json_schema(node: JSON) -> JSON | None:
    media = node.get("content", {}).get("application/json")
    return None if media is None else media.get("schema")


def parameter_key(param: JSON) -> tuple[str, str]:
    """Header names are case-insensitive: ``X-Traceid`` and ``x-traceid`` are one parameter."""
    name = str(param.get("name"))
    return str(param.get("in")), name.lower() if param.get("in") == "header" else name


def operations(root: JSON | None = None) -> tuple[Operation, ...]:
    """Every operation of ``root`` (default: the embedded spec), literal paths first, so that
    ``/space/teamList`` is never read as getSpaceInfo with ownerId ``teamList``."""
    if root is None:
        return _embedded_operations()
    found: list[Operation] = []
    for path, raw_item in root.get("paths", {}).items():
        item, _ = deref(raw_item, root)
        for method in HTTP_METHODS:
            if method not in item:
                continue
            raw, _ = deref(item[method], root)
            merged: dict[tuple[str, str], JSON] = {}
            for ref in [*item.get("parameters", []), *raw.get("parameters", [])]:
                param, _ = deref(ref, root)
                merged[parameter_key(param)] = param
            op_id = str(raw.get("operationId", f"{method.upper()} {path}"))
            found.append(
                Operation(op_id, method.upper(), path, raw, item, tuple(merged.values()), root)
            )
    found.sort(key=lambda op: "{" in op.path)
    return tuple(found)


@functools.cache
def _embedded_operations() -> tuple[Operation, ...]:
    return operations(document())


def operation(operation_id: str, root: JSON | None = None) -> Operation:
    for op in operations(root):
        if op.operation_id == operation_id:
            return op
    raise SpecError(f"the spec has no operation {operation_id!r}")


def match(method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    """The embedded spec's operation at ``path``, and its path values (still percent-encoded)."""
    for op in _embedded_operations():
        if op.method == method:
            found = op.path_pattern.fullmatch(path)
            if found:
                return op, found.groupdict()
    return None


def bound(operation_id: str, name: str, keyword: str) -> int:
    """A bound (``maximum``, ``maxItems``, ...) of a parameter or body field, from the spec."""
    op = operation(operation_id)
    if op.body_schema is not None and name in op.body_schema.get("properties", {}):
        return int(op.body_schema["properties"][name][keyword])
    return int(next(p for p in op.parameters if p.name == name).schema[keyword])
