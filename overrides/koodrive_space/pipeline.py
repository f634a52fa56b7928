"""The pipeline every call goes through, in the httpx clients ``create_client`` builds.

For each request: a fresh ``X-Traceid`` unless given, and the spec's checks (nothing is sent
when they fail); then attempts, each run through the auth flow (signing, and ``AppAuth``'s
clock correction) and bounded by a deadline as a whole; retries of connection failures,
timeouts, 429 and 5xx with backoff, each signed afresh, within the call's total time; and the
final reply read with a size cap and checked (``replies.py``).

``exchange`` is that logic, free of I/O: it yields an ``Attempt`` to send or seconds to sleep.
``SyncHTTPClient.send`` and ``AsyncHTTPClient.send`` do the I/O, blocking or awaited.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator
from dataclasses import dataclass
from typing import Any

import httpx

from koodrive_space import deadline, errors, replies, validation
from koodrive_space.retries import RetryPolicy

log = logging.getLogger("koodrive_space")

TRACE_HEADER = "X-Traceid"
_sleep = time.sleep  # module-level, so tests can record the waits instead of sleeping


async def _async_sleep(seconds: float) -> None:
    import anyio  # here, not at the top: only async callers pay its import

    await anyio.sleep(seconds)


def new_trace_id() -> str:
    """58 random hexadecimal characters, the length KooDrive's X-Traceid takes."""
    return secrets.token_hex(29)


@dataclass(frozen=True)
class Settings:
    """What ``create_client`` configures, shared by the sync and async httpx clients."""

    auth: httpx.Auth | None
    policy: RetryPolicy
    timeout: float  # seconds for one attempt, as a whole
    max_reply_bytes: int
    trace_ids: Callable[[], str] = new_trace_id
    base_path: str = ""  # of the base URL: a gateway's prefix before the spec's paths
    transport: httpx.BaseTransport | None = None
    async_transport: httpx.AsyncBaseTransport | None = None


@dataclass(frozen=True)
class Attempt:
    request: httpx.Request
    until: float  # time.monotonic() by which the reply must be complete
    context: dict[str, Any]  # what errors name: operation and trace id


Outcome = httpx.Response | Exception | None


def _unsigned(request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
    yield request


def _signed_attempts(
    settings: Settings, request: httpx.Request, give_up_at: float, context: dict[str, Any]
) -> Generator[Attempt, Outcome, Outcome]:
    """One run of the auth flow: usually one attempt, two when the flow signs again."""
    flow = settings.auth.auth_flow(request) if settings.auth is not None else _unsigned(request)
    try:
        outgoing = next(flow)
        while True:
            until = min(time.monotonic() + settings.timeout, give_up_at)
            # httpx's own limits (waiting for a pooled connection among them) end by then too.
            left = max(until - time.monotonic(), 0.001)
            limits = outgoing.extensions.get("timeout") or {}
            outgoing.extensions["timeout"] = {
                phase: left if limits.get(phase) is None else min(limits[phase], left)
                for phase in ("connect", "read", "write", "pool")
            }
            outcome = yield Attempt(outgoing, until, context)
            if not isinstance(outcome, httpx.Response):
                return outcome
            try:
                outgoing = flow.send(outcome)
            except StopIteration:
                return outcome
    finally:
        flow.close()


def exchange(
    settings: Settings, request: httpx.Request
) -> Generator[Attempt | float, Outcome, httpx.Response]:
    if TRACE_HEADER not in request.headers:
        trace_id = settings.trace_ids()
        if not isinstance(trace_id, str):
            raise errors.ConfigurationError(
                f"trace_id_factory must return a string, not {type(trace_id).__name__}"
            )
        if not trace_id.isascii():  # the request checks name the header's other problems
            raise errors.ConfigurationError(
                f"trace_id_factory must return ASCII text (got {trace_id!a})"
            )
        request.headers[TRACE_HEADER] = trace_id
    op = validation.check_request(request, settings.base_path)
    context = replies.context(op, request)
    give_up_at = time.monotonic() + settings.policy.total_timeout
    attempts = 0
    while True:
        attempts += 1
        outcome = yield from _signed_attempts(settings, request, give_up_at, context)
        wait = settings.policy.wait_before_retry(attempts, outcome, give_up_at)
        if wait is None:
            break
        why = f"HTTP {outcome.status_code}" if isinstance(outcome, httpx.Response) else outcome
        log.info("retrying %s in %.2f s after %r (%s)", op.operation_id, wait, why, context)
        yield wait
    if not isinstance(outcome, httpx.Response):
        error = (
            errors.APITimeoutError
            if isinstance(outcome, httpx.TimeoutException)
            else errors.APIConnectionError
        )(
            f"{request.method} {request.url.host}{request.url.path} failed after {attempts} "
            f"attempt(s): {type(outcome).__name__}: {outcome}",
            **context,
        )
        raise error from outcome
    return replies.checked(op, request, outcome)


class _Cookies(httpx.Cookies):
    """``httpx.Cookies`` that hands a reply to http.cookiejar only when it sets a cookie.

    httpx does it for every reply, and the wrappers it builds for that cost about 40 µs a call
    here (more than signing), to find nothing in KooDrive's replies, which set no cookie. (A
    jar whose own ``extract_cookies`` acts on every reply is now called for those only.)"""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)
            self._drop_unsendable()

    def _drop_unsendable(self) -> None:
        # A cookie that is not printable ASCII cannot go back in a Cookie header: kept, it would
        # have every later request refused before sending.
        for cookie in list(self.jar):
            text = f"{cookie.name}={cookie.value or ''}"
            if not (text.isascii() and text.isprintable()):
                self.jar.clear(cookie.domain, cookie.path, cookie.name)
                log.warning(
                    "dropped cookie %a set by %s: it is not printable ASCII, so it cannot be sent",
                    cookie.name,
                    cookie.domain,
                )


class _Checked:
    """What the sync and async clients share: refusing arguments httpx cannot send, naming
    them, and per-request settings the pipeline does not honour; cookies kept as ``_Cookies``."""

    _cookies: httpx.Cookies  # httpx's own attribute, set by its __init__

    @property
    def cookies(self) -> httpx.Cookies:
        return self._cookies

    @cookies.setter
    def cookies(self, cookies: httpx._types.CookieTypes) -> None:
        self._cookies = _Cookies(cookies)

    def build_request(self, method: str, url: Any, **options: Any) -> httpx.Request:
        try:
            request: httpx.Request = super().build_request(method, url, **options)  # type: ignore[misc]
        except (
            TypeError,
            ValueError,
            RecursionError,
            UnicodeEncodeError,
            httpx.InvalidURL,
        ) as problem:
            raise validation.unbuildable(options, problem) from problem
        return request

    def _refuse_overrides(self, stream: bool, auth: object, follow_redirects: object) -> None:
        if auth is not httpx.USE_CLIENT_DEFAULT or follow_redirects is True:
            raise errors.ConfigurationError(
                "per-request auth and redirects are not supported: a signature covers one URL"
            )
        if stream:
            raise errors.ConfigurationError(
                "streaming is not supported: replies are read whole, with a size cap, and checked"
            )
        if self.is_closed:  # type: ignore[attr-defined]
            raise errors.ConfigurationError(
                "this client was closed (it was used in a with block): create another"
            )


class SyncHTTPClient(_Checked, httpx.Client):
    """``httpx.Client`` running the pipeline; ``koodrive`` holds its settings."""

    def __init__(self, *, koodrive: Settings, **options: Any) -> None:
        super().__init__(transport=koodrive.transport, **options)
        self._cookies = _Cookies(self._cookies.jar)  # the jar itself: a caller's stays theirs
        self.koodrive = koodrive
        deadline.install(self)

    def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        self._refuse_overrides(stream, auth, follow_redirects)
        request.read()
        steps = exchange(self.koodrive, request)
        outcome: Outcome = None
        try:
            while True:
                step = steps.send(outcome)
                if isinstance(step, Attempt):
                    outcome = self._attempt(step)
                else:
                    _sleep(step)
                    outcome = None
        except StopIteration as done:
            response: httpx.Response = done.value
            return response

    def _attempt(self, attempt: Attempt) -> Outcome:
        try:
            with deadline.attempt(attempt.until):
                response = super().send(attempt.request, stream=True)
                try:
                    # A transport may hand over a reply already read (httpx.MockTransport).
                    read = response.is_stream_consumed
                    chunks = (response.content,) if read else response.iter_raw()
                    return replies.read(
                        response, chunks, self.koodrive.max_reply_bytes, attempt.context
                    )
                finally:
                    response.close()
        except httpx.TransportError as error:
            return error


class AsyncHTTPClient(_Checked, httpx.AsyncClient):
    """``httpx.AsyncClient`` running the pipeline (anyio: asyncio or trio). Its connections
    belong to one event loop, and it closes them when that loop ends."""

    def __init__(self, *, koodrive: Settings, **options: Any) -> None:
        super().__init__(transport=koodrive.async_transport, **options)
        self._cookies = _Cookies(self._cookies.jar)  # the jar itself: a caller's stays theirs
        self.koodrive = koodrive
        self._lifetime: AsyncGenerator[None, None] | None = None
        self.ended_with_its_loop = False

    async def _until_the_loop_ends(self) -> AsyncGenerator[None, None]:
        # Event loops finalise the async generators still open when they end (asyncio.run's
        # shutdown_asyncgens, trio.run): this one closes the client while its loop still runs.
        try:
            yield
        finally:
            self.ended_with_its_loop = True
            await self.aclose()

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: Any = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: Any = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        self._refuse_overrides(stream, auth, follow_redirects)
        if self._lifetime is None:
            self._lifetime = self._until_the_loop_ends()
            await anext(self._lifetime)
        await request.aread()
        steps = exchange(self.koodrive, request)
        outcome: Outcome = None
        try:
            while True:
                step = steps.send(outcome)
                if isinstance(step, Attempt):
                    outcome = await self._attempt(step)
                else:
                    await _async_sleep(step)
                    outcome = None
        except StopIteration as done:
            response: httpx.Response = done.value
            return response

    async def _attempt(self, attempt: Attempt) -> Outcome:
        import anyio

        try:
            with anyio.fail_after(max(0.0, attempt.until - time.monotonic())):
                response = await super().send(attempt.request, stream=True)
                try:
                    read = response.is_stream_consumed  # as in the sync client
                    chunks = _once(response.content) if read else response.aiter_raw()
                    return await replies.aread(
                        response, chunks, self.koodrive.max_reply_bytes, attempt.context
                    )
                finally:
                    await response.aclose()
        except TimeoutError:
            return httpx.ReadTimeout("the attempt ran out of time", request=attempt.request)
        except httpx.TransportError as error:
            return error
        except (OverflowError, ExceptionGroup) as error:  # anyio's connect on a port past 65535
            return httpx.ConnectError(f"cannot connect: {error!r}", request=attempt.request)


async def _once(content: bytes) -> AsyncIterator[bytes]:
    yield content
