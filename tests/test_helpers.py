"""Paging team spaces, batching user IDs, and the helpers for replies whose form varies."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import koodrive_space as kd
import pytest
from koodrive_space_client.models import GetSpaceAllocatedData, SpaceAllocationResponse
from koodrive_space_client.types import UNSET

from tests.mock_service import Script, async_client_for, client_for
from tests.openapi_doc import operation, resolve

LIMIT = {p["name"]: p["schema"] for p in operation("listTeamSpaces").parameters}["limit"]
MAX_IDS = resolve(operation("querySpaceUsageByUser").body["requestBody"])["content"][
    "application/json"
]["schema"]["properties"]["userIds"]["maxItems"]


def team_service(count: int, *, with_total: bool = True) -> Script:
    def reply(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        teams = [
            {"id": f"team-{n}", "ownerName": request.url.params.get("keyWord", "")}
            for n in range(offset, min(offset + limit, count))
        ]
        body: dict[str, Any] = {"code": 0, "msg": "OK", "teams": teams}
        if with_total:
            body["total"] = str(count)  # the table's form: a String
        return httpx.Response(200, json=body)

    return Script(reply)


@pytest.mark.parametrize(
    ("count", "page_size", "with_total", "offsets"),
    [
        (250, 100, True, [0, 100, 200]),
        (200, 100, True, [0, 100]),
        (200, 100, False, [0, 100, 200]),
        (0, 100, True, [0]),
        (7, 3, True, [0, 3, 6]),
        (1, 1, True, [0]),
    ],
)
@pytest.mark.parametrize("concurrency", [1, 4])
def test_iter_team_spaces_reads_every_page_and_stops_on_the_last(
    count: int, page_size: int, with_total: bool, offsets: list[int], concurrency: int
) -> None:
    script = team_service(count, with_total=with_total)
    pages = kd.iter_team_spaces(client_for(script), page_size=page_size, concurrency=concurrency)
    assert [t.id for t in pages] == [f"team-{n}" for n in range(count)]
    # Pages in flight together may reach the server in any order.
    assert sorted(int(r.url.params["offset"]) for r in script.requests) == offsets
    assert {int(r.url.params["limit"]) for r in script.requests} == {page_size}


def test_iter_team_spaces_passes_the_filters() -> None:
    script = team_service(3)
    found = list(kd.iter_team_spaces(client_for(script), key_word="fin ance", team_type=2))
    assert [t.owner_name for t in found] == ["fin ance"] * 3
    assert script.requests[0].url.params["teamType"] == "2"


def test_iter_team_spaces_reads_the_example_shaped_reply() -> None:
    single = {"code": 0, "msg": "OK", "data": {"containerId": "c1", "spaceUsed": 91966408}}
    script = Script(httpx.Response(200, json=single))
    found = list(kd.iter_team_spaces(client_for(script)))
    assert [t.container_id for t in found] == ["c1"]
    assert kd.as_int(found[0].space_used) == 91966408
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    "page_size", [LIMIT["minimum"] - 1, LIMIT["maximum"] + 1, "10", True, 2.0, None]
)
def test_iter_team_spaces_refuses_page_sizes_outside_the_spec(page_size: Any) -> None:
    script = team_service(3)
    with pytest.raises(kd.RequestValidationError) as caught:
        list(kd.iter_team_spaces(client_for(script), page_size=page_size))
    assert caught.value.parameter == "page_size"
    assert (
        f"page_size must be an integer from {LIMIT['minimum']} to {LIMIT['maximum']} "
        f"(got {page_size!r})"
    ) in str(caught.value)
    assert script.requests == []


def test_aiter_team_spaces_matches_the_sync_version() -> None:
    script = team_service(230)

    async def collect() -> list[str | None]:
        found: list[str | None] = []
        spaces: AsyncIterator[Any] = kd.aiter_team_spaces(async_client_for(script), page_size=100)
        async for team in spaces:
            found.append(team.id)
        return found

    assert asyncio.run(collect()) == [f"team-{n}" for n in range(230)]
    assert [int(r.url.params["offset"]) for r in script.requests] == [0, 100, 200]


def usage_service(
    *,
    page_cap: int | None = None,
    ignore_offset: bool = False,
    unknown: frozenset[str] = frozenset(),
) -> Script:
    def reply(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        ids = [u for u in body["userIds"] if u not in unknown]
        offset = 0 if ignore_offset else body.get("offset", 0)
        end = len(ids) if page_cap is None else offset + page_cap
        page = [{"userId": u, "quota": "1048576", "used": float(i)} for i, u in enumerate(ids)][
            offset:end
        ]
        page.reverse()  # the service's order is not the caller's
        return httpx.Response(
            200,
            json={
                "code": 0,
                "msg": "success",
                "data": page,
                "total": len(ids) + (10 if ignore_offset else 0),
            },
        )

    return Script(reply)


def test_query_usage_batches_by_the_spec_maximum_and_keeps_input_order() -> None:
    ids = [f"user-{n:03d}" for n in range(2 * MAX_IDS + 20)]
    script = usage_service()
    records = kd.query_usage(client_for(script), ids)
    assert [r.user_id for r in records] == ids
    sizes = sorted(len(json.loads(r.content)["userIds"]) for r in script.requests)
    assert sizes == [20, MAX_IDS, MAX_IDS]


def test_query_usage_asks_once_per_user_and_omits_users_the_service_does_not_know() -> None:
    script = usage_service(unknown=frozenset({"ghost"}))
    records = kd.query_usage(client_for(script), ["b", "a", "ghost", "b"])
    assert [r.user_id for r in records] == ["b", "a"]
    assert json.loads(script.requests[0].content)["userIds"] == ["b", "a", "ghost"]


def test_query_usage_follows_a_paged_reply_within_a_batch() -> None:
    ids = [str(n) for n in range(25)]
    script = usage_service(page_cap=10)
    records = kd.query_usage(client_for(script), ids)
    assert [r.user_id for r in records] == ids
    assert [json.loads(r.content)["offset"] for r in script.requests] == [0, 10, 20]


def test_query_usage_stops_loudly_when_the_service_ignores_offset() -> None:
    script = usage_service(page_cap=5, ignore_offset=True)
    with pytest.raises(kd.UnreadableResponseError, match="answered offset 5 with users it had"):
        kd.query_usage(client_for(script), [str(n) for n in range(8)])
    assert len(script.requests) == 2  # the second page brought nothing new


def test_query_usage_of_no_users_sends_nothing() -> None:
    script = usage_service()
    assert kd.query_usage(client_for(script), []) == []
    assert script.requests == []


@pytest.mark.parametrize(
    ("user_ids", "problem"),
    [
        ("12345", "user_ids must be a list of user ID strings, not str"),
        ([1, 2], r"user_ids\[0\] must be a non-empty string \(got 1\)"),
        (["1", ""], r"user_ids\[1\] must be a non-empty string"),
        (None, "user_ids must be a list of user ID strings, not NoneType"),
    ],
)
def test_query_usage_refuses_bad_user_ids(user_ids: Any, problem: str) -> None:
    script = usage_service()
    with pytest.raises(kd.RequestValidationError, match=problem):
        kd.query_usage(client_for(script), user_ids)
    assert script.requests == []


def test_aquery_usage_runs_batches_concurrently_within_the_bound() -> None:
    ids = [f"u{n}" for n in range(MAX_IDS * 9)]
    in_flight, peak = 0, 0
    script = usage_service()

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return script(request)

    client = kd.create_client(
        "https://intl.myhuaweicloud-koodrive.com",
        auth=kd.AppAuth("a", "s", "u"),
        async_transport=httpx.MockTransport(handler),
    )
    records = asyncio.run(kd.aquery_usage(client, ids, concurrency=3))
    assert [r.user_id for r in records] == ids
    assert peak == 3
    assert len(script.requests) == 9


@pytest.mark.parametrize("concurrency", [0, -1, 1.5, True])
def test_aquery_usage_refuses_a_bad_concurrency(concurrency: Any) -> None:
    client = async_client_for(usage_service())
    with pytest.raises(kd.RequestValidationError, match="concurrency must be an integer"):
        asyncio.run(kd.aquery_usage(client, ["1"], concurrency=concurrency))


@pytest.mark.parametrize(
    ("value", "expected"), [(5, 5), ("5", 5), ("-3", -3), (UNSET, None), (None, None)]
)
def test_as_int_reads_both_forms(value: Any, expected: int | None) -> None:
    assert kd.as_int(value) == expected


@pytest.mark.parametrize("value", ["5.5", "", "abc", True, "--1", "①", " 8", "8\n", "+8", 5.0])
def test_as_int_names_the_field_it_cannot_read(value: Any) -> None:
    with pytest.raises(kd.UnreadableResponseError, match="capacity should be a whole number"):
        kd.as_int(value, "capacity")


def test_allocation_records_reads_both_forms() -> None:
    single = SpaceAllocationResponse.from_dict({"code": 0, "data": {"type": "0"}})
    many = SpaceAllocationResponse.from_dict({"code": "0", "data": [{"type": 0}, {"type": 1}]})
    empty = SpaceAllocationResponse.from_dict({"code": 0})
    assert [kd.as_int(r.type_) for r in kd.allocation_records(single)] == [0]
    assert [kd.as_int(r.type_) for r in kd.allocation_records(many)] == [0, 1]
    assert kd.allocation_records(empty) == []
    assert all(isinstance(r, GetSpaceAllocatedData) for r in kd.allocation_records(many))
