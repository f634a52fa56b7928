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
from typing import Any

import pytest

from bench.calls import listing, records_in
from bench.conftest import record

PER_CALL = pytest.mark.benchmark(group="per-call", timer=time.process_time, warmup=True)


@PER_CALL
@pytest.mark.parametrize(
    ("scenario", "records"),
    [("bare", 10), ("bare", 100), ("parse", 100), ("ours", 10), ("ours", 100)],
)
def test_per_call(benchmark: Any, static_server: str, scenario: str, records: int) -> None:
    with listing(scenario, records, static_server) as call:
        reply = benchmark(call)
    assert records_in(reply) == records
    record(f"call{records}:{scenario}", benchmark, "min")
