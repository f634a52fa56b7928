"""Up to ``concurrency`` calls in flight, their results handed back in order: the engine of the
bulk helpers (``paging.py``, ``batching.py``), on threads over the one thread-safe client or on
asyncio tasks.

``plan()`` names the next call to start, or None when there is none for now (paging without a
known total plans one page at a time; a plan may also end for good). At most ``concurrency``
results are held. The first failure, in order, is raised once; what was not yet started is
cancelled, and on asyncio what was running too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import TYPE_CHECKING, TypeVar

from koodrive_space.errors import ConfigurationError, RequestValidationError

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")

# The most requests one helper call keeps in flight: httpx's default pool keeps 20 connections
# alive, so each of these has its own, reused from page to page.
MAX_CONCURRENCY = 16


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


def ordered(fetch: Callable[[T], R], plan: Callable[[], T | None], limit: int) -> Generator[R]:
    """``fetch`` of each planned item, ``limit`` at a time on threads, results in plan order."""
    if limit == 1:
        while (item := plan()) is not None:
            yield fetch(item)
        return
    from concurrent.futures import ThreadPoolExecutor  # here: a sequential caller skips it

    pool = ThreadPoolExecutor(max_workers=limit, thread_name_prefix="koodrive-space")
    pending: deque[Future[R]] = deque()
    try:
        while True:
            while len(pending) < limit and (item := plan()) is not None:
                pending.append(pool.submit(fetch, item))
            if not pending:
                return
            yield pending.popleft().result()
    finally:
        # A request already on the wire finishes on its thread, its result dropped.
        pool.shutdown(wait=False, cancel_futures=True)


async def aordered(
    fetch: Callable[[T], Awaitable[R]], plan: Callable[[], T | None], limit: int
) -> AsyncGenerator[R]:
    """``ordered`` on asyncio tasks (any event loop anyio runs, when ``limit`` is 1)."""
    if limit == 1:
        while (item := plan()) is not None:
            yield await fetch(item)
        return
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        raise ConfigurationError(
            "concurrency above 1 runs on asyncio; under another event loop use concurrency=1"
        ) from None

    async def run(item: T) -> R:
        return await fetch(item)

    pending: deque[asyncio.Task[R]] = deque()
    try:
        while True:
            while len(pending) < limit and (item := plan()) is not None:
                pending.append(asyncio.ensure_future(run(item)))
            if not pending:
                return
            yield await pending.popleft()
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
