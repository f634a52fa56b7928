"""The spec's schemas as compiled validators (jsonschema-rs): requests before they are sent,
replies before they are parsed, with messages that name the field and the bound.

One engine for the client and the emulator (tests/emulator/ builds its checks with
``validator``). OpenAPI 3.0 schemas are JSON Schema draft 4 plus a few keywords; ``_draft4``
turns those into draft 4: ``format: int32``/``int64`` become bounds, ``nullable`` a null type.
"""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

import httpx

from koodrive_space import signing, spec
from koodrive_space.errors import RequestValidationError

if TYPE_CHECKING:
    from jsonschema_rs import ValidationError, Validator

# Longest request target (path and query) sent; front ends commonly refuse more (nginx's
# default buffers are 8 KiB), and KooDrive documents no larger one.
MAX_TARGET_BYTES = 8192
_INTEGER_TEXT = re.compile(r"-?[0-9]{1,4000}")  # int() refuses 4,300 digits and more
_BOOLEAN_TEXT = {"true": True, "false": False}
_FORMAT_BOUNDS = {"int32": 2**31, "int64": 2**63}
_TEMPLATE_NAME = re.compile(r"\{[^}]*\}")
_BAD_HEADER_BYTES = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
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
        branches = [branch[0] for branch in details["context"] if len(branch) == 1]
        if len(branches) == len(details["context"]) and all(
            b.kind.name == "type" for b in branches
        ):
            types = [
                _TYPE_NAMES.get(t, f"a {t}") for b in branches for t in b.kind.as_dict()["types"]
            ]
            return f"must be {' or '.join(types)}, not {_KINDS.get(type(value), 'that')}"
        forms = "; or ".join(
            ", ".join(_phrase(inner) for inner in branch) for branch in details["context"]
        )
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
    if check.is_valid(value):
        return None
    error = next(iter(check.iter_errors(value)))
    path = error.instance_path
    if error.kind.name == "required":
        path = [*path, error.kind.as_dict()["property"]]
    place = where + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    place = place.lstrip(".") or "body"
    return Problem(place, f"{place} {_phrase(error)}")


# -- requests ------------------------------------------------------------------------------


def _refuse(op: spec.Operation | None, parameter: str, message: str) -> RequestValidationError:
    return RequestValidationError(
        f"{message}; nothing was sent",
        parameter=parameter,
        operation=op.operation_id if op else None,
    )


class _Rules(NamedTuple):
    """An operation's request checks, compiled once: one validator over all its parameters (by
    name, so a problem's place is the parameter) and one over its body."""

    query: tuple[tuple[str, bool], ...]  # name, typed as an integer
    headers: tuple[str, ...]
    parameters: Validator
    body: Validator | None


@functools.cache
def _rules(operation_id: str) -> _Rules:
    op = spec.operation(operation_id)
    params = op.parameters
    if len({p.name for p in params}) != len(params):
        raise spec.SpecError(f"{operation_id}: parameters in two places share a name")
    combined: spec.JSON = {"type": "object", "properties": {p.name: p.schema for p in params}}
    if any(p.required for p in params):  # draft 4 wants a non-empty list, or none
        combined["required"] = [p.name for p in params if p.required]
    return _Rules(
        tuple((p.name, p.schema.get("type") == "integer") for p in params if p.location == "query"),
        tuple(p.name for p in params if p.location == "header"),
        validator(combined),
        validator(op.body_schema) if op.body_schema is not None else None,
    )


def _typed(text: str) -> Any:
    """A query value the spec types as an integer, as the integer (``true``/``false`` as a
    boolean, so a ``limit=True`` is refused as a boolean); other text as it is."""
    if _INTEGER_TEXT.fullmatch(text):
        return int(text)
    return _BOOLEAN_TEXT.get(text, text)


@functools.cache
def _by_template() -> dict[tuple[str, str], spec.Operation]:
    return {(op.method, _TEMPLATE_NAME.sub("{}", op.path)): op for op in spec.operations()}


def operation_named(extensions: dict[str, Any]) -> spec.Operation | None:
    """The operation the generated code names in a request's ``openapi_operation`` extension
    (its path template has Python names)."""
    named = extensions.get("openapi_operation")
    return None if named is None else _by_path(named["method"], named["path"])


@functools.lru_cache(maxsize=64)
def _by_path(method: str, template: str) -> spec.Operation:
    return _by_template()[(method.upper(), _TEMPLATE_NAME.sub("{}", template))]


def _locate(request: httpx.Request, base_path: str) -> tuple[spec.Operation, dict[str, Any]]:
    """The operation a request targets and its path values: named by the generated code, else
    found from the URL's path below ``base_path`` (a gateway's prefix)."""
    op = operation_named(request.extensions)
    if op is not None:
        values: dict[str, Any] = request.extensions["openapi_operation"]["path_parameters"]
        for name, value in values.items():
            if value in (".", ".."):
                raise _refuse(op, name, f"{name} must not be {value!r} (the URL would change)")
        return op, values
    path = request.url.path
    if base_path and path.startswith(base_path):
        path = path[len(base_path) :] or "/"
    matched = spec.match(request.method, path)
    if matched is None:
        raise _refuse(
            None,
            "url",
            f"{request.method} {request.url.path} is not an operation of the KooDrive Space "
            "Management spec",
        )
    op, encoded = matched
    return op, {name: unquote(value) for name, value in encoded.items()}


def unbuildable(options: dict[str, Any], problem: Exception) -> RequestValidationError:
    """httpx could not build a request from these arguments: name the one at fault."""
    op = operation_named(options.get("extensions") or {})
    name, message = "request", f"the request could not be built ({problem})"
    for header, value in (options.get("headers") or {}).items():
        if not isinstance(value, str) or not value.isascii():
            name, message = header, f"{header} must be ASCII text (it is sent as a header)"
    params = options.get("params") or {}
    if isinstance(problem, httpx.InvalidURL) and params:
        name = max(params, key=lambda key: len(str(params[key])))
        message = f"{name} is {len(str(params[name]))} characters, too long for a URL"
    return _refuse(op, name, message)


def check_request(request: httpx.Request, base_path: str = "") -> spec.Operation:
    """The operation ``request`` calls; ``RequestValidationError`` when it breaks a bound of
    the spec, a header is unsendable or the URL is too long, before anything is sent."""
    op, path_values = _locate(request, base_path)
    if len(request.url.raw_path) > MAX_TARGET_BYTES:
        name, longest = max(request.url.params.multi_items(), key=lambda p: len(p[1]))
        raise _refuse(
            op,
            name,
            f"{name} is {len(longest)} characters: the URL would be "
            f"{len(request.url.raw_path)} bytes, more than the {MAX_TARGET_BYTES} sent at most",
        )
    if _BAD_HEADER_BYTES.search(b"".join([value for _, value in request.headers.raw])):
        bad = next(n for n, v in request.headers.raw if _BAD_HEADER_BYTES.search(v)).decode()
        raise _refuse(op, bad, f"header {bad} holds a control character")
    rules = _rules(op.operation_id)
    values = dict(path_values)  # as the caller gave them: None is a value, not an absence
    query: dict[str, str] = {}
    for raw_name, raw_value in signing.split_query(request.url.query):
        query.setdefault(signing.form_decode(raw_name), signing.form_decode(raw_value))
    for name, integer in rules.query:
        if name in query:
            values[name] = _typed(query[name]) if integer else query[name]
    for name in rules.headers:
        header = request.headers.get(name)
        if header is not None:
            if not header.isascii():
                raise _refuse(op, name, f"{name} must be ASCII (it is sent as a header)")
            values[name] = header
    found = problem(rules.parameters, values, "")
    if found is not None:
        raise _refuse(op, found.top, found.message)
    if rules.body is not None:
        try:
            body = json.loads(request.content)
        except ValueError as error:
            raise _refuse(op, "body", f"the request body is not JSON: {error}") from error
        found = problem(rules.body, body, "")
        if found is not None:
            raise _refuse(op, found.top, found.message)
    return op


# -- replies -------------------------------------------------------------------------------


@functools.cache
def _reply_check(operation_id: str, success: bool) -> Validator:
    if success:
        schema = spec.operation(operation_id).reply_schema(200)
    else:
        schema = spec.resolve({"$ref": "#/components/schemas/ErrorResponse"})
    return validator(schema or {})


def reply_problem(op: spec.Operation, success: bool, body: Any) -> Problem | None:
    """Why ``body`` is not the reply the spec gives (a success or an error envelope), or None."""
    return problem(_reply_check(op.operation_id, success), body, "reply")
