"""Up to ``concurrency`` calls in flight, their results handed back in order: the engine of the
bulk helpers (``paging.py``, ``batching.py``), on threads over the one thread-safe client or on
asyncio tasks.

``plan()`` names the next call to start, or None when there is none for now (paging without a
known total plans one page at a time; a plan may also end for good). At most ``concurrency``
calls are started and not yet handed back (on threads, one more: see ``_Window``). The first
failure, in order, is raised once; on asyncio the calls still in flight are cancelled. A sync
call already on the wire cannot be stopped: it ends on its own daemon thread, its result
dropped, and never holds up the interpreter's exit.
"""

from __future__ import annotations

import contextvars
import sys
import threading
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Generic, TypeVar

from koodrive_space.errors import ConfigurationError, RequestValidationError

if TYPE_CHECKING:
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


class _Window(Generic[T, R]):
    """The sync engine's state, shared by the caller's thread and the worker threads: calls
    started and not yet handed back, in plan order. A worker that finishes a call starts the
    next one itself, at once: handing that to the caller's thread would wait for it to take the
    GIL, milliseconds while another worker parses a page."""

    def __init__(self, fetch: Callable[[T], R], plan: Callable[[], T | None], limit: int) -> None:
        self._fetch, self._plan, self._limit = fetch, plan, limit
        self._lock = threading.Lock()  # plan() is called under it: one caller at a time
        self.pending: deque[Future[R]] = deque()
        self._stopped = False  # a failure or the caller's close: nothing more starts
        self._context = contextvars.copy_context()  # the caller's, when the listing began

    def _next(self, most: int) -> tuple[T, Future[R]] | None:
        """Under the lock: the next planned call, if fewer than ``most`` are pending."""
        from concurrent.futures import Future  # here: importing the package skips it

        if self._stopped or len(self.pending) >= most:
            return None
        try:
            item = self._plan()
        except BaseException as problem:  # raised to the caller in plan order, as at 1
            failed: Future[R] = Future()
            failed.set_exception(problem)
            self.pending.append(failed)
            self._stopped = True
            return None
        if item is None:
            return None
        future: Future[R] = Future()
        self.pending.append(future)
        return item, future

    def fill(self) -> None:
        """Up to ``limit`` calls pending, each new one on a daemon thread of its own."""
        while True:
            with self._lock:
                call = self._next(self._limit)
            if call is None:
                return
            threading.Thread(
                target=self._work, args=call, daemon=True, name="koodrive-space-fanout"
            ).start()

    def _work(self, item: T, future: Future[R]) -> None:
        call: tuple[T, Future[R]] | None = (item, future)
        while call is not None:
            item, future = call
            try:
                result = self._context.copy().run(self._fetch, item)
            except BaseException as problem:  # handed to the caller, raised there
                self.stop()
                future.set_exception(problem)
                return
            with self._lock:
                # Planned before the result is handed over, so that this worker's own page is
                # still pending: at most ``limit`` calls on the wire, one more page held.
                call = self._next(self._limit + 1)
            future.set_result(result)

    def stop(self) -> None:
        self._stopped = True  # one store: no lock, so a finaliser never waits on a worker


def ordered(fetch: Callable[[T], R], plan: Callable[[], T | None], limit: int) -> Generator[R]:
    """``fetch`` of each planned item, ``limit`` at a time on threads, results in plan order."""
    if limit == 1:
        while (item := plan()) is not None:
            yield fetch(item)
        return
    window = _Window(fetch, plan, limit)
    try:
        while True:
            window.fill()
            if not window.pending:
                return
            yield window.pending[0].result()
            window.pending.popleft()
    finally:
        window.stop()


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
            while len(pending) < limit and (item := plan()) is not None:
                pending.append(asyncio.ensure_future(run(item)))
            if not pending:
                return
            yield await pending.popleft()
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
