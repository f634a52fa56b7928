"""Replies whose form varies: numbers sent as strings or numbers, one record or a list.

Paging team spaces is ``paging.py``; batching user IDs ``batching.py``."""

from __future__ import annotations

from koodrive_space_client.models import (
    GetSpaceAllocatedData,
    SpaceAllocationResponse,
    TeamSpaceInfo,
    TeamSpaceListResponse,
)
from koodrive_space_client.types import Unset

from koodrive_space.errors import UnreadableResponseError, whole_number


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
