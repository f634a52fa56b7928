"""`make demo`: start the emulator in its own process, call all five operations through
``koodrive_space`` with app authentication (signed requests), print a summary, stop it.

The emulator and the client read the same ``KOODRIVE_*`` variables. The demo sets them to the
emulator's FAKE demo credentials (tests/emulator/credentials.py) whatever the shell says, so it
never sends real credentials anywhere and never prints a secret.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import httpx
import koodrive_space as kd
from koodrive_emulator import FAKE_APP_ID, FAKE_APP_SECRET, FAKE_TOKEN, FAKE_USER_ID
from koodrive_emulator import data as dataset
from koodrive_emulator.server import HOST
from koodrive_space_client import Client
from koodrive_space_client.api.space import (
    get_space_allocation,
    get_space_info,
    get_space_usage_overview,
)
from koodrive_space_client.models import (
    SpaceAllocationResponse,
    SpaceInfo,
    SpaceInfoResponse,
    SpaceQuotaUsage,
    SpaceUsageOverviewResponse,
)

USAGE_USERS = 120  # more than two batches of 50: query_usage splits and merges them
STARTUP_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def demo_environment(base_url: str) -> dict[str, str]:
    """The process environment with the emulator's fake credentials in the KOODRIVE_* names."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOODRIVE_")}
    env.update(
        KOODRIVE_BASE_URL=base_url,
        KOODRIVE_APP_ID=FAKE_APP_ID,
        KOODRIVE_APP_SECRET=FAKE_APP_SECRET,
        KOODRIVE_USER_ID=FAKE_USER_ID,
        KOODRIVE_TOKEN=FAKE_TOKEN,
    )
    return env


@contextmanager
def emulator_process(
    env: dict[str, str], port: int, *options: str
) -> Iterator[subprocess.Popen[str]]:
    """``python -m koodrive_emulator`` (what ``make emulator`` runs), stopped on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "koodrive_emulator", "--port", str(port), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the emulator exited at start-up:\n{process.stderr.read()}")  # type: ignore[union-attr]
            try:
                with socket.create_connection((HOST, port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"the emulator did not listen on port {port}") from None
                time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with columns as wide as their widest cell."""
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))

    rule = "  ".join("-" * width for width in widths)
    return "\n".join(row.rstrip() for row in [line(cells[0]), rule, *map(line, cells[1:])])


def _gb(value: object) -> str:
    return f"{value} GB"


API_ROOT = "/koodrive/ose/v1/"


def count_requests(client: Client) -> Counter[str]:
    """Count the requests the client really sends, as "METHOD path" below the API root."""
    sent: Counter[str] = Counter()

    def hook(request: httpx.Request) -> None:
        sent[f"{request.method} {request.url.path.removeprefix(API_ROOT)}"] += 1

    httpx_client = client.get_httpx_client()
    hooks = httpx_client.event_hooks
    hooks["request"].append(hook)
    httpx_client.event_hooks = hooks
    return sent


def _requests(sent: Counter[str], prefix: str) -> str:
    """The requests sent since the last call whose "METHOD path" starts with ``prefix``."""
    matched = {key: n for key, n in sent.items() if key.startswith(prefix)}
    sent.clear()
    return ", ".join(f"{key} x{n}" if n > 1 else key for key, n in matched.items())


def run(client: Client) -> list[tuple[str, str, str]]:
    """Call every operation; one (operationId, requests sent, result) row each."""
    rows: list[tuple[str, str, str]] = []
    sent = count_requests(client)

    # The layer raises on every error reply, so the ErrorResponse member of the union never comes.
    info = get_space_info.sync(dataset.SEED_OWNER, client=client, type_="1")
    assert isinstance(info, SpaceInfoResponse)
    assert isinstance(info.data, SpaceInfo)
    space = info.data
    status = "active" if kd.as_int(space.status, "status") == 0 else "not active"
    rows.append(
        (
            "getSpaceInfo",
            _requests(sent, "GET space/"),
            f"{status}, {_gb(kd.as_int(space.capacity, 'capacity'))} capacity, "
            f"{kd.as_int(space.space_used, 'spaceUsed'):,} KB used",
        )
    )

    tenant_users = dataset.build().tenants[dataset.SEED_TENANT].users
    user_ids = tenant_users[:USAGE_USERS]  # the reference's example user comes first
    usage = kd.query_usage(client, user_ids)
    found = {record.user_id for record in usage}
    rows.append(
        (
            "querySpaceUsageByUser",
            _requests(sent, "POST space/usage/user"),
            f"{len(user_ids)} users asked in batches of <=50: {len(usage)} records, "
            f"{len(found)} users, in the order asked",
        )
    )

    overview = get_space_usage_overview.sync(client=client)
    assert isinstance(overview, SpaceUsageOverviewResponse)
    assert isinstance(overview.data, SpaceQuotaUsage)
    totals = overview.data
    rows.append(
        (
            "getSpaceUsageOverview",
            _requests(sent, "GET space/usage/overview"),
            f"{totals.total_used:,} of {totals.total_capacity:,} KB used, "
            f"{totals.total_allocation:,} KB allocated",
        )
    )

    teams = list(kd.iter_team_spaces(client, page_size=100))
    rows.append(
        (
            "listTeamSpaces",
            _requests(sent, "GET space/teamList"),
            f"{len(teams)} team spaces over pages of 100, first id {teams[0].id if teams else '-'}",
        )
    )

    allocation = get_space_allocation.sync(client=client)
    assert isinstance(allocation, SpaceAllocationResponse)
    records = kd.allocation_records(allocation)
    rows.append(
        (
            "getSpaceAllocation",
            _requests(sent, "GET space/allocation/get"),
            "; ".join(
                f"type {kd.as_int(r.type_, 'type')}: {_gb(kd.as_int(r.allocate_capacity))} "
                f"of {_gb(kd.as_int(r.total_capacity))} allocated"
                for r in records
            ),
        )
    )
    return rows


def main() -> None:
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    env = demo_environment(base_url)
    with emulator_process(env, port) as process:
        print(f"KooDrive emulator: {base_url} (process {process.pid}), FAKE demo credentials")
        # create_client() with no arguments reads the same KOODRIVE_* values the emulator read.
        client = kd.create_client(environ=env)
        print(f"Client: app authentication as AppId {FAKE_APP_ID}, user {FAKE_USER_ID}\n")
        with client:
            try:
                rows = run(client)
            except (kd.KooDriveError, httpx.HTTPError) as error:
                raise SystemExit(f"demo failed: {type(error).__name__}: {error}") from error
    print(table(("operation", "requests sent (each signed)", "result"), rows))
    print("\nAll five operations answered; the emulator verified every signature. Stopped it.")


if __name__ == "__main__":
    main()
