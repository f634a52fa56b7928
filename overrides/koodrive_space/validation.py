"""The spec's checks around a call: a request before it is sent (its operation, parameters,
body, headers and length), a reply before it is parsed. Failures name the parameter or field
and the bound; the validators and messages are ``schemas.py``'s.
"""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, unquote

import httpx

from koodrive_space import signing, spec
from koodrive_space.errors import RequestValidationError, whole_number
from koodrive_space.schemas import Problem, place_of, problem, validator

if TYPE_CHECKING:
    from jsonschema_rs import Validator

# Longest request target (path and query) sent; front ends commonly refuse more (nginx's
# default buffers are 8 KiB), and KooDrive documents no larger one.
MAX_TARGET_BYTES = 8192
_BOOLEAN_TEXT = {"true": True, "false": False}
_TEMPLATE_NAME = re.compile(r"\{[^}]*\}")
_BAD_HEADER_BYTES = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


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
    headers: dict[bytes, str]  # lower-case name on the wire -> the spec's name
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
        {p.name.lower().encode(): p.name for p in params if p.location == "header"},
        validator(combined),
        validator(op.body_schema) if op.body_schema is not None else None,
    )


def typed(text: str) -> Any:
    """A query value the spec types as an integer, as the integer (``true``/``false`` as a
    boolean, so a ``limit=True`` is refused as a boolean); other text as it is, for the
    validator to refuse by name (the client's checks and the emulator's)."""
    number = whole_number(text)
    return number if number is not None else _BOOLEAN_TEXT.get(text, text)


@functools.cache
def _by_template() -> dict[tuple[str, str], spec.Operation]:
    return {(op.method, _TEMPLATE_NAME.sub("{}", op.path)): op for op in spec.operations()}


def operation_named(extensions: dict[str, Any]) -> spec.Operation | None:
    """The operation the generated code names in a request's ``openapi_operation`` extension
    (its path template has Python names)."""
    named: Any = extensions.get("openapi_operation")
    try:
        return _by_path(named["method"], named["path"])
    except (KeyError, TypeError, AttributeError):  # absent, or not what the generated code puts
        return None


@functools.lru_cache(maxsize=64)
def _by_path(method: str, template: str) -> spec.Operation:
    return _by_template()[(method.upper(), _TEMPLATE_NAME.sub("{}", template))]


def _locate(request: httpx.Request, base_path: str) -> tuple[spec.Operation, dict[str, Any]]:
    """The operation a request targets and its path values: named by the generated code, else
    found from the URL's path below ``base_path`` (a gateway's prefix)."""
    op = operation_named(request.extensions)
    values = request.extensions.get("openapi_operation", {}).get("path_parameters")
    if op is not None and isinstance(values, dict):
        texts = {}
        for name, value in values.items():
            if not isinstance(value, str):
                kind = "null" if value is None else type(value).__name__
                raise _refuse(op, name, f"{name} must be a string, not {kind}")
            text = str(value)  # what the URL holds (a str subclass or enum may differ)
            if not is_unicode(text):
                raise _refuse(op, name, f"{name} {_NOT_UNICODE}")
            if text in (".", ".."):
                raise _refuse(op, name, f"{name} must not be {text!r} (the URL would change)")
            texts[name] = text
        return op, texts
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


_NOT_UNICODE = "is not Unicode text (it holds a lone surrogate), so it cannot be sent"


def is_unicode(text: str) -> bool:
    """False for text holding a lone surrogate (half of a UTF-16 pair), which UTF-8 cannot carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_unicode_in(value: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where in a JSON body a string (or key) holds a lone surrogate, or None."""
    if isinstance(value, str):
        return None if is_unicode(value) else path
    if isinstance(value, dict):
        for key, item in value.items():
            inner = (*path, key if isinstance(key, str) and is_unicode(key) else ascii(key))
            found = _not_unicode_in(key, inner) or _not_unicode_in(item, inner)
            if found is not None:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _not_unicode_in(item, (*path, index))
            if found is not None:
                return found
    return None


def unbuildable(options: dict[str, Any], problem: Exception) -> RequestValidationError:
    """httpx could not build a request from these arguments: name the one at fault."""
    op = operation_named(options.get("extensions") or {})
    name, message = "request", f"the request could not be built ({problem})"
    for header, value in (options.get("headers") or {}).items():
        if not isinstance(value, str) or not value.isascii():
            name, message = header, f"{header} must be ASCII text (it is sent as a header)"
    if isinstance(problem, RecursionError):
        name, message = "body", "the body cannot be sent as JSON: it nests too deeply"
    elif type(problem) is ValueError and options.get("json") is not None:
        hint = " (NaN and Infinity are not JSON)" if "Out of range float" in str(problem) else ""
        name, message = "body", f"the body cannot be sent as JSON: {problem}{hint}"
    params = options.get("params") or {}
    if isinstance(problem, UnicodeEncodeError):
        for key, value in params.items():
            if isinstance(value, str) and not is_unicode(value):
                name, message = key, f"{key} {_NOT_UNICODE}"
        try:
            path = _not_unicode_in(options.get("json"))
        except RecursionError:  # nested deeper than Python recurses: not named, still refused
            path = ()
        if path is not None:
            place = place_of("", path) if path else "it"
            name, message = "body", f"the body cannot be sent as JSON: {place} {_NOT_UNICODE}"
    if isinstance(problem, httpx.InvalidURL) and params:
        name = max(params, key=lambda key: len(str(params[key])))
        message = f"{name} is {len(str(params[name]))} characters, too long for a URL"
    return _refuse(op, name, message)


def check_request(request: httpx.Request, base_path: str = "") -> spec.Operation:
    """The operation ``request`` calls; ``RequestValidationError`` when it breaks a bound of
    the spec, a header is unsendable or the URL is too long, before anything is sent."""
    op, path_values = _locate(request, base_path)
    if len(request.url.raw_path) > MAX_TARGET_BYTES:
        parts = [*request.url.params.multi_items(), *path_values.items(), ("path", "")]
        sizes = {name: len(quote(value, safe="")) for name, value in parts}
        name = max(sizes, key=sizes.__getitem__)
        raise _refuse(
            op,
            name,
            f"{name} takes {sizes[name]} bytes of the URL, which would be "
            f"{len(request.url.raw_path)} bytes, more than the {MAX_TARGET_BYTES} sent at most",
        )
    raw = request.headers.raw
    if _BAD_HEADER_BYTES.search(b"".join([value for _, value in raw])):
        bad = next(n for n, v in raw if _BAD_HEADER_BYTES.search(v)).decode()
        raise _refuse(op, bad, f"header {bad} holds a control character")
    padded = next((n for n, v in raw if v != v.strip(b" \t")), None)
    if padded is not None:
        name = padded.decode()
        raise _refuse(op, name, f"header {name} has spaces around its value")
    rules = _rules(op.operation_id)
    values = dict(path_values)  # as the caller gave them: None is a value, not an absence
    query: dict[str, list[str]] = {}
    for raw_name, raw_value in signing.split_query(request.url.query):
        query.setdefault(signing.form_decode(raw_name), []).append(signing.form_decode(raw_value))
    for name, integer in rules.query:
        given = query.get(name, ())
        if len(given) > 1:  # KooDrive (and the emulator) refuse a parameter given twice
            raise _refuse(op, name, f"{name} is given {len(given)} times")
        if given:
            (value,) = given  # exactly one: no copy is ever chosen over another
            values[name] = typed(value) if integer else value
    for raw_name, raw_value in request.headers.raw:
        header = rules.headers.get(raw_name.lower())
        if header is not None:
            if header in values:
                raise _refuse(op, header, f"header {header} is given more than once")
            if not raw_value.isascii():
                raise _refuse(op, header, f"{header} must be ASCII (it is sent as a header)")
            values[header] = raw_value.decode("ascii")
    found = problem(rules.parameters, values, "")
    if found is not None:
        raise _refuse(op, found.top, found.message)
    if rules.body is not None:
        try:
            body = json.loads(request.content)
        except (ValueError, RecursionError) as error:
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
