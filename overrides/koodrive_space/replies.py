"""Replies: read with a size cap, parsed as JSON, checked against the spec, failures raised.

``BodyReader`` decodes gzip and deflate itself, a bounded slice at a time, so a reply larger
than the cap (counted decompressed) is refused without ever being inflated whole. ``checked``
turns a final reply into the response the generated parser gets, or a ``KooDriveError``.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import AsyncIterable, Iterable
from typing import Any

import httpx

from koodrive_space import errors, spec, validation

DEFAULT_MAX_REPLY_BYTES = 32 * 1024 * 1024
# What BodyReader can decode: asking for br or zstd would invite replies it cannot bound.
ACCEPT_ENCODING = "gzip, deflate"
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class BodyReader:
    """Collects a reply's body from raw chunks, decoded, refusing more than ``limit`` bytes."""

    def __init__(self, response: httpx.Response, limit: int, context: dict[str, Any]) -> None:
        self._response, self._limit, self._context = response, limit, context
        self._parts: list[bytes] = []
        self._size = 0
        # A transport that hands over a reply already read (httpx.MockTransport) has decoded it.
        self.read = response.is_stream_consumed
        encoding = "" if self.read else response.headers.get("Content-Encoding", "")
        encoding = encoding.strip().lower()
        self._encoding = encoding
        self._inflate = None
        self._members = 1  # gzip data may come as several members, one after another
        if encoding not in ("", "identity"):
            if encoding not in _WBITS:
                raise self._unreadable(f"its Content-Encoding {encoding!r} is not gzip or deflate")
            self._inflate = zlib.decompressobj(_WBITS[encoding])
        announced = response.headers.get("Content-Length", "")
        if self._inflate is None and announced.isdigit() and int(announced) > limit:
            raise self._too_large(f"announces {int(announced)} bytes")

    def _unreadable(self, why: str) -> errors.UnreadableResponseError:
        return errors.UnreadableResponseError(
            f"the reply cannot be read: {why}",
            status_code=self._response.status_code,
            **self._context,
        )

    def _too_large(self, how: str) -> errors.UnreadableResponseError:
        return self._unreadable(f"it {how}, more than the {self._limit} bytes accepted")

    def feed(self, chunk: bytes) -> None:
        if self._inflate is None:
            self._add(chunk)
            return
        while chunk:
            if self._inflate.eof:  # more after the end: gzip's next member (RFC 1952), or junk
                if self._encoding == "deflate":
                    raise self._unreadable("its body goes on after its deflate data ends")
                self._inflate = zlib.decompressobj(_WBITS[self._encoding])
                self._members += 1
            try:
                # At most one byte past the room left: enough to know the cap is broken.
                self._add(self._inflate.decompress(chunk, self._limit - self._size + 1))
            except zlib.error as problem:
                what = "its body" if self._members == 1 else "what follows its gzip data"
                raise self._unreadable(
                    f"{what} is not {self._encoding} data, though its Content-Encoding says so "
                    f"({problem})"
                ) from None
            inflate = self._inflate
            chunk = inflate.unused_data if inflate.eof else inflate.unconsumed_tail

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise self._too_large("is larger")
        self._parts.append(data)

    def finish(self) -> httpx.Response:
        """The response, read: its ``content`` is the decoded body."""
        if self._inflate is not None and not self._inflate.eof:
            raise self._unreadable(f"its {self._encoding} body ends early")
        if not self.read:
            # What httpx's own Response.read() sets; building a new Response costs more than
            # the rest of the reply's handling.
            self._response._content = b"".join(self._parts)
        return self._response


UNREADABLE = "koodrive_space.unreadable"  # response extension: why a refusal's body was dropped


def read(
    response: httpx.Response, chunks: Iterable[bytes], limit: int, context: dict[str, Any]
) -> httpx.Response:
    """``response`` with its body read from ``chunks`` (``BodyReader``'s rules)."""
    try:
        reader = BodyReader(response, limit, context)
        for chunk in chunks:
            reader.feed(chunk)
        return reader.finish()
    except errors.UnreadableResponseError as problem:
        return _keep_status(response, problem)


async def aread(
    response: httpx.Response, chunks: AsyncIterable[bytes], limit: int, context: dict[str, Any]
) -> httpx.Response:
    """``read`` for an async response."""
    try:
        reader = BodyReader(response, limit, context)
        async for chunk in chunks:
            reader.feed(chunk)
        return reader.finish()
    except errors.UnreadableResponseError as problem:
        return _keep_status(response, problem)


def _keep_status(
    response: httpx.Response, problem: errors.UnreadableResponseError
) -> httpx.Response:
    """A 200 whose body cannot be read is refused at once. Any other status still counts (a 503
    is retried, a 401 may correct the clock): its body is dropped and the reason kept."""
    if response.status_code == 200:
        raise problem
    response._content = b""
    response.extensions[UNREADABLE] = problem
    return response


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} does not fit a double")
    return number


_JSON = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite)


def _parse(content: bytes) -> Any:
    """orjson, a third of the standard library's cost; what it refuses (lone surrogates, NaN,
    integers of 309 digits, bad UTF-8) goes to the standard library, whose answer and messages
    decide, as before. An integer past 64 bits reads as a float, which the reply check refuses
    wherever the spec has an integer (every documented integer field)."""
    import orjson  # here: importing the package does not load it (the import-time budget)

    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return _JSON.decode(content.decode("utf-8"))


def _decode(response: httpx.Response) -> tuple[Any, ValueError | None]:
    """The reply's JSON object, or why it has none (the parser's error as the cause)."""
    content = response.content
    if not content:
        return None, ValueError("the body is empty")
    try:
        body = _parse(content)
    except RecursionError:
        return None, ValueError("the body nests too deeply to be KooDrive's JSON")
    except ValueError as error:
        kind = response.headers.get("Content-Type", "no Content-Type")
        snippet = content[:60].decode("utf-8", "replace")
        problem = ValueError(f"the body is not JSON ({kind}): {snippet!r}: {error}")
        problem.__cause__ = error
        return None, problem
    if not isinstance(body, dict):
        return None, ValueError(f"the body is a JSON {type(body).__name__}, not an object")
    return body, None


def context(op: spec.Operation, request: httpx.Request) -> dict[str, Any]:
    """What every error names: the operation and the trace id."""
    return {"operation": op.operation_id, "trace_id": request.headers.get("X-Traceid")}


def checked(op: spec.Operation, request: httpx.Request, response: httpx.Response) -> httpx.Response:
    """``response`` with its body parsed and checked, or the ``KooDriveError`` it means.

    HTTP >= 400, or a 200 whose ``code`` is not 0, is an ``APIError`` (chosen by code, then
    status); anything else but a 200 in the spec's shape is an ``UnreadableResponseError``.
    """
    status = response.status_code
    body, problem = _decode(response)
    dropped = response.extensions.get(UNREADABLE)
    if dropped is not None:
        problem = ValueError(dropped.message)
    refused = status >= 400 or (problem is None and errors.whole_number(body.get("code", 0)) != 0)
    if refused and problem is None:
        found = validation.reply_problem(op, False, body)
        problem = ValueError(found.message) if found else None
    if status >= 400 or (refused and problem is None):
        code, msg = (None, None) if problem else (body.get("code"), body.get("msg"))
        raise errors.api_error_class(status, code)(
            code=code, msg=msg, status_code=status, **context(op, request)
        ) from problem
    if status != 200:
        where = response.headers.get("Location")
        why = f"a redirect to {where} was not followed" if where else "not documented"
        raise errors.UnreadableResponseError(
            f"unexpected HTTP {status} ({why})", status_code=status, **context(op, request)
        )
    if problem is None:
        found = validation.reply_problem(op, True, body)
        problem = ValueError(found.message) if found else None
    if problem is not None:
        raise errors.UnreadableResponseError(
            f"the reply is not KooDrive's envelope: {problem}",
            status_code=status,
            **context(op, request),
        ) from problem
    # The generated parser calls response.json(): it gets the parse already made and checked
    # (from_dict copies, never mutates it).
    response.json = lambda **_: body  # type: ignore[method-assign]
    return response
