"""The paging and batching helpers on real sockets, sync and async: a server that ignores
``offset`` stops them with an error instead of an endless loop, and errors reach the caller."""

from __future__ import annotations

from typing import Any

import koodrive_space as kd
import pytest

from tests.wire import Answer, ScriptedServer, Seen, team_spaces, usage

TEAMS = [{"id": f"team-{n}", "containerId": f"c-{n}", "ownerName": "x"} for n in range(3)]


def client_of(server: ScriptedServer) -> Any:
    return kd.create_client(
        server.url, auth=kd.AppAuth("wire-app", "wire-secret", "u"), retry_base_delay=0.01
    )


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("total", [None, "1000"], ids=["no total", "a total"])
def test_team_paging_stops_with_an_error_when_offset_is_ignored(
    mode: str, total: str | None
) -> None:
    body: dict[str, Any] = {"code": 0, "teams": TEAMS}
    if total is not None:
        body["total"] = total
    with (
        ScriptedServer(Answer(200, body)) as server,
        pytest.raises(kd.UnreadableResponseError, match="the server ignores offset"),
    ):
        team_spaces(client_of(server), mode, page_size=3, concurrency=1)
    assert len(server.seen) == 2
    assert [seen.raw_query for seen in server.seen] == [b"offset=0&limit=3", b"offset=3&limit=3"]


def test_team_paging_reads_to_the_last_page(mode: str) -> None:
    def page(seen: Seen) -> Answer:
        offset = int(seen.raw_query.split(b"&")[0].split(b"=")[1])
        teams = [{"id": f"team-{n}"} for n in range(offset, min(offset + 2, 5))]
        return Answer(200, {"code": 0, "total": 5, "teams": teams})

    with ScriptedServer(page) as server:
        found = team_spaces(client_of(server), mode, page_size=2)
    assert [team.id for team in found] == [f"team-{n}" for n in range(5)]
    assert len(server.seen) == 3


def test_usage_paging_stops_with_an_error_when_offset_is_ignored(mode: str) -> None:
    records = [{"userId": str(n), "used": 0} for n in range(2)]
    with (
        ScriptedServer(Answer(200, {"code": 0, "total": 4, "data": records})) as server,
        pytest.raises(kd.UnreadableResponseError, match="the server ignores offset"),
    ):
        usage(client_of(server), mode, ["0", "1", "2", "3"])
    assert len(server.seen) == 2


def test_a_failing_page_raises_its_error(mode: str) -> None:
    answers = [
        Answer(200, {"code": 0, "total": 6, "teams": TEAMS}),
        Answer(400, {"code": 13000102, "msg": "Verify parameters failed."}),
    ]
    with ScriptedServer(*answers) as server, pytest.raises(kd.InvalidParameterError) as caught:
        team_spaces(client_of(server), mode, page_size=3)
    assert caught.value.operation == "listTeamSpaces"
    assert caught.value.trace_id == server.seen[1].header("X-Traceid")
