"""The ``listTeamSpaces`` call the per-call benchmarks compare, made three ways, for both the
CPU-time benchmark (bench_per_call.py) and the instruction counts (instructions.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from koodrive_space import AppAuth, create_client
from koodrive_space_client.api.space import list_team_spaces
from koodrive_space_client.models import TeamSpaceListResponse, TeamType

PATH = "/koodrive/ose/v1/space/teamList"
KEY_WORD = "finance team"
TEAM_TYPE: TeamType = 1
SCENARIOS = ("bare", "parse", "ours")


@contextmanager
def listing(scenario: str, records: int, base_url: str) -> Iterator[Callable[[], Any]]:
    """One call of a ``records``-record page, made the way ``scenario`` says: ``bare`` httpx
    ``.get().json()``, ``parse`` that plus the generated models' ``from_dict``, ``ours`` through
    ``create_client`` and the generated ``sync`` (trace ids, bounds, signing, retries, reply
    checks and error mapping all on)."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}: expected one of {', '.join(SCENARIOS)}")
    if scenario == "ours":
        # FAKE credentials; the static server does not check them.
        with create_client(base_url, auth=AppAuth("bench-app", "bench-secret", "1")) as client:
            yield lambda: list_team_spaces.sync(
                client=client, offset=0, limit=records, key_word=KEY_WORD, team_type=TEAM_TYPE
            )
        return
    params: dict[str, str | int] = {
        "offset": 0,
        "limit": records,
        "keyWord": KEY_WORD,
        "teamType": TEAM_TYPE,
    }
    with httpx.Client(base_url=base_url) as bare:
        if scenario == "parse":
            yield lambda: TeamSpaceListResponse.from_dict(bare.get(PATH, params=params).json())
        else:
            yield lambda: bare.get(PATH, params=params).json()


def records_in(reply: Any) -> int:
    """How many team spaces a reply of any scenario carries."""
    if isinstance(reply, dict):
        return len(reply["teams"])
    assert isinstance(reply, TeamSpaceListResponse), type(reply)
    assert isinstance(reply.teams, list)
    return len(reply.teams)
