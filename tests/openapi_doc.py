"""The spec file as test code sees it: loaded once, walked by ``koodrive_space.spec`` (the one
reader of the spec), with local ``$ref``s resolved on demand."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from koodrive_space import spec as spec_reader

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "koodrive-space.yaml"
HTTP_METHODS = spec_reader.HTTP_METHODS


@functools.cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def resolve(node: Any) -> Any:
    """Return ``node`` with every local ``$ref`` replaced by its target, recursively."""
    return spec_reader.resolve(node, spec())


@dataclass(frozen=True)
class Operation:
    """An operation as tests read it: its object as written (``body``) and its parameters."""

    operation_id: str
    method: str  # lower case, as the spec writes it
    path: str
    body: dict[str, Any]
    parameters: list[dict[str, Any]]  # path-level and the operation's own, $refs resolved


def operations() -> list[Operation]:
    return [
        Operation(
            op.operation_id, op.method.lower(), op.path, op.raw, resolve(list(op.raw_parameters))
        )
        for op in spec_reader.operations(spec())
    ]


def operation(operation_id: str) -> Operation:
    return next(op for op in operations() if op.operation_id == operation_id)


@dataclass(frozen=True)
class Example:
    """One example in the spec and the schema it must satisfy."""

    where: str
    schema: dict[str, Any]
    value: Any
    status: str | None = None


def examples() -> Iterator[Example]:
    for op in operations():
        for param in op.parameters:
            if "example" in param:
                yield Example(
                    f"{op.operation_id} parameter {param['name']}",
                    param["schema"],
                    param["example"],
                )
        content = resolve(op.body.get("requestBody", {})).get("content", {})
        for media in content.values():
            for name, ex in media.get("examples", {}).items():
                yield Example(f"{op.operation_id} request {name}", media["schema"], ex["value"])
        for status, response in op.body["responses"].items():
            for media in resolve(response).get("content", {}).values():
                for name, ex in media.get("examples", {}).items():
                    yield Example(
                        f"{op.operation_id} {status} {name}", media["schema"], ex["value"], status
                    )
