"""Replies checked against the spec: what the emulator sends and what the cassettes hold.

A reply with a status the operation documents (200, 400, 401, 500) must match that response's
schema. Statuses the spec does not list (404 for an unknown API, 429, 502, 503) must match
``ErrorResponse``, the envelope KooDrive's reference says every error shares. Checked with the
one engine the client uses (``koodrive_space.validation``).
"""

from __future__ import annotations

import functools
import json

from jsonschema_rs import Validator
from koodrive_space import spec
from koodrive_space.schemas import validator

from tests import openapi_doc


@functools.cache
def _validator(operation_id: str | None, status: int) -> Validator:
    root = openapi_doc.spec()
    schema = None
    if operation_id is not None:
        schema = spec.operation(operation_id, root).reply_schema(status)
    return validator(schema or spec.resolve({"$ref": "#/components/schemas/ErrorResponse"}, root))


def reply_problems(operation_id: str | None, status: int, body: bytes) -> list[str]:
    """Why ``body`` is not a reply the spec allows for ``operation_id`` and ``status`` (none: it
    is)."""
    try:
        document = json.loads(body)
    except ValueError as problem:
        return [f"not JSON: {problem}"]
    return [
        f"{'/'.join(map(str, error.instance_path)) or 'reply'}: {error.message}"
        for error in _validator(operation_id, status).iter_errors(document)
    ]
