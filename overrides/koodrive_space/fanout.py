"""Up to ``concurrency`` calls in flight, their results handed back in order: the engine of the
bulk helpers (``paging.py``, ``batching.py``), on threads over the one thread-safe client or on
asyncio tasks.

``plan()`` names the next call to start, or None when there is none for now (paging without a
known total plans one page at a time; a plan may also end for good). At most ``concurrency``
results are held. Once a call has failed no other starts, and the first failure, in order, is
raised once; on asyncio the calls still in flight are cancelled. A sync call already on the wire
cannot be stopped: it ends on its own daemon thread, its result dropped, and never holds up the
interpreter's exit.
"""

from __future__ import annotations

import contextvars
import sys
import threading
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import TYPE_CHECKING, TypeVar

from koodrive_space.errors import ConfigurationError, RequestValidationError

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

# The most requests one helper call keeps in flight: httpx's default pool keeps 20 connections
# alive, so each of these has its own, reused from page to page.
MAX_CONCURRENCY = 16
DEFAULT_CONCURRENCY = 4


def concurrency(value: object, operation_id: str) -> int:
    """``value`` as a concurrency, or a ``RequestValidationError`` naming it."""
    if isinstance(value, bool) or not isinstance(value, int):
        got = repr(value)
    elif 1 <= value <= MAX_CONCURRENCY:
        return value
    else:
        got = str(value)
    raise RequestValidationError(
        f"concurrency must be an integer from 1 to {MAX_CONCURRENCY} (got {got})",
        parameter="concurrency",
        operation=operation_id,
    )


def async_concurrency(value: object, operation_id: str) -> int:
    """``concurrency`` for the async helpers: None is the default on asyncio and 1 on other
    event loops (trio), where more than 1 is refused rather than quietly ignored."""
    on_asyncio = _on_asyncio()
    if value is None:
        return DEFAULT_CONCURRENCY if on_asyncio else 1
    limit = concurrency(value, operation_id)
    if limit > 1 and not on_asyncio:
        raise ConfigurationError(
            f"concurrency={limit} runs on asyncio; under another event loop (trio) leave it "
            "unset or use concurrency=1"
        )
    return limit


def _on_asyncio() -> bool:
    # A task of asyncio's own, not only a running loop: trio in guest mode runs on one too.
    if "asyncio" not in sys.modules:
        return False
    try:
        return sys.modules["asyncio"].current_task() is not None
    except RuntimeError:
        return False


def _started(fetch: Callable[[T], R], item: T) -> Future[R]:
    """``fetch(item)`` on a daemon thread of its own, in the caller's context (contextvars)."""
    from concurrent.futures import Future  # here: importing the package skips it

    future: Future[R] = Future()
    context = contextvars.copy_context()

    def run() -> None:
        try:
            future.set_result(context.run(fetch, item))
        except BaseException as problem:  # handed to the caller, raised there
            future.set_exception(problem)

    threading.Thread(target=run, daemon=True, name="koodrive-space-fanout").start()
    return future


def ordered(fetch: Callable[[T], R], plan: Callable[[], T | None], limit: int) -> Generator[R]:
    """``fetch`` of each planned item, ``limit`` at a time on threads, results in plan order."""
    if limit == 1:
        while (item := plan()) is not None:
            yield fetch(item)
        return
    pending: deque[Future[R]] = deque()
    while True:
        while len(pending) < limit and not _failed(pending) and (item := plan()) is not None:
            pending.append(_started(fetch, item))
        if not pending:
            return
        yield pending.popleft().result()


def _failed(pending: deque[Future[R]] | deque[asyncio.Task[R]]) -> bool:
    """Whether a call in flight has already failed: the results will end with its error, so
    starting another call would only waste it."""
    return any(
        call.done() and not call.cancelled() and call.exception() is not None for call in pending
    )


async def aordered(
    fetch: Callable[[T], Awaitable[R]], plan: Callable[[], T | None], limit: int
) -> AsyncGenerator[R]:
    """``ordered`` on asyncio tasks (``limit`` 1: any event loop anyio runs)."""
    if limit == 1:
        while (item := plan()) is not None:
            yield await fetch(item)
        return
    import asyncio

    async def run(item: T) -> R:
        return await fetch(item)

    pending: deque[asyncio.Task[R]] = deque()
    try:
        while True:
            while len(pending) < limit and not _failed(pending) and (item := plan()) is not None:
                pending.append(asyncio.ensure_future(run(item)))
            if not pending:
                return
            yield await pending.popleft()
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
