"""Per-call overhead: client-side CPU time of a signed, parsed ``listTeamSpaces`` call through
``create_client`` and the generated client (trace ids, bounds, retries, reply checks and error
mapping all on), against a bare ``httpx.Client.get(...).json()`` of the same bytes from the same
server (bench/static_server.py, another process).

The timer is ``time.process_time``: this process's CPU time, so the server's work and the wait
for it are left out. The ratios use each measurement's fastest call: on a shared VM the noise
(steal, interrupts) only ever adds time, and the medians of one run vary by up to 2x. For a
number that does not move between runs, see bench/instructions.py.

10 records is the reference's example page; 100 is ``iter_team_spaces``' page size, where
parsing the records into the generated models dominates, so it is also compared with a bare
call plus the generated models' own ``from_dict`` ("parse").
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from koodrive_space import AppAuth, create_client
from koodrive_space_client.api.space import list_team_spaces
from koodrive_space_client.models import TeamSpaceListResponse

from bench.conftest import record

PATH = "/koodrive/ose/v1/space/teamList"
KEY_WORD, TEAM_TYPE = "finance team", 1
PER_CALL = pytest.mark.benchmark(group="per-call", timer=time.process_time, warmup=True)


@pytest.fixture(scope="module")
def bare(static_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=static_server) as client:
        yield client


@pytest.fixture(scope="module")
def ours(static_server: str) -> Iterator[Any]:
    # FAKE credentials; the static server does not check them.
    client = create_client(static_server, auth=AppAuth("bench-app", "bench-secret", "1"))
    with client:
        yield client


def _params(limit: int) -> dict[str, Any]:
    return {"offset": 0, "limit": limit, "keyWord": KEY_WORD, "teamType": TEAM_TYPE}


@PER_CALL
@pytest.mark.parametrize("limit", [10, 100])
def test_bare_httpx(benchmark: Any, bare: httpx.Client, limit: int) -> None:
    reply = benchmark(lambda: bare.get(PATH, params=_params(limit)).json())
    assert len(reply["teams"]) == limit
    record(f"call{limit}:bare", benchmark, "min")


@PER_CALL
def test_bare_httpx_and_generated_parse(benchmark: Any, bare: httpx.Client) -> None:
    def call() -> TeamSpaceListResponse:
        return TeamSpaceListResponse.from_dict(bare.get(PATH, params=_params(100)).json())

    reply = benchmark(call)
    assert isinstance(reply.teams, list)
    assert len(reply.teams) == 100
    record("call100:parse", benchmark, "min")


@PER_CALL
@pytest.mark.parametrize("limit", [10, 100])
def test_ours(benchmark: Any, ours: Any, limit: int) -> None:
    def call() -> Any:
        return list_team_spaces.sync(
            client=ours, offset=0, limit=limit, key_word=KEY_WORD, team_type=TEAM_TYPE
        )

    reply = benchmark(call)
    assert isinstance(reply, TeamSpaceListResponse)
    assert isinstance(reply.teams, list)
    assert len(reply.teams) == limit
    record(f"call{limit}:ours", benchmark, "min")
