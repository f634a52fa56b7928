"""The bulk helpers with several requests in flight (``concurrency=``), on real sockets, sync and
async: pages in order and the same as one at a time, requests really overlapping, at most about
``concurrency`` pages held, an error raised once from the page where it happened, connections
reused, and bad settings refused by name."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import koodrive_space as kd
import pytest

from tests.wire import Answer, ScriptedServer, Seen, team_spaces, usage

SPACES = 53


def client_of(server: ScriptedServer) -> Any:
    return kd.create_client(
        server.url, auth=kd.AppAuth("bulk-app", "bulk-secret", "u"), retry_base_delay=0.01
    )


def number(seen: Seen, name: bytes) -> int:
    query = dict(pair.split(b"=") for pair in seen.raw_query.split(b"&"))
    return int(query[name])


class Overlap:
    """Counts how many requests the server is handling at once; each takes ``latency``."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.now = self.most = 0
        self._lock = threading.Lock()

    def hold(self) -> None:
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(self.latency)
        with self._lock:
            self.now -= 1


def team_pages(
    overlap: Overlap, *, spaces: int = SPACES, total: bool = True, fail_at: int | None = None
) -> Callable[[Seen], Answer]:
    def answer(seen: Seen) -> Answer:
        overlap.hold()
        offset, limit = number(seen, b"offset"), number(seen, b"limit")
        if offset == fail_at:
            return Answer(400, {"code": 13000102, "msg": "Verify parameters failed."})
        teams = [
            {"id": f"team-{n}", "containerId": f"c-{n}"}
            for n in range(offset, min(offset + limit, spaces))
        ]
        body: dict[str, Any] = {"code": 0, "teams": teams}
        if total:
            body["total"] = str(spaces)
        return Answer(200, body)

    return answer


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# -- paging --------------------------------------------------------------------------------


@pytest.mark.parametrize("concurrency", [1, 2, 4, 8])
def test_pages_arrive_in_order_as_one_at_a_time_would_give_them(
    mode: str, concurrency: int
) -> None:
    overlap = Overlap(0.05)
    with ScriptedServer(team_pages(overlap)) as server:
        found = team_spaces(client_of(server), mode, page_size=5, concurrency=concurrency)
    assert [team.id for team in found] == [f"team-{n}" for n in range(SPACES)]
    assert sorted(number(seen, b"offset") for seen in server.seen) == list(range(0, SPACES, 5))
    assert overlap.most == concurrency  # after the first page, `concurrency` at once, no more


@pytest.mark.parametrize("concurrency", [2, 4])
def test_a_busy_interpreter_never_has_more_than_concurrency_on_the_wire(
    mode: str, concurrency: int, switching_often: None
) -> None:
    """Threads switched as often as possible (a loaded machine): still never one request more
    than ``concurrency`` at once."""
    for _ in range(3):
        overlap = Overlap(0.01)
        with ScriptedServer(team_pages(overlap, spaces=300)) as server:
            found = team_spaces(client_of(server), mode, page_size=5, concurrency=concurrency)
        assert [team.id for team in found] == [f"team-{n}" for n in range(300)]
        # A slow machine may not fill every slot in 10 ms; it must never overfill one.
        assert 2 <= overlap.most <= concurrency


@pytest.fixture
def switching_often() -> Iterator[None]:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def test_without_a_total_paging_stays_sequential(mode: str) -> None:
    overlap = Overlap(0.02)
    with ScriptedServer(team_pages(overlap, total=False)) as server:
        found = team_spaces(client_of(server), mode, page_size=5, concurrency=8)
    assert [team.id for team in found] == [f"team-{n}" for n in range(SPACES)]
    assert overlap.most == 1
    assert len(server.seen) == 11


def test_a_total_larger_than_the_records_ends_at_the_short_page(mode: str) -> None:
    """total says 1000, the pages run out at 53: the same records as one at a time, and the
    pages asked for beyond the end are dropped."""

    def overstated(seen: Seen) -> Answer:
        answer = team_pages(Overlap(0.0))(seen)
        assert isinstance(answer.body, dict)
        return Answer(200, {**answer.body, "total": "1000"})

    with ScriptedServer(overstated) as server:
        found = team_spaces(client_of(server), mode, page_size=5, concurrency=4)
    assert [team.id for team in found] == [f"team-{n}" for n in range(SPACES)]
    assert len(server.seen) <= 11 + 4


@pytest.mark.parametrize("concurrency", [1, 4])
def test_an_error_is_raised_once_from_the_page_where_it_happened(
    mode: str, concurrency: int
) -> None:
    got: list[Any] = []

    def collect(client: Any) -> None:
        if mode == "sync":
            got.extend(
                t.id for t in kd.iter_team_spaces(client, page_size=5, concurrency=concurrency)
            )
            return

        async def go() -> None:
            async for team in kd.aiter_team_spaces(client, page_size=5, concurrency=concurrency):
                got.append(team.id)

        asyncio.run(go())

    with (
        ScriptedServer(team_pages(Overlap(0.02), fail_at=20)) as server,
        pytest.raises(kd.InvalidParameterError) as caught,
    ):
        collect(client_of(server))
    assert got == [f"team-{n}" for n in range(20)]  # every page before the failing one
    failed = next(seen for seen in server.seen if number(seen, b"offset") == 20)
    assert caught.value.trace_id == failed.header("X-Traceid")
    assert caught.value.operation == "listTeamSpaces"
    assert len(server.seen) <= 5 + concurrency  # what was in flight, not the rest of the list


def test_once_a_page_has_failed_no_other_is_asked_for(mode: str) -> None:
    """The page at 15 fails at once while those before it are slow: the error is certain, so
    the slots those free are not refilled (the first fan-out asks for 5 to 20)."""
    bad = Answer(400, {"code": 13000102, "msg": "Verify parameters failed."})

    def answer(seen: Seen) -> Answer:
        offset = number(seen, b"offset")
        if offset == 15:
            return bad
        if offset in (5, 10):
            time.sleep(0.5)
        teams = [{"id": f"team-{n}", "containerId": f"c-{n}"} for n in range(offset, offset + 5)]
        return Answer(200, {"code": 0, "total": "200", "teams": teams})

    with ScriptedServer(answer) as server, pytest.raises(kd.InvalidParameterError) as caught:
        team_spaces(client_of(server), mode, page_size=5, concurrency=4)
    assert sorted(number(seen, b"offset") for seen in server.seen) == [0, 5, 10, 15, 20]
    failed = next(seen for seen in server.seen if number(seen, b"offset") == 15)
    assert caught.value.trace_id == failed.header("X-Traceid")


@pytest.mark.parametrize("concurrency", [1, 3])
def test_at_most_about_concurrency_pages_are_held(mode: str, concurrency: int) -> None:
    """A caller that reads one page and pauses has at most ``concurrency`` more asked for."""
    overlap = Overlap(0.0)

    async def first_page_then_pause(client: Any) -> None:
        pages = kd.aiter_team_spaces(client, page_size=5, concurrency=concurrency)
        for _ in range(6):  # the first page and the first record of the second
            await anext(pages)
        await asyncio.sleep(0.3)
        await pages.aclose()

    with ScriptedServer(team_pages(overlap)) as server:
        client = client_of(server)
        if mode == "sync":
            pages = kd.iter_team_spaces(client, page_size=5, concurrency=concurrency)
            for _ in range(6):
                next(pages)
            time.sleep(0.3)
            pages.close()
        else:
            asyncio.run(first_page_then_pause(client))
        asked = len(server.seen)
    assert asked == 1 + concurrency


def test_a_repeated_page_stops_paging_with_concurrency(mode: str) -> None:
    same = [{"id": f"team-{n}", "containerId": f"c-{n}"} for n in range(5)]
    with (
        ScriptedServer(Answer(200, {"code": 0, "total": "40", "teams": same})) as server,
        pytest.raises(kd.UnreadableResponseError, match="offset 5 with the same spaces"),
    ):
        team_spaces(client_of(server), mode, page_size=5, concurrency=4)
    assert len(server.seen) <= 1 + 4


def test_concurrent_pages_reuse_their_connections(mode: str) -> None:
    with ScriptedServer(team_pages(Overlap(0.02), spaces=200)) as server:
        team_spaces(client_of(server), mode, page_size=5, concurrency=8)
        assert len(server.seen) == 40
        assert server.connections <= 8


# -- batching ------------------------------------------------------------------------------


def usage_pages(overlap: Overlap, fail_batch: int | None = None) -> Callable[[Seen], Answer]:
    def answer(seen: Seen) -> Answer:
        overlap.hold()
        users = json.loads(seen.body)["userIds"]
        if fail_batch is not None and users[0] == str(fail_batch * 50):
            return Answer(400, {"code": 13000102, "msg": "Verify parameters failed."})
        data = [{"userId": user, "used": int(user)} for user in reversed(users)]
        return Answer(200, {"code": 0, "total": len(users), "data": data})

    return answer


@pytest.mark.parametrize("concurrency", [1, 4, 8])
def test_batches_overlap_and_results_follow_the_ids_asked_for(mode: str, concurrency: int) -> None:
    overlap = Overlap(0.05)
    user_ids = [str(n) for n in range(1000)]
    with ScriptedServer(usage_pages(overlap)) as server:
        records = usage(client_of(server), mode, user_ids, concurrency=concurrency)
    assert [r.user_id for r in records] == user_ids
    assert len(server.seen) == 20
    assert overlap.most == concurrency


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_failing_batch_raises_its_error_once_and_stops_the_rest(
    mode: str, concurrency: int
) -> None:
    user_ids = [str(n) for n in range(1000)]
    with (
        ScriptedServer(usage_pages(Overlap(0.02), fail_batch=3)) as server,
        pytest.raises(kd.InvalidParameterError) as caught,
    ):
        usage(client_of(server), mode, user_ids, concurrency=concurrency)
    failed = next(s for s in server.seen if json.loads(s.body)["userIds"][0] == "150")
    assert caught.value.trace_id == failed.header("X-Traceid")
    assert len(server.seen) <= 4 + concurrency


def test_once_a_batch_has_failed_no_other_is_sent(mode: str) -> None:
    """Batch 3 fails at once while 0 to 2 are slow: nothing after the first four is sent."""

    def answer(seen: Seen) -> Answer:
        users = json.loads(seen.body)["userIds"]
        if users[0] == "150":
            return Answer(400, {"code": 13000102, "msg": "Verify parameters failed."})
        time.sleep(0.5)
        return Answer(200, {"code": 0, "data": [{"userId": u, "used": 1} for u in users]})

    user_ids = [str(n) for n in range(1000)]
    with ScriptedServer(answer) as server, pytest.raises(kd.InvalidParameterError):
        usage(client_of(server), mode, user_ids, concurrency=4)
    firsts = sorted(int(json.loads(seen.body)["userIds"][0]) for seen in server.seen)
    assert firsts == [0, 50, 100, 150]


# -- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"), [(0, "0"), (17, "17"), (True, "True"), ("4", "'4'"), (2.0, "2.0")]
)
def test_a_bad_concurrency_is_refused_before_sending(mode: str, value: Any, shown: str) -> None:
    with ScriptedServer(team_pages(Overlap(0.0))) as server:
        client = client_of(server)
        helpers: list[Callable[[], object]] = [
            lambda: team_spaces(client, mode, concurrency=value),
            lambda: usage(client, mode, ["1"], concurrency=value),
        ]
        for helper in helpers:
            with pytest.raises(kd.RequestValidationError) as caught:
                helper()
            assert caught.value.parameter == "concurrency"
            assert f"concurrency must be an integer from 1 to 16 (got {shown})" in str(caught.value)
        assert server.seen == []


def test_under_trio_the_default_is_one_at_a_time_and_more_is_refused() -> None:
    import trio

    async def collect(client: Any, **options: Any) -> list[Any]:
        return [t async for t in kd.aiter_team_spaces(client, page_size=5, **options)]

    async def usage_of(client: Any, **options: Any) -> list[Any]:
        return await kd.aquery_usage(client, [str(n) for n in range(120)], **options)

    overlap = Overlap(0.01)
    with ScriptedServer(team_pages(overlap)) as server:
        client = client_of(server)
        assert len(trio.run(collect, client)) == SPACES
        assert len(trio.run(functools.partial(collect, client, concurrency=1))) == SPACES
        with pytest.raises(kd.ConfigurationError, match="concurrency=4 runs on asyncio"):
            trio.run(functools.partial(collect, client, concurrency=4))
    assert overlap.most == 1
    with ScriptedServer(usage_pages(Overlap(0.0))) as server:
        assert len(trio.run(usage_of, client_of(server))) == 120


def test_under_asyncio_the_default_is_four_at_a_time() -> None:
    overlap = Overlap(0.05)
    with ScriptedServer(team_pages(overlap)) as server:
        assert len(team_spaces(client_of(server), "async", page_size=5)) == SPACES
    assert overlap.most == 4


def test_a_page_larger_than_asked_for_gives_no_record_twice(mode: str) -> None:
    """A server that sends 4 records for limit=3: the extra one comes again with the next page,
    so it is kept from there, once."""

    def generous(seen: Seen) -> Answer:
        offset = number(seen, b"offset")
        teams = [
            {"id": f"t{n}", "containerId": f"c{n}"} for n in range(offset, min(offset + 4, 10))
        ]
        return Answer(200, {"code": 0, "total": "10", "teams": teams})

    for concurrency in (1, 4):
        with ScriptedServer(generous) as server:
            found = team_spaces(client_of(server), mode, page_size=3, concurrency=concurrency)
        assert [team.id for team in found] == [f"t{n}" for n in range(10)]


def test_a_plain_generated_client_builds_one_httpx_client() -> None:
    """The helpers take the generated Client, whose httpx client is built on first use without
    a lock: it must be built once, not once per thread."""
    from koodrive_space_client import Client

    built: list[object] = []

    class Counting(httpx.Client):
        def __init__(self, **options: Any) -> None:
            built.append(self)
            super().__init__(**options)

    with ScriptedServer(usage_pages(Overlap(0.02))) as server:
        client = Client(base_url=server.url)
        original = httpx.Client
        try:
            httpx.Client = Counting  # type: ignore[misc]
            records = kd.query_usage(client, [str(n) for n in range(400)], concurrency=8)
        finally:
            httpx.Client = original  # type: ignore[misc]
        client.get_httpx_client().close()
    assert len(records) == 400
    assert len(built) == 1


def test_threads_see_the_callers_context_variables() -> None:
    """Tracing spans and request-scoped settings (contextvars) reach every request."""
    tenant: contextvars.ContextVar[str | None] = contextvars.ContextVar("tenant", default=None)
    seen: list[str | None] = []

    def record(request: httpx.Request) -> None:
        seen.append(tenant.get())

    with ScriptedServer(team_pages(Overlap(0.01))) as server:
        client = client_of(server)
        client.get_httpx_client().event_hooks["request"].append(record)
        tenant.set("acme")
        assert len(team_spaces(client, "sync", page_size=5, concurrency=4)) == SPACES
    assert seen == ["acme"] * 11


def test_an_abandoned_listing_does_not_hold_up_the_interpreters_exit() -> None:
    """Pages still on the wire when a sync caller stops (an error, a break, Ctrl-C) end on
    daemon threads: the program exits at once, not when they time out."""

    def slow_after_second(seen: Seen) -> Answer:
        offset = number(seen, b"offset")
        time.sleep(10 if offset >= 10 else 0.5 if offset else 0)  # the others go out meanwhile
        return team_pages(Overlap(0.0))(seen)

    program = (
        "import sys, koodrive_space as kd\n"
        "client = kd.create_client(sys.argv[1], auth=kd.TokenAuth('t', 'u'))\n"
        "pages = kd.iter_team_spaces(client, page_size=5, concurrency=4)\n"
        "for _ in range(6): next(pages)\n"  # pages 1 and 2 read; 3 more on the wire, slow
    )
    with ScriptedServer(slow_after_second) as server:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", program, server.url], capture_output=True, text=True, timeout=60
        )
        took = time.monotonic() - started
        asked = len(server.seen)
    assert done.returncode == 0, done.stderr
    assert asked == 5  # three pages were in flight when it stopped
    assert took < 8, f"exit took {took:.1f} s"


def test_an_async_error_cancels_the_pages_in_flight() -> None:
    """The page at offset 10 fails while later ones are still on the wire (5 s each): the error
    comes at once and nothing of the listing is left running on the loop."""

    def failing(seen: Seen) -> Answer:
        offset = number(seen, b"offset")
        if offset == 10:
            time.sleep(0.2)
            return Answer(400, {"code": 13000102, "msg": "Verify parameters failed."})
        if offset > 10:
            time.sleep(5)
        return team_pages(Overlap(0.0))(seen)

    async def collect(client: Any) -> tuple[float, int]:
        started = time.monotonic()
        with pytest.raises(kd.InvalidParameterError):
            async for _ in kd.aiter_team_spaces(client, page_size=5, concurrency=4):
                pass
        took = time.monotonic() - started
        await asyncio.sleep(0)
        return took, len(asyncio.all_tasks())

    with ScriptedServer(failing) as server:
        took, tasks = asyncio.run(collect(client_of(server)))
        in_flight = len(server.seen) - 3  # beyond pages 0, 5 and the failing 10
    assert in_flight >= 1
    assert took < 3, f"{took:.1f} s"
    assert tasks == 1  # this one: the requests in flight were cancelled, not left running


@pytest.mark.parametrize("seed", range(40))
def test_any_concurrency_gives_what_one_at_a_time_gives(seed: int) -> None:
    """Seeded awkward servers: totals that change, go missing or lie, short pages in the
    middle, the single-``data`` form, repeated pages, errors. Records, and where and how a
    listing ends, are the same at every concurrency, sync and async."""
    rng = random.Random(seed)
    spaces, size = rng.randint(0, 40), rng.choice([1, 2, 3, 5])
    plan: dict[int, dict[str, Any]] = {
        offset: {
            "total": rng.choice([str(spaces), spaces, None, str(rng.randint(0, 60))]),
            "count": rng.choice([None] * 8 + [0, size - 1, 1, size + 1]),
            "single": rng.random() < 0.03,
            "repeat": rng.random() < 0.03,
            "error": rng.random() < 0.03,
        }
        for offset in range(0, 200)
    }

    def answer(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        step = plan.get(offset, plan[199])
        if step["error"]:
            return httpx.Response(400, json={"code": 13000102, "msg": f"bad {offset}"})
        start = 0 if step["repeat"] else offset
        end = min(start + limit, spaces) if step["count"] is None else start + step["count"]
        teams = [{"id": f"t{n}", "containerId": f"c{n}"} for n in range(start, end)]
        body: dict[str, Any] = {"code": 0}
        if step["single"] and teams:
            body["data"] = teams[0]
        else:
            body["teams"] = teams
        if step["total"] is not None:
            body["total"] = step["total"]
        return httpx.Response(200, json=body)

    async def async_answer(request: httpx.Request) -> httpx.Response:
        return answer(request)

    client = kd.create_client(
        "https://kd.test",
        auth=kd.TokenAuth("t", "u"),
        transport=httpx.MockTransport(answer),
        async_transport=httpx.MockTransport(async_answer),
        max_retries=0,
    )

    def outcome(mode: str, concurrency: int) -> tuple[list[Any], str | None]:
        got: list[Any] = []

        async def collect() -> None:
            pages = kd.aiter_team_spaces(client, page_size=size, concurrency=concurrency)
            async for team in pages:
                got.append(team.id)

        try:
            if mode == "sync":
                for team in kd.iter_team_spaces(client, page_size=size, concurrency=concurrency):
                    got.append(team.id)
            else:
                asyncio.run(collect())
        except kd.KooDriveError as problem:
            return got, f"{type(problem).__name__}: {problem.args[0]}".split(" X-Traceid")[0]
        return got, None

    expected = outcome("sync", 1)
    for mode, concurrency in [("sync", 2), ("sync", 16), ("async", 1), ("async", 4)]:
        assert outcome(mode, concurrency) == expected, (mode, concurrency)
