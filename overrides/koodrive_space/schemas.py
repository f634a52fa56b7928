"""The spec's schemas as compiled validators (jsonschema-rs), and messages that name the field
and the bound: ``reply.teams[3].capacity must be an integer, not a string``.

One engine for the client and the emulator (tests/emulator/ builds its checks with
``validator``). OpenAPI 3.0 schemas are JSON Schema draft 4 plus a few keywords; ``_draft4``
turns those into draft 4: ``format: int32``/``int64`` become bounds, ``nullable`` a null type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from koodrive_space import spec

if TYPE_CHECKING:
    from jsonschema_rs import ValidationError, Validator

_FORMAT_BOUNDS = {"int32": 2**31, "int64": 2**63}
_KINDS = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}
_TYPE_NAMES = {"object": "an object", "array": "an array", "integer": "an integer"}


def _draft4(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_draft4(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: _draft4(value) for key, value in schema.items() if key != "example"}
    limit = _FORMAT_BOUNDS.get(schema.get("format", ""))
    if limit is not None and schema.get("type") == "integer":
        converted["minimum"] = max(converted.get("minimum", -limit), -limit)
        converted["maximum"] = min(converted.get("maximum", limit - 1), limit - 1)
    if converted.pop("nullable", False) and "type" in converted:
        converted["type"] = [converted["type"], "null"]
    return converted


def validator(schema: spec.JSON) -> Validator:
    """A compiled validator for an OpenAPI 3.0 schema with its ``$ref``s resolved."""
    import jsonschema_rs  # here: only a first check pays its import

    return jsonschema_rs.Draft4Validator(_draft4(schema))


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list) else 0


def _show(value: Any) -> str:
    if isinstance(value, list):
        return f"{len(value)} items"
    if isinstance(value, str) and len(value) > 40:
        return f"{len(value)} characters"
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)


def _phrase(error: ValidationError) -> str:
    """What ``error`` says is wrong, as the end of a sentence naming the field."""
    kind, details, value = error.kind.name, error.kind.as_dict(), error.instance
    if kind == "type":
        wanted = " or ".join(_TYPE_NAMES.get(t, f"a {t}") for t in details["types"])
        return f"must be {wanted}, not {_KINDS.get(type(value), 'that')}"
    if kind == "required":
        return "is required"
    limit = details.get("limit")
    plural = "" if limit == 1 else "s"
    described = {
        "maximum": (f"must be at most {limit}", value),
        "minimum": (f"must be at least {limit}", value),
        "maxItems": (f"must have at most {limit} item{plural}", _size(value)),
        "minItems": (f"must have at least {limit} item{plural}", _size(value)),
        "maxLength": (f"must be at most {limit} character{plural} long", _size(value)),
        "minLength": (
            "must not be empty" if limit == 1 else f"must be at least {limit} characters long",
            _size(value),
        ),
        "pattern": (f"must match {details.get('pattern')}", _show(value)),
        "enum": (f"must be one of {details.get('options')}", _show(value)),
    }.get(kind)
    if described is not None:
        return f"{described[0]} (got {described[1]})"
    if kind in ("oneOf", "anyOf"):
        branches = details["context"]
        types = [
            e.kind.as_dict()["types"]
            for branch in branches
            for e in branch
            if e.kind.name == "type"
        ]
        if len(types) == len(branches):  # every form wants another type: name the types
            names = dict.fromkeys(_TYPE_NAMES.get(t, f"a {t}") for group in types for t in group)
            return f"must be {' or '.join(names)}, not {_KINDS.get(type(value), 'that')}"
        forms = "; or ".join(", ".join(_phrase(inner) for inner in branch) for branch in branches)
        return f"matches none of the forms the spec allows ({forms})"
    return str(error.message)


class Problem(NamedTuple):
    place: str  # the field: "reply.teams[3].capacity", "userIds", "limit"
    message: str  # the place and what is wrong with it

    @property
    def top(self) -> str:
        """The top-level name of the place: ``userIds`` for ``userIds[3]``."""
        return re.split(r"[.\[]", self.place, maxsplit=1)[0]


def problem(check: Validator, value: Any, where: str) -> Problem | None:
    """None when ``value`` passes, else the first problem: ``reply.teams[3].capacity must be
    an integer, not a string``. Only a failing value pays for the message."""
    try:
        if check.is_valid(value):
            return None
        error = next(iter(check.iter_errors(value)))
    except ValueError as trouble:  # jsonschema-rs stops at 256 levels: "Recursion limit reached"
        place = where or "body"
        return Problem(place, f"{place} nests too deeply to check ({trouble})")
    path = error.instance_path
    if error.kind.name == "required":
        path = [*path, error.kind.as_dict()["property"]]
    place = place_of(where, path)
    return Problem(place, f"{place} {_phrase(error)}")


def place_of(where: str, path: Iterable[str | int]) -> str:
    """A field's place in messages: ``reply.teams[3].capacity``; the whole of it is ``body``."""
    place = where + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return place.lstrip(".") or "body"
