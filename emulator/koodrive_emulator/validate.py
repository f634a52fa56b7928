"""Requests checked against the spec: routes, parameters and bodies.

Nothing here is copied from the spec by hand: routes, parameter names, locations, required
flags, bounds, enums and the body schema come from ``koodrive_space.spec`` (the one reader of
the spec) and are checked with ``koodrive_space.validation``'s compiled validators (the one
engine, jsonschema-rs, formats such as ``int32`` included). The signature check stays
independent of the client (verify.py). A violation becomes ``InvalidRequest``, which the app
answers with HTTP 400 and KooDrive's
``{"code": 13000102, "msg": "Verify parameters failed. <what was wrong>"}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema_rs import Validator
from koodrive_space import signing, spec
from koodrive_space.schemas import problem, validator
from koodrive_space.validation import typed

from koodrive_emulator.verify import percent_decode


class InvalidRequest(Exception):
    """A request the spec does not allow; the message says what was wrong."""


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    schema: dict[str, Any]
    validator: Validator


@dataclass(frozen=True)
class Route:
    operation_id: str
    method: str
    template: tuple[str, ...]  # path segments; "{name}" is a path parameter
    parameters: tuple[Parameter, ...]
    body_required: bool
    body_validator: Validator | None

    @property
    def literal(self) -> bool:
        return not any(segment.startswith("{") for segment in self.template)

    def match(self, segments: Sequence[str]) -> dict[str, str] | None:
        if len(segments) != len(self.template):
            return None
        values: dict[str, str] = {}
        for wanted, got in zip(self.template, segments, strict=True):
            if wanted.startswith("{") and wanted.endswith("}"):
                values[wanted[1:-1]] = got
            elif wanted != got:
                return None
        return values


def routes() -> tuple[Route, ...]:
    """Every operation of the spec, literal paths first: ``/space/teamList`` is never read as
    getSpaceInfo with ``ownerId=teamList``."""
    found = []
    for op in spec.operations():
        params = tuple(
            Parameter(p.name, p.location, p.required, p.schema, validator(p.schema))
            for p in op.parameters
        )
        body = spec.resolve(op.raw.get("requestBody"), op.root)
        found.append(
            Route(
                op.operation_id,
                op.method,
                tuple(op.path.strip("/").split("/")),
                params,
                bool(body and body.get("required", False)),
                validator(op.body_schema) if op.body_schema is not None else None,
            )
        )
    return tuple(found)


def path_segments(raw_path: bytes) -> list[str]:
    """The decoded segments of a raw path; a trailing ``/`` is ignored (it is signed the same)."""
    parts = raw_path.split(b"/")[1:]
    if len(parts) > 1 and parts[-1] == b"":
        parts.pop()
    try:
        return [percent_decode(part).decode("utf-8") for part in parts]
    except UnicodeDecodeError as error:
        raise InvalidRequest("the path is not UTF-8 once percent-decoded") from error


def query_pairs(raw_query: bytes) -> list[tuple[str, str]]:
    """The query form-decoded, as a server reads it: ``+`` is a space, ``%2B`` a plus."""
    try:
        return [
            (signing.form_decode(name, "strict"), signing.form_decode(value, "strict"))
            for name, value in signing.split_query(raw_query)
        ]
    except UnicodeDecodeError as error:
        raise InvalidRequest("the query is not UTF-8 once percent-decoded") from error


def _typed(param: Parameter, text: str) -> Any:
    """A query or header value as the type its schema gives (they travel as text)."""
    return typed(text) if param.schema.get("type") == "integer" else text


def check_parameters(
    route: Route,
    path_values: Mapping[str, str],
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
) -> dict[str, Any]:
    """The operation's parameters by name, typed; raises ``InvalidRequest`` on a violation."""
    values: dict[str, Any] = {}
    for param in route.parameters:
        if param.location == "path":
            found = [path_values[param.name]] if param.name in path_values else []
        elif param.location == "query":
            found = [value for name, value in query if name == param.name]
        else:
            found = [headers[param.name.lower()]] if param.name.lower() in headers else []
        if not found:
            if param.required:
                raise InvalidRequest(f"{param.name} is required")
            continue
        if len(found) > 1:
            raise InvalidRequest(f"{param.name} is given {len(found)} times")
        (text,) = found
        value = _typed(param, text)
        wrong = problem(param.validator, value, param.name)
        if wrong is not None:
            raise InvalidRequest(wrong.message)
        values[param.name] = value
    return values


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def check_body(route: Route, content_type: str, body: bytes) -> Any:
    """The request body as JSON, checked against the operation's schema."""
    if route.body_validator is None:
        return None
    if not body:
        if route.body_required:
            raise InvalidRequest("the request body is required")
        return None
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise InvalidRequest(f"the body must be application/json (got {content_type or 'none'})")
    try:
        document = json.loads(body, parse_constant=_no_constants)
    except (ValueError, RecursionError) as error:
        raise InvalidRequest(f"the body is not valid JSON ({error})") from error
    wrong = problem(route.body_validator, document, "body")
    if wrong is not None:
        raise InvalidRequest(wrong.message)
    return document
