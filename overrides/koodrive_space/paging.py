"""Every team space, page after page: ``iter_team_spaces`` and ``aiter_team_spaces``.

Once the first page gives ``total``, up to ``concurrency`` further pages are fetched at once and
yielded in order; without ``total`` paging stays sequential. Either way the records, and where
paging stops, are those of one page at a time: a short page ends it, and a page equal to the
one before (a server ignoring ``offset``) is an error rather than a loop.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from contextlib import aclosing, closing
from typing import Any

from koodrive_space_client import Client
from koodrive_space_client.api.space import list_team_spaces
from koodrive_space_client.models import TeamSpaceInfo, TeamSpaceListResponse, TeamType
from koodrive_space_client.types import UNSET, Unset

from koodrive_space import fanout, spec
from koodrive_space.errors import RequestValidationError, UnreadableResponseError
from koodrive_space.helpers import as_int, team_spaces_in

OPERATION = "listTeamSpaces"


class _Pages:
    """Which offsets to ask for, and what each page means, for one listing."""

    def __init__(self, page_size: int) -> None:
        low = spec.bound(OPERATION, "limit", "minimum")
        high = spec.bound(OPERATION, "limit", "maximum")
        valid = isinstance(page_size, int) and not isinstance(page_size, bool)
        if not valid or not low <= page_size <= high:
            raise RequestValidationError(
                f"page_size must be an integer from {low} to {high} (got {page_size!r})",
                parameter="page_size",
                operation=OPERATION,
            )
        self.size = page_size
        self._planned = 0  # the next offset to ask for
        self._waiting = 0  # pages asked for and not yet read
        self._total: int | None = None  # as the last page read says; None: one page at a time
        self._previous: list[object] = []

    def plan(self) -> int | None:
        if self._total is None:  # unknown: the next page once the last one is read
            if self._waiting:
                return None
        elif self._planned >= self._total:
            return None
        offset = self._planned
        self._planned += self.size
        self._waiting += 1
        return offset

    def read(self, offset: int, page: TeamSpaceListResponse) -> tuple[list[TeamSpaceInfo], bool]:
        """The page's records, and True when it is the last."""
        self._waiting -= 1
        # More than asked for: the next page, at offset + size, brings the rest again.
        records = team_spaces_in(page)[: self.size]
        keys: list[object] = [
            (r.id, r.container_id) if r.id or r.container_id else repr(r) for r in records
        ]
        if keys and keys == self._previous:
            raise UnreadableResponseError(
                f"listTeamSpaces answered offset {offset} with the same spaces as the page before "
                "(the server ignores offset); paging stopped",
                status_code=200,
                operation=OPERATION,
            )
        self._previous = keys
        # The single-``data`` form carries one record and no paging: always the last page.
        if isinstance(page.teams, Unset) or len(records) < self.size or not records:
            return records, True
        self._total = as_int(page.total, "total")
        return records, self._total is not None and offset + len(records) >= self._total


def _filters(key_word: str | None, team_type: TeamType | None) -> dict[str, Any]:
    return {
        "key_word": UNSET if key_word is None else key_word,
        "team_type": UNSET if team_type is None else team_type,
    }


def iter_team_spaces(
    client: Client,
    *,
    key_word: str | None = None,
    team_type: TeamType | None = None,
    page_size: int = 100,
    concurrency: int = fanout.DEFAULT_CONCURRENCY,
) -> Generator[TeamSpaceInfo]:
    """Every team space, ``page_size`` at a time, up to ``concurrency`` pages in flight."""
    pages, filters = _Pages(page_size), _filters(key_word, team_type)
    limit = fanout.concurrency(concurrency, OPERATION)

    def fetch(offset: int) -> tuple[int, TeamSpaceListResponse]:
        reply = list_team_spaces.sync(client=client, offset=offset, limit=pages.size, **filters)
        return offset, reply

    with closing(fanout.ordered(fetch, pages.plan, limit)) as replies:
        for offset, reply in replies:
            records, last = pages.read(offset, reply)
            yield from records
            if last:
                return


async def aiter_team_spaces(
    client: Client,
    *,
    key_word: str | None = None,
    team_type: TeamType | None = None,
    page_size: int = 100,
    concurrency: int | None = None,
) -> AsyncGenerator[TeamSpaceInfo]:
    """The async twin of ``iter_team_spaces``; ``concurrency`` defaults to 4 on asyncio, 1 on
    other event loops (where more is refused)."""
    pages, filters = _Pages(page_size), _filters(key_word, team_type)
    limit = fanout.async_concurrency(concurrency, OPERATION)

    async def fetch(offset: int) -> tuple[int, TeamSpaceListResponse]:
        reply = await list_team_spaces.asyncio(
            client=client, offset=offset, limit=pages.size, **filters
        )
        return offset, reply

    async with aclosing(fanout.aordered(fetch, pages.plan, limit)) as replies:
        async for offset, reply in replies:
            records, last = pages.read(offset, reply)
            for record in records:
                yield record
            if last:
                return
