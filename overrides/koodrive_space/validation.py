"""Checks compiled from the spec's schemas: requests before they are sent, replies before parsing.

Requests are checked strictly (every bound, enum and length the spec states), so a call the
service would refuse fails here with a message naming the parameter and the bound. Replies are
checked structurally (types, required fields, objects versus arrays), which is what the
generated parsers rely on; a pattern or bound the service does not honour is not made fatal.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, unquote_plus

import httpx

from koodrive_space import spec
from koodrive_space.errors import RequestValidationError

Check = Callable[[Any, str], None]


class SchemaViolation(Exception):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where} {problem}")
        self.where = where
        self.problem = problem


_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}


def _child(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def compile_schema(schema: spec.JSON, *, strict: bool) -> Check:
    """A function that raises ``SchemaViolation`` when a value breaks ``schema``."""
    checks: list[Check] = []
    kind = schema.get("type")
    if kind is not None:
        is_kind = _TYPES[kind]

        def check_type(value: Any, where: str) -> None:
            if not is_kind(value):
                raise SchemaViolation(where, f"must be {kind_name}, not {type(value).__name__}")

        kind_name = {"object": "an object", "array": "an array", "integer": "an integer"}.get(
            kind, f"a {kind}"
        )
        checks.append(check_type)
    for branch in schema.get("allOf", []):
        checks.append(compile_schema(branch, strict=strict))
    if "oneOf" in schema:
        branches = [compile_schema(b, strict=strict) for b in schema["oneOf"]]

        def check_one_of(value: Any, where: str) -> None:
            matched = 0
            for branch_check in branches:
                try:
                    branch_check(value, where)
                except SchemaViolation:
                    continue
                matched += 1
            if matched == 0 or (strict and matched > 1):
                raise SchemaViolation(where, "matches none of the forms the spec allows")

        checks.append(check_one_of)
    properties = {
        name: compile_schema(sub, strict=strict)
        for name, sub in schema.get("properties", {}).items()
    }
    required = tuple(schema.get("required", ()))
    if properties or required:

        def check_object(value: Any, where: str) -> None:
            if not isinstance(value, dict):
                return
            for name in required:
                if name not in value:
                    raise SchemaViolation(_child(where, name), "is required")
            for name, sub_check in properties.items():
                if name in value:
                    sub_check(value[name], _child(where, name))

        checks.append(check_object)
    if "items" in schema:
        item_check = compile_schema(schema["items"], strict=strict)

        def check_items(value: Any, where: str) -> None:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    item_check(item, f"{where}[{index}]")

        checks.append(check_items)
    if strict:
        checks.extend(_bounds(schema))
    if len(checks) == 1:
        return checks[0]

    def check_all(value: Any, where: str) -> None:
        for each in checks:
            each(value, where)

    return check_all


def _bounds(schema: spec.JSON) -> list[Check]:
    checks: list[Check] = []

    def bound(test: Callable[[Any], bool], applies: type | tuple[type, ...], problem: str) -> None:
        def check(value: Any, where: str) -> None:
            if isinstance(value, applies) and not isinstance(value, bool) and not test(value):
                raise SchemaViolation(where, f"{problem} (got {_show(value)})")

        checks.append(check)

    number = (int, float)
    if "minimum" in schema:
        low = schema["minimum"]
        bound(lambda v: v >= low, number, f"must be at least {low}")
    if "maximum" in schema:
        high = schema["maximum"]
        bound(lambda v: v <= high, number, f"must be at most {high}")
    if "minLength" in schema:
        shortest = schema["minLength"]
        bound(
            lambda v: len(v) >= shortest,
            str,
            "must not be empty"
            if shortest == 1
            else f"must be at least {shortest} characters long",
        )
    if "maxLength" in schema:
        longest = schema["maxLength"]
        bound(lambda v: len(v) <= longest, str, f"must be at most {longest} characters long")
    if "minItems" in schema:
        fewest = schema["minItems"]
        bound(lambda v: len(v) >= fewest, list, f"must have at least {fewest} items")
    if "maxItems" in schema:
        most = schema["maxItems"]
        bound(lambda v: len(v) <= most, list, f"must have at most {most} items")
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        bound(lambda v: pattern.search(v) is not None, str, f"must match {schema['pattern']}")
    if "enum" in schema:
        allowed = schema["enum"]
        bound(lambda v: v in allowed, object, f"must be one of {allowed}")
    return checks


def _show(value: Any) -> str:
    if isinstance(value, list):
        return f"{len(value)} items"
    if isinstance(value, str):
        return f"{len(value)} characters" if len(value) > 20 else repr(value)
    return repr(value)


# Exact classes json.loads produces for each JSON type: `type(v) in classes` is one fast test
# and, unlike isinstance, does not let True pass for an integer.
_CLASSES: dict[str, frozenset[type]] = {
    "object": frozenset({dict}),
    "array": frozenset({list}),
    "string": frozenset({str}),
    "integer": frozenset({int}),
    "number": frozenset({int, float}),
    "boolean": frozenset({bool}),
}
_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _leaf_classes(schema: spec.JSON) -> frozenset[type] | None:
    """The classes a schema with no nested structure admits; None when it has structure."""
    if "properties" in schema or "items" in schema:
        return None
    branches = schema.get("oneOf") or schema.get("anyOf") or schema.get("allOf")
    if branches:
        found: frozenset[type] = frozenset()
        for branch in branches:
            classes = _leaf_classes(branch)
            if classes is None:
                return None
            found |= classes
        return found
    kind = schema.get("type")
    return _CLASSES[kind] if kind in ("string", "integer", "number", "boolean") else None


def compile_reply(schema: spec.JSON) -> Check:
    """A structural check for replies: JSON types, required fields, objects versus arrays.

    Compiled to one loop per object (replies can hold hundreds of records, checked on every
    call); bounds, patterns and enums are not checked (see the module docstring).
    """
    leaf = _leaf_classes(schema)
    if leaf is not None:
        expected = " or ".join(sorted(_NAMES[c] for c in leaf))

        def check_leaf(value: Any, where: str) -> None:
            if type(value) not in leaf:
                raise SchemaViolation(where, f"must be {expected}, not {_NAMES.get(type(value))}")

        return check_leaf
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches:
        checks = [compile_reply(branch) for branch in branches]

        def check_branches(value: Any, where: str) -> None:
            for each in checks:
                try:
                    each(value, where)
                except SchemaViolation:
                    continue
                return
            raise SchemaViolation(where, "matches none of the forms the spec allows")

        return check_branches
    if "allOf" in schema:
        parts = [compile_reply(part) for part in schema["allOf"]]

        def check_parts(value: Any, where: str) -> None:
            for each in parts:
                each(value, where)

        return check_parts
    if schema.get("type") == "array" or "items" in schema:
        item_check = compile_reply(schema.get("items", {}))

        def check_array(value: Any, where: str) -> None:
            if type(value) is not list:
                raise SchemaViolation(where, f"must be an array, not {_NAMES.get(type(value))}")
            try:
                for item in value:
                    item_check(item, where)
            except SchemaViolation:
                # Only now spell out which item: formatting "teams[7]" for every record of
                # every page would cost more than checking it.
                for index, item in enumerate(value):
                    item_check(item, f"{where}[{index}]")
                raise

        return check_array
    if schema.get("type") != "object" and "properties" not in schema:
        return lambda value, where: None  # no type: anything goes
    leaves: dict[str, frozenset[type]] = {}
    nested: dict[str, Check] = {}
    for name, sub in schema.get("properties", {}).items():
        classes = _leaf_classes(sub)
        if classes is not None:
            leaves[name] = classes
        else:
            nested[name] = compile_reply(sub)
    required = tuple(schema.get("required", ()))

    def check_object(value: Any, where: str) -> None:
        if type(value) is not dict:
            raise SchemaViolation(where, f"must be an object, not {_NAMES.get(type(value))}")
        for name in required:
            if name not in value:
                raise SchemaViolation(_child(where, name), "is required")
        for name, item in value.items():
            classes = leaves.get(name)
            if classes is not None:
                if type(item) not in classes:  # rare: build the message on the slow path
                    compile_reply(schema["properties"][name])(item, _child(where, name))
            elif name in nested:
                nested[name](item, _child(where, name))

    if nested:
        return check_object
    return _remembering_shapes(check_object)


# Distinct record shapes remembered per schema; real replies show a handful (fields present or
# not, a number sent as a string), so the bound only stops a hostile server growing memory.
_SHAPES_KEPT = 64


def _remembering_shapes(check_object: Check) -> Check:
    """``check_object`` for a record whose fields are all leaves, run once per record *shape*.

    A record's validity depends only on its field names and the classes of their values (the
    structural check reads nothing else), so a page of records sharing one shape costs one full
    check and, for the rest, a comparison done in C.
    """
    Shape = tuple[tuple[str, ...], tuple[type, ...]]
    valid: set[Shape] = set()
    # The last shape seen: records of one reply share their key strings (json.loads reuses
    # them), so comparing with it is mostly identity tests, cheaper than hashing for the set.
    last: list[Shape] = [((), ())]

    def check_record(value: Any, where: str) -> None:
        if type(value) is dict:
            shape = (tuple(value), tuple(map(type, value.values())))
            if shape == last[0]:
                return
            if shape not in valid:
                check_object(value, where)
                if len(valid) < _SHAPES_KEPT:
                    valid.add(shape)
            last[0] = shape
        else:
            check_object(value, where)

    return check_record


@functools.cache
def reply_check(operation_id: str, success: bool) -> Check:
    op = next(o for o in spec.operations() if o.operation_id == operation_id)
    return compile_reply(op.reply_schema if success else op.error_schema)


def _query(raw: str) -> dict[str, str]:
    """The query's names and values, decoded as ``httpx.URL.params`` decodes them (``+`` is a
    space); the first value of a repeated name. Done by hand: building ``params`` costs more
    than the whole check."""
    found: dict[str, str] = {}
    for part in raw.split("&"):
        if part:
            name, _, value = part.partition("=")
            if "%" in part or "+" in part:
                name, value = unquote_plus(name), unquote_plus(value)
            found.setdefault(name, value)
    return found


def _as_integer(raw: str) -> Any:
    """A query value the spec types as an integer, or the text when it is not one."""
    try:
        return int(raw)
    except ValueError:
        return raw  # reported as "must be an integer"


RequestCheck = Callable[[httpx.Request, dict[str, str]], None]


def _compile_request_check(op: spec.Operation) -> RequestCheck:
    """One function checking every parameter and the body of ``op``'s requests."""
    rules = [
        (
            p.location,
            p.name,
            p.required,
            p.location == "query" and spec.resolve(p.schema).get("type") == "integer",
            compile_schema(spec.resolve(p.schema), strict=True),
        )
        for p in op.parameters
    ]
    body_check = compile_schema(op.body_schema, strict=True) if op.body_schema else None

    def check(request: httpx.Request, path_values: dict[str, str]) -> None:
        query = _query(request.url.query.decode("ascii")) if request.url.query else {}
        headers = request.headers
        for location, name, required, integer, value_check in rules:
            raw: str | None
            if location == "path":
                raw = unquote(path_values[name])
            elif location == "query":
                raw = query.get(name)
            else:
                raw = headers.get(name)
            if raw is None:
                if required:
                    _refuse(op, name, f"{name} is required")
                continue
            try:
                value_check(_as_integer(raw) if integer else raw, name)
            except SchemaViolation as problem:
                _refuse(op, name, str(problem))
        if body_check is not None:
            try:
                body = json.loads(request.content)
            except ValueError as problem:
                raise RequestValidationError(
                    f"the request body is not JSON: {problem}",
                    parameter="body",
                    operation=op.operation_id,
                ) from problem
            try:
                body_check(body, "")
            except SchemaViolation as problem:
                _refuse(op, problem.where or "body", str(problem).strip())

    return check


_request_checks: dict[str, RequestCheck] = {}


def check_request(request: httpx.Request) -> spec.Operation | None:
    """Raise ``RequestValidationError`` when ``request`` breaks its operation's bounds.

    Returns the operation, or None for a path the spec does not know (sent unchecked).
    """
    matched = spec.match(request.method, request.url.path)
    if matched is None:
        return None
    op, path_values = matched
    check = _request_checks.get(op.operation_id)
    if check is None:
        check = _request_checks[op.operation_id] = _compile_request_check(op)
    check(request, path_values)
    return op


def _refuse(op: spec.Operation, parameter: str, message: str) -> None:
    raise RequestValidationError(
        f"{message}; nothing was sent", parameter=parameter, operation=op.operation_id
    )
