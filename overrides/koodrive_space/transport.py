"""The pipeline every call goes through, as one httpx transport for sync and async clients.

openapi-python-client hands the same ``httpx_args`` to ``httpx.Client`` and
``httpx.AsyncClient``, so this class is both a ``BaseTransport`` and an ``AsyncBaseTransport``.
For each request it:

1. adds a fresh ``X-Traceid`` unless the caller set one, and refuses (``RequestValidationError``)
   a request that breaks the spec's bounds, before anything is sent;
2. sends it, retrying connection failures, timeouts, 429 and 5xx with backoff, re-signing each
   attempt; once, after a 401/403 whose ``Date`` shows the local clock off by more than five
   minutes, it adopts the server's clock and re-signs;
3. turns every failure into a ``KooDriveError`` subclass: HTTP >= 400 or ``code`` != 0 into
   ``APIError``, replies that are not the spec's envelope into ``UnreadableResponseError``,
   transport failures into ``APIConnectionError``.

What reaches the generated parser is a 200 reply that has the shape the spec gives it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import secrets
import time
from collections.abc import Callable, Generator
from typing import Any

import httpx

from koodrive_space import errors, validation
from koodrive_space.auth import AppAuth
from koodrive_space.retries import RETRYABLE_ERRORS, RetryPolicy, is_retryable_status
from koodrive_space.spec import Operation

log = logging.getLogger("koodrive_space")

TRACE_HEADER = "X-Traceid"
CLOCK_SKEW_LIMIT = dt.timedelta(minutes=5)
# A step of the exchange: None asks the driver to send the request, a float to sleep that long.
Step = float | None
Outcome = httpx.Response | Exception | None


# Module-level so tests can record retry waits instead of sleeping.
_sleep = time.sleep


async def _async_sleep(seconds: float) -> None:
    import asyncio  # here, not at the top: only async callers pay its import (~15 ms)

    await asyncio.sleep(seconds)


def new_trace_id() -> str:
    """58 random hexadecimal characters, the length KooDrive's X-Traceid takes."""
    return secrets.token_hex(29)


class KooDriveTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    def __init__(
        self,
        *,
        auth: httpx.Auth | None = None,
        policy: RetryPolicy | None = None,
        trace_id_factory: Callable[[], str] = new_trace_id,
        sync_transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.auth = auth
        self.policy = policy or RetryPolicy()
        self.trace_id_factory = trace_id_factory
        self._sync = sync_transport
        self._async = async_transport

    # -- drivers: the same exchange, with blocking or awaited I/O --------------------------

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        op = self._prepare(request)
        inner = self._sync = self._sync or httpx.HTTPTransport()
        flow = self._exchange(request, op)
        step = next(flow)
        try:
            while True:
                if step is None:
                    outcome: Outcome
                    try:
                        outcome = inner.handle_request(request)
                        outcome.read()
                    except RETRYABLE_ERRORS as exc:
                        outcome = exc
                    step = flow.send(outcome)
                else:
                    _sleep(step)
                    step = flow.send(None)
        except StopIteration as done:
            response: httpx.Response = done.value
        return self._finish(op, request, response)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        op = self._prepare(request)
        inner = self._async = self._async or httpx.AsyncHTTPTransport()
        flow = self._exchange(request, op)
        step = next(flow)
        try:
            while True:
                if step is None:
                    outcome: Outcome
                    try:
                        outcome = await inner.handle_async_request(request)
                        await outcome.aread()
                    except RETRYABLE_ERRORS as exc:
                        outcome = exc
                    step = flow.send(outcome)
                else:
                    await _async_sleep(step)
                    step = flow.send(None)
        except StopIteration as done:
            response: httpx.Response = done.value
        return self._finish(op, request, response)

    def close(self) -> None:
        if self._sync is not None:
            self._sync.close()

    async def aclose(self) -> None:
        if self._async is not None:
            await self._async.aclose()

    # -- the pipeline, free of I/O ---------------------------------------------------------

    def _prepare(self, request: httpx.Request) -> Operation | None:
        if request.headers.get(TRACE_HEADER) is None:
            request.headers[TRACE_HEADER] = self.trace_id_factory()
        return validation.check_request(request)

    def _exchange(
        self, request: httpx.Request, op: Operation | None
    ) -> Generator[Step, Outcome, httpx.Response]:
        name = op.operation_id if op else request.url.path
        retries = 0
        clock_fixed = False
        while True:
            if log.isEnabledFor(logging.DEBUG):  # request.url.path is not free: only when logged
                log.debug(
                    "%s %s (%s, attempt %d)", request.method, request.url.path, name, retries + 1
                )
            outcome = yield None
            response = outcome if isinstance(outcome, httpx.Response) else None
            if response is not None and not clock_fixed and self._adopt_server_clock(response):
                clock_fixed = True
                response.close()
                self._resign(request)
                continue
            if response is not None and not is_retryable_status(response.status_code):
                return response
            if retries >= self.policy.max_retries:
                if response is not None:
                    return response
                raise self._connection_error(request, op, outcome)
            delay = self.policy.delay(retries, response)
            why = f"HTTP {response.status_code}" if response else type(outcome).__name__
            log.info(
                "retrying %s in %.2f s after %s (X-Traceid %s)",
                name,
                delay,
                why,
                request.headers[TRACE_HEADER],
            )
            if response is not None:
                response.close()
            yield delay
            retries += 1
            self._resign(request)

    def _resign(self, request: httpx.Request) -> None:
        sign = getattr(self.auth, "sign", None)
        if callable(sign):
            sign(request)

    def _adopt_server_clock(self, response: httpx.Response) -> bool:
        """After a 401/403, learn the server's clock from ``Date`` if ours is > 5 min off."""
        if response.status_code not in (401, 403) or not isinstance(self.auth, AppAuth):
            return False
        try:
            server_now = email.utils.parsedate_to_datetime(response.headers.get("Date", ""))
        except (TypeError, ValueError):
            return False
        if server_now.tzinfo is None:
            return False
        skew = server_now - self.auth.signing_time()
        if abs(skew) <= CLOCK_SKEW_LIMIT:
            return False
        self.auth.clock_offset += skew
        log.warning("local clock is %s off KooDrive's; signing with the server's time", skew)
        return True

    def _connection_error(
        self, request: httpx.Request, op: Operation | None, cause: Outcome
    ) -> errors.APIConnectionError:
        kind = (
            errors.APITimeoutError
            if isinstance(cause, httpx.TimeoutException)
            else errors.APIConnectionError
        )
        error = kind(
            f"{request.method} {request.url.host}{request.url.path} failed after "
            f"{self.policy.max_retries + 1} attempt(s): {type(cause).__name__}: {cause}",
            **_context(op, request),
        )
        error.__cause__ = cause if isinstance(cause, BaseException) else None
        return error

    def _finish(
        self, op: Operation | None, request: httpx.Request, response: httpx.Response
    ) -> httpx.Response:
        status = response.status_code
        body, problem = _decode(response)
        refused = status >= 400 or (
            problem is None and body.get("code", 0) not in (0, "0") and status == 200
        )
        if refused:
            code, msg = None, None
            if problem is None and op is not None:
                try:
                    validation.reply_check(op.operation_id, False)(body, "reply")
                except validation.SchemaViolation as violation:
                    problem = violation
            if problem is None:
                code, msg = body.get("code"), body.get("msg")
            if status >= 400 or problem is None:
                error_class = errors.api_error_class(status, code)
                raise error_class(
                    code=code, msg=msg, status_code=status, **_context(op, request)
                ) from problem
        elif status != 200:
            where = response.headers.get("Location")
            why = f"a redirect to {where} was not followed" if where else "not documented"
            raise errors.UnreadableResponseError(
                f"unexpected HTTP {status} ({why})", status_code=status, **_context(op, request)
            )
        if problem is None and op is not None:
            try:
                validation.reply_check(op.operation_id, True)(body, "reply")
            except validation.SchemaViolation as violation:
                problem = violation
        if problem is not None:
            raise errors.UnreadableResponseError(
                f"the reply is not KooDrive's envelope: {problem}",
                status_code=status,
                **_context(op, request),
            ) from problem
        # The generated parser calls response.json(): give it the parse already made and
        # checked instead of parsing the body twice (from_dict copies, never mutates it).
        response.json = lambda **_: body  # type: ignore[method-assign]
        return response


def _context(op: Operation | None, request: httpx.Request) -> dict[str, str | None]:
    """What every error names: the operation and the trace id (read only when raising)."""
    return {
        "operation": op.operation_id if op else None,
        "trace_id": request.headers.get(TRACE_HEADER),
    }


def _decode(response: httpx.Response) -> tuple[Any, Exception | None]:
    """The reply's JSON object, or the reason it has none."""
    content = response.content
    if not content:
        return None, ValueError("the body is empty")
    try:
        body = json.loads(content)
    except ValueError as problem:
        kind = response.headers.get("Content-Type", "no Content-Type")
        snippet = content[:60].decode("utf-8", "replace")
        return None, ValueError(f"the body is not JSON ({kind}): {snippet!r}: {problem}")
    if not isinstance(body, dict):
        return None, ValueError(f"the body is a JSON {type(body).__name__}, not an object")
    return body, None
