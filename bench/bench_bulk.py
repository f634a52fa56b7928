"""Bulk work 50 ms from the server, measured against the latency floor: ``query_usage`` of
10,000 user IDs (200 batches) and ``iter_team_spaces`` of 10,000 team spaces (100 pages), at
concurrency 8, sync and async, next to bare httpx sending the same requests at the same
concurrency in the same run.

The floor is what the round trips alone cost: requests / concurrency x latency, and for paging
one first page plus the rest / concurrency.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import koodrive_space as kd
import pytest
from koodrive_emulator import data as dataset
from koodrive_space_client.models import TeamSpaceListResponse, UsageByUserResponse

from bench.conftest import BULK_SIZE, LATENCY_SECONDS, MEASURED, record, report

CONCURRENCY = 8
PAGE = 100
BATCH = 50
BULK = pytest.mark.benchmark(group="bulk", warmup=False)
FLOOR = {
    "usage": BULK_SIZE / BATCH / CONCURRENCY * LATENCY_SECONDS,
    "paging": (1 + (BULK_SIZE / PAGE - 1) / CONCURRENCY) * LATENCY_SECONDS,
}
TARGET = 1.3


def _user_ids() -> list[str]:
    data = dataset.build()
    dataset.grow(data, dataset.SEED_TENANT, BULK_SIZE)
    return data.tenants[dataset.SEED_TENANT].users[:BULK_SIZE]


def _bare_client(env: dict[str, str]) -> dict[str, Any]:
    """Bare httpx's options: token auth, no checks, no models."""
    headers = {
        "Authorization": f"Bearer {env['KOODRIVE_TOKEN']}",
        "X-User-Id": env["KOODRIVE_USER_ID"],
    }
    return {"base_url": env["KOODRIVE_BASE_URL"], "headers": headers}


USAGE = kd.spec.operation("querySpaceUsageByUser").path
TEAMS = kd.spec.operation("listTeamSpaces").path


def _batches(user_ids: list[str]) -> list[dict[str, Any]]:
    return [
        {"userIds": user_ids[start : start + BATCH], "offset": 0, "limit": BATCH}
        for start in range(0, len(user_ids), BATCH)
    ]


def _records(reply: Any, parse: bool, field: str) -> Any:
    """A reply's records: the JSON's, or (``parse``) the generated models'."""
    if not parse:
        return reply[field]
    model = TeamSpaceListResponse if field == "teams" else UsageByUserResponse
    return getattr(model.from_dict(reply), field)


def bare_usage(env: dict[str, str], user_ids: list[str], parse: bool = False) -> list[Any]:
    def post(body: dict[str, Any]) -> Any:
        return _records(http.post(USAGE, json=body).json(), parse, "data")

    with httpx.Client(**_bare_client(env)) as http, ThreadPoolExecutor(CONCURRENCY) as pool:
        return [record for records in pool.map(post, _batches(user_ids)) for record in records]


def bare_paging(env: dict[str, str], parse: bool = False) -> list[Any]:
    def page(offset: int) -> Any:
        reply = http.get(TEAMS, params={"offset": offset, "limit": PAGE}).json()
        return int(reply["total"]), _records(reply, parse, "teams")

    with httpx.Client(**_bare_client(env)) as http, ThreadPoolExecutor(CONCURRENCY) as pool:
        total, first = page(0)
        rest = pool.map(page, range(PAGE, total, PAGE))
        return [*first, *(team for _, teams in rest for team in teams)]


async def abare_usage(env: dict[str, str], user_ids: list[str], parse: bool = False) -> list[Any]:
    limit = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(**_bare_client(env)) as http:

        async def post(body: dict[str, Any]) -> Any:
            async with limit:
                return _records((await http.post(USAGE, json=body)).json(), parse, "data")

        replies = await asyncio.gather(*(post(body) for body in _batches(user_ids)))
        return [record for records in replies for record in records]


async def abare_paging(env: dict[str, str], parse: bool = False) -> list[Any]:
    limit = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(**_bare_client(env)) as http:

        async def page(offset: int) -> Any:
            async with limit:
                reply = (await http.get(TEAMS, params={"offset": offset, "limit": PAGE})).json()
                return int(reply["total"]), _records(reply, parse, "teams")

        total, first = await page(0)
        rest = await asyncio.gather(*(page(o) for o in range(PAGE, total, PAGE)))
        return [*first, *(team for _, teams in rest for team in teams)]


def ours(env: dict[str, str], work: str, mode: str, user_ids: list[str]) -> list[Any]:
    if mode == "sync":
        with kd.create_client(environ=env) as client:
            if work == "usage":
                return kd.query_usage(client, user_ids, concurrency=CONCURRENCY)
            return list(kd.iter_team_spaces(client, page_size=PAGE, concurrency=CONCURRENCY))

    async def run() -> list[Any]:
        async with kd.create_client(environ=env) as client:
            if work == "usage":
                return await kd.aquery_usage(client, user_ids, concurrency=CONCURRENCY)
            pages = kd.aiter_team_spaces(client, page_size=PAGE, concurrency=CONCURRENCY)
            return [team async for team in pages]

    return asyncio.run(run())


def bare(
    env: dict[str, str], work: str, mode: str, user_ids: list[str], parse: bool = False
) -> list[Any]:
    if mode == "sync":
        return bare_usage(env, user_ids, parse) if work == "usage" else bare_paging(env, parse)
    if work == "usage":
        return asyncio.run(abare_usage(env, user_ids, parse))
    return asyncio.run(abare_paging(env, parse))


def parsed(env: dict[str, str], work: str, mode: str, user_ids: list[str]) -> list[Any]:
    """Bare httpx plus the generated models' ``from_dict`` of each reply, where ours parses."""
    return bare(env, work, mode, user_ids, parse=True)


@BULK
@pytest.mark.parametrize("work", ["usage", "paging"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("who", ["bare", "parse", "ours"])
def test_bulk_near_the_latency_floor(
    benchmark: Any,
    wan_emulator: tuple[str, dict[str, str]],
    who: str,
    mode: str,
    work: str,
) -> None:
    _, env = wan_emulator
    user_ids = _user_ids()
    runner: Callable[..., list[Any]] = {"bare": bare, "parse": parsed, "ours": ours}[who]
    found = benchmark.pedantic(runner, (env, work, mode, user_ids), rounds=5, iterations=1)
    assert len(found) == BULK_SIZE
    key = f"bulk:{work}:{mode}:{who}"
    record(key, benchmark)
    floor = FLOOR[work]
    what = "query_usage 10,000 IDs" if work == "usage" else "iter_team_spaces 10,000"
    ratio = MEASURED[key] / floor
    name = f"bulk {mode}, {what}, {who}: wall / floor {floor:.2f} s"
    if who == "ours":
        report(name, ratio, "x", f"<= {TARGET}", ratio <= TARGET)
        for other, named in (("bare", "bare"), ("parse", "bare + generated parse")):
            other_key = f"bulk:{work}:{mode}:{other}"
            if other_key in MEASURED:
                ratio = MEASURED[key] / MEASURED[other_key]
                report(f"bulk {mode}, {what}: ours / {named}", ratio, "x")
    else:
        report(name, ratio, "x")
