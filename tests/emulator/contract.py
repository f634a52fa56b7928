"""Replies checked against the spec: what the emulator sends and what the cassettes hold.

A reply with a status the operation documents (200, 400, 401, 500) must match that response's
schema. Statuses the spec does not list (404 for an unknown API, 429, 502, 503) must match
``ErrorResponse``, the envelope KooDrive's reference says every error shares.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from openapi_schema_validator import OAS30Validator, oas30_format_checker

from tests import openapi_doc


@functools.cache
def _validator(operation_id: str | None, status: int) -> OAS30Validator:
    schema: dict[str, Any] = {"$ref": "#/components/schemas/ErrorResponse"}
    if operation_id is not None:
        responses = openapi_doc.operation(operation_id).body["responses"]
        if str(status) in responses:
            response = openapi_doc.resolve(responses[str(status)])
            schema = response["content"]["application/json"]["schema"]
    return OAS30Validator(openapi_doc.resolve(schema), format_checker=oas30_format_checker)


def reply_problems(operation_id: str | None, status: int, body: bytes) -> list[str]:
    """Why ``body`` is not a reply the spec allows for ``operation_id`` and ``status`` (none: it
    is)."""
    try:
        document = json.loads(body)
    except ValueError as problem:
        return [f"not JSON: {problem}"]
    return [
        f"{'/'.join(map(str, error.absolute_path)) or 'reply'}: {error.message}"
        for error in _validator(operation_id, status).iter_errors(document)
    ]
