"""Bulk: ``query_usage`` for 10,000 user IDs against the emulator (another process, its
reference tenant grown to 10,000 users), sync and async: requests sent, wall time, speed-up."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import koodrive_space as kd
import pytest
from koodrive_emulator import data as dataset

from bench.conftest import MEASURED, record, report

USERS = 10_000
BULK = pytest.mark.benchmark(group="bulk", warmup=False)


def _user_ids() -> list[str]:
    data = dataset.build()
    dataset.grow(data, dataset.SEED_TENANT, USERS)
    return data.tenants[dataset.SEED_TENANT].users[:USERS]


def _counting_client(env: dict[str, str], sent: Counter[str]) -> Any:
    def count(request: httpx.Request) -> None:
        sent[request.method] += 1

    async def acount(request: httpx.Request) -> None:
        count(request)

    client = kd.create_client(environ=env)
    client.get_httpx_client().event_hooks["request"].append(count)
    client.get_async_httpx_client().event_hooks["request"].append(acount)
    return client


@BULK
def test_sync(benchmark: Any, bulk_emulator: tuple[str, dict[str, str]]) -> None:
    _, env = bulk_emulator
    user_ids, sent = _user_ids(), Counter[str]()
    with _counting_client(env, sent) as client:
        records = benchmark.pedantic(kd.query_usage, (client, user_ids), rounds=3, iterations=1)
    assert [r.user_id for r in records] == user_ids
    assert sent["POST"] == 3 * 200  # 10,000 IDs in batches of 50, one page each, 3 rounds
    report("bulk sync: requests per query_usage of 10,000 IDs", sent["POST"] / 3, "")
    record("bulk:sync", benchmark)
    report("bulk sync: wall time", MEASURED["bulk:sync"], "s")


@BULK
@pytest.mark.parametrize("concurrency", [4, 8])
def test_async(benchmark: Any, bulk_emulator: tuple[str, dict[str, str]], concurrency: int) -> None:
    _, env = bulk_emulator
    user_ids, sent = _user_ids(), Counter[str]()

    def run() -> list[Any]:
        async def go() -> list[Any]:
            # A client per run: an async client belongs to the event loop it was opened in.
            async with _counting_client(env, sent) as client:
                return await kd.aquery_usage(client, user_ids, concurrency=concurrency)

        return asyncio.run(go())

    records = benchmark.pedantic(run, rounds=3, iterations=1)
    assert [r.user_id for r in records] == user_ids
    assert sent["POST"] == 3 * 200
    key = f"bulk:async{concurrency}"
    record(key, benchmark)
    report(f"bulk async, concurrency {concurrency}: wall time", MEASURED[key], "s")
    if "bulk:sync" in MEASURED:
        speedup = MEASURED["bulk:sync"] / MEASURED[key]
        report(f"bulk async, concurrency {concurrency}: speed-up over sync", speedup, "x")
