"""Space usage of any number of users: ``query_usage`` and ``aquery_usage`` ask in batches the
API accepts (``userIds``' ``maxItems``), up to ``concurrency`` batches in flight."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from koodrive_space_client import Client
from koodrive_space_client.api.space import query_space_usage_by_user
from koodrive_space_client.models import UsageByUserRequest, UsageByUserResponse, UserSpaceQuota
from koodrive_space_client.types import Unset

from koodrive_space import fanout, spec
from koodrive_space.errors import RequestValidationError, UnreadableResponseError

OPERATION = "querySpaceUsageByUser"


def _batches(user_ids: Iterable[str]) -> list[list[str]]:
    if isinstance(user_ids, str | bytes) or not isinstance(user_ids, Iterable):
        raise RequestValidationError(
            f"user_ids must be a list of user ID strings, not {type(user_ids).__name__}",
            parameter="userIds",
            operation=OPERATION,
        )
    unique: dict[str, None] = {}
    for position, user_id in enumerate(user_ids):
        if not isinstance(user_id, str) or not user_id:
            raise RequestValidationError(
                f"user_ids[{position}] must be a non-empty string (got {user_id!r})",
                parameter="userIds",
                operation=OPERATION,
            )
        unique.setdefault(user_id)
    size = spec.bound(OPERATION, "userIds", "maxItems")
    ordered = list(unique)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


def _next_request(batch: list[str], got: list[UserSpaceQuota]) -> UsageByUserRequest:
    return UsageByUserRequest(user_ids=batch, offset=len(got), limit=len(batch))


def _add_page(got: list[UserSpaceQuota], reply: UsageByUserResponse) -> bool:
    """Add a batch's reply page to ``got``; True when more pages remain.

    The reply may be paged (the example request sends limit/offset), so pages are fetched until
    ``total``. A page that brings no user not seen before is a repeat (a server ignoring
    offset): paging stops with an ``UnreadableResponseError`` rather than looping forever.
    """
    page = [] if isinstance(reply.data, Unset) else list(reply.data)
    total = None if isinstance(reply.total, Unset) else reply.total
    seen = {r.user_id for r in got}
    if got and page and not any(r.user_id not in seen for r in page):
        raise UnreadableResponseError(
            f"querySpaceUsageByUser answered offset {len(got)} with users it had already sent "
            "(the server ignores offset); paging stopped",
            status_code=200,
            operation=OPERATION,
        )
    got.extend(page)
    return bool(page) and total is not None and len(got) < total


def _merge(order: Sequence[str], records: Iterable[UserSpaceQuota]) -> list[UserSpaceQuota]:
    """Records in the order their user IDs were asked for; unexpected records kept at the end."""
    position = {user_id: index for index, user_id in enumerate(order)}
    return sorted(
        records,
        key=lambda r: (
            position.get(r.user_id, len(order)) if isinstance(r.user_id, str) else len(order)
        ),
    )


def query_usage(
    client: Client, user_ids: Iterable[str], *, concurrency: int = fanout.DEFAULT_CONCURRENCY
) -> list[UserSpaceQuota]:
    """Space usage of any number of users, up to ``concurrency`` batches in flight.

    Duplicate IDs are asked for once. The result follows the order of ``user_ids``; a user the
    service returns nothing for is absent from it.
    """
    limit = fanout.concurrency(concurrency, OPERATION)
    batches = _batches(user_ids)
    client.get_httpx_client()  # built here, once: a plain Client builds it without a lock

    def fetch(batch: list[str]) -> list[UserSpaceQuota]:
        got: list[UserSpaceQuota] = []
        body = _next_request(batch, got)
        while _add_page(got, query_space_usage_by_user.sync(client=client, body=body)):
            body = _next_request(batch, got)
        return got

    queue = iter(batches)
    done = fanout.ordered(fetch, lambda: next(queue, None), limit)
    return _merge([u for b in batches for u in b], [r for got in done for r in got])


async def aquery_usage(
    client: Client, user_ids: Iterable[str], *, concurrency: int | None = None
) -> list[UserSpaceQuota]:
    """The async twin of ``query_usage``; ``concurrency`` defaults to 4 on asyncio, 1 on other
    event loops (where more is refused)."""
    limit = fanout.async_concurrency(concurrency, OPERATION)
    batches = _batches(user_ids)

    async def fetch(batch: list[str]) -> list[UserSpaceQuota]:
        got: list[UserSpaceQuota] = []
        body = _next_request(batch, got)
        while _add_page(got, await query_space_usage_by_user.asyncio(client=client, body=body)):
            body = _next_request(batch, got)
        return got

    queue = iter(batches)
    records = [
        r async for got in fanout.aordered(fetch, lambda: next(queue, None), limit) for r in got
    ]
    return _merge([u for b in batches for u in b], records)
