"""Where the API is awkward: paging team spaces, batching user IDs, reply forms that vary."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from koodrive_space_client import Client
from koodrive_space_client.api.space import list_team_spaces, query_space_usage_by_user
from koodrive_space_client.models import (
    GetSpaceAllocatedData,
    SpaceAllocationResponse,
    TeamSpaceInfo,
    TeamSpaceListResponse,
    TeamType,
    UsageByUserRequest,
    UsageByUserResponse,
    UserSpaceQuota,
)
from koodrive_space_client.types import UNSET, Unset

from koodrive_space import spec
from koodrive_space.errors import RequestValidationError, UnreadableResponseError, whole_number

if TYPE_CHECKING:  # asyncio is imported by the async helpers only, when first called
    import asyncio


def as_int(value: int | str | Unset | None, field: str = "value") -> int | None:
    """An ``IntegerOrNumericString`` field as an int (None when absent).

    KooDrive documents several numbers as strings and sends some as numbers (see
    openapi/DISCREPANCIES.md); this accepts both and refuses anything else, naming the field.
    """
    if value is None or isinstance(value, Unset):
        return None
    number = whole_number(value)
    if number is None:
        raise UnreadableResponseError(
            f"{field} should be a whole number, got {value!r}", status_code=200
        )
    return number


def allocation_records(reply: SpaceAllocationResponse) -> list[GetSpaceAllocatedData]:
    """getSpaceAllocation's ``data`` as a list, whether it came as one record or an array."""
    if isinstance(reply.data, Unset):
        return []
    if isinstance(reply.data, GetSpaceAllocatedData):
        return [reply.data]
    return list(reply.data)


def team_spaces_in(page: TeamSpaceListResponse) -> list[TeamSpaceInfo]:
    """The team spaces of one reply: ``teams`` (the table's form) or the single ``data``."""
    if not isinstance(page.teams, Unset):
        return list(page.teams)
    if not isinstance(page.data, Unset):
        return [page.data]
    return []


def _page_size(page_size: int) -> int:
    low = spec.bound("listTeamSpaces", "limit", "minimum")
    high = spec.bound("listTeamSpaces", "limit", "maximum")
    if (
        isinstance(page_size, bool)
        or not isinstance(page_size, int)
        or not low <= page_size <= high
    ):
        raise RequestValidationError(
            f"page_size must be an integer from {low} to {high} (got {page_size!r})",
            parameter="page_size",
            operation="listTeamSpaces",
        )
    return page_size


def _is_last_page(page: TeamSpaceListResponse, offset: int, got: int, page_size: int) -> bool:
    """True when no further page can hold records.

    The single-``data`` form carries one record and no paging, so it is always the last page.
    """
    if isinstance(page.teams, Unset) or got < page_size or got == 0:
        return True
    total = as_int(page.total, "total")
    return total is not None and offset + got >= total


def _page_keys(records: list[TeamSpaceInfo]) -> list[object]:
    return [(r.id, r.container_id) if r.id or r.container_id else repr(r) for r in records]


def _check_not_repeated(keys: list[object], previous: list[object], offset: int) -> None:
    """A page equal to the one before means the server ignores ``offset``: stop, loudly."""
    if keys and keys == previous:
        raise UnreadableResponseError(
            f"listTeamSpaces answered offset {offset} with the same spaces as the page before "
            "(the server ignores offset); paging stopped",
            status_code=200,
            operation="listTeamSpaces",
        )


def _team_filters(key_word: str | None, team_type: TeamType | None) -> dict[str, Any]:
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
) -> Iterator[TeamSpaceInfo]:
    """Every team space, fetched ``page_size`` at a time until the last page."""
    size, offset, previous = _page_size(page_size), 0, list[object]()
    filters = _team_filters(key_word, team_type)
    while True:
        page = list_team_spaces.sync(client=client, offset=offset, limit=size, **filters)
        records = team_spaces_in(page)
        keys = _page_keys(records)
        _check_not_repeated(keys, previous, offset)
        previous = keys
        yield from records
        if _is_last_page(page, offset, len(records), size):
            return
        offset += len(records)


async def aiter_team_spaces(
    client: Client,
    *,
    key_word: str | None = None,
    team_type: TeamType | None = None,
    page_size: int = 100,
) -> AsyncIterator[TeamSpaceInfo]:
    """The async twin of ``iter_team_spaces``."""
    size, offset, previous = _page_size(page_size), 0, list[object]()
    filters = _team_filters(key_word, team_type)
    while True:
        page = await list_team_spaces.asyncio(client=client, offset=offset, limit=size, **filters)
        records = team_spaces_in(page)
        keys = _page_keys(records)
        _check_not_repeated(keys, previous, offset)
        previous = keys
        for record in records:
            yield record
        if _is_last_page(page, offset, len(records), size):
            return
        offset += len(records)


def _batches(user_ids: Iterable[str]) -> list[list[str]]:
    if isinstance(user_ids, str | bytes) or not isinstance(user_ids, Iterable):
        raise RequestValidationError(
            f"user_ids must be a list of user ID strings, not {type(user_ids).__name__}",
            parameter="userIds",
            operation="querySpaceUsageByUser",
        )
    unique: dict[str, None] = {}
    for position, user_id in enumerate(user_ids):
        if not isinstance(user_id, str) or not user_id:
            raise RequestValidationError(
                f"user_ids[{position}] must be a non-empty string (got {user_id!r})",
                parameter="userIds",
                operation="querySpaceUsageByUser",
            )
        unique.setdefault(user_id)
    size = spec.bound("querySpaceUsageByUser", "userIds", "maxItems")
    ordered = list(unique)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


def _usage_records(reply: UsageByUserResponse) -> tuple[list[UserSpaceQuota], int | None]:
    records = [] if isinstance(reply.data, Unset) else list(reply.data)
    total = None if isinstance(reply.total, Unset) else reply.total
    return records, total


def _add_page(got: list[UserSpaceQuota], page: list[UserSpaceQuota], total: int | None) -> bool:
    """Add a page of a batch's reply to ``got``; True when more pages remain.

    The reply may be paged (the example request sends limit/offset), so pages are fetched until
    ``total``. A page that brings no user not seen before is a repeat (a server ignoring
    offset): paging stops with an ``UnreadableResponseError`` rather than looping forever.
    """
    seen = {r.user_id for r in got}
    if got and page and not any(r.user_id not in seen for r in page):
        raise UnreadableResponseError(
            f"querySpaceUsageByUser answered offset {len(got)} with users it had already sent "
            "(the server ignores offset); paging stopped",
            status_code=200,
            operation="querySpaceUsageByUser",
        )
    got.extend(page)
    return bool(page) and total is not None and len(got) < total


def _merge(order: Sequence[str], records: list[UserSpaceQuota]) -> list[UserSpaceQuota]:
    """Records in the order their user IDs were asked for; unexpected records kept at the end."""
    position = {user_id: index for index, user_id in enumerate(order)}
    return sorted(
        records,
        key=lambda r: (
            position.get(r.user_id, len(order)) if isinstance(r.user_id, str) else len(order)
        ),
    )


def query_usage(client: Client, user_ids: Iterable[str]) -> list[UserSpaceQuota]:
    """Space usage of any number of users, asked for in batches the API accepts.

    Duplicate IDs are asked for once. The result follows the order of ``user_ids``; a user the
    service returns nothing for is absent from it.
    """
    batches = _batches(user_ids)
    records: list[UserSpaceQuota] = []
    for batch in batches:
        records.extend(_fetch_batch(client, batch))
    return _merge([u for batch in batches for u in batch], records)


def _fetch_batch(client: Client, batch: list[str]) -> list[UserSpaceQuota]:
    got: list[UserSpaceQuota] = []
    while True:
        body = UsageByUserRequest(user_ids=batch, offset=len(got), limit=len(batch))
        page, total = _usage_records(query_space_usage_by_user.sync(client=client, body=body))
        if not _add_page(got, page, total):
            return got


async def _afetch_batch(
    client: Client, batch: list[str], limit: asyncio.Semaphore
) -> list[UserSpaceQuota]:
    got: list[UserSpaceQuota] = []
    async with limit:
        while True:
            body = UsageByUserRequest(user_ids=batch, offset=len(got), limit=len(batch))
            reply = await query_space_usage_by_user.asyncio(client=client, body=body)
            page, total = _usage_records(reply)
            if not _add_page(got, page, total):
                return got


async def aquery_usage(
    client: Client, user_ids: Iterable[str], *, concurrency: int = 4
) -> list[UserSpaceQuota]:
    """The async twin of ``query_usage``: at most ``concurrency`` batches in flight at once."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise RequestValidationError(
            f"concurrency must be an integer of at least 1 (got {concurrency!r})",
            parameter="concurrency",
            operation="querySpaceUsageByUser",
        )
    import asyncio  # see the TYPE_CHECKING import above

    batches = _batches(user_ids)
    limit = asyncio.Semaphore(concurrency)
    results = await asyncio.gather(*(_afetch_batch(client, b, limit) for b in batches))
    records = [record for batch_records in results for record in batch_records]
    return _merge([u for batch in batches for u in batch], records)
