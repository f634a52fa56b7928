"""Per-call overhead in instructions (bench/instructions.py): deterministic, so the ratio to
bare httpx is the same on every run of the same code, unlike CPU time on a VM."""

from __future__ import annotations

import pytest

from bench import instructions
from bench.calls import SCENARIOS
from bench.conftest import MEASURED, report

pytestmark = pytest.mark.skipif(
    not instructions.available(), reason="valgrind is not installed (make bench installs it)"
)


@pytest.mark.parametrize("records", [10, 100])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_instructions_per_call(static_server: str, scenario: str, records: int) -> None:
    count = instructions.per_call(scenario, records, static_server)
    assert count > 0
    MEASURED[f"ic{records}:{scenario}"] = count
    report(f"instructions per call, {records} records: {scenario}", count, "instr")
