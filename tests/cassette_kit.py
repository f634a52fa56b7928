"""Cassettes: recorded exchanges between the client and KooDrive (the emulator, or the live
service), replayed offline by ``tests/test_cassettes.py``.

``make record`` runs ``python -m tests.cassette_kit``:

- by default it starts the emulator in process (uvicorn on a free port; the client addresses it
  as ``http://127.0.0.1:8765``, the ``make emulator`` default, and a network backend routes that
  to the real port, so the cassettes do not depend on which port was free), with its clock and
  the client's frozen at ``FROZEN_AT`` and trace ids from a fixed sequence, and writes every
  scenario to ``tests/cassettes/<scenario>.yaml``;
- with ``KOODRIVE_BASE_URL`` and real credentials (``KOODRIVE_APP_ID``, ``KOODRIVE_APP_SECRET``,
  ``KOODRIVE_USER_ID``) set, it records the scenarios the live service can answer (no injected
  faults, no emulator data) to ``tests/cassettes/live/``, with the client's clock frozen at the
  start of the recording.

Secrets never reach a file: vcrpy's ``filter_headers`` (with ``scrub_authorization`` for the
``Authorization`` header) and ``before_record_response`` run before anything is written. A token
becomes ``SCRUBBED`` (its ``Bearer ``/``Bearer+``/bare form is kept), an app signature is kept
only when it verifies with the emulator's FAKE credentials (otherwise AppId and Signature become
``SCRUBBED``), and ``Cookie``/``Set-Cookie`` are dropped. vcrpy applies the same filters to
every request at replay time before matching, so replayed requests are compared in the same
scrubbed form.

What is vcrpy's is used as it is (``filter_headers`` with a callable, the built-in matchers,
``before_record_response``); a ``before_record_request`` would only repeat ``filter_headers``.
pytest-recording's ``--record-mode`` is not used: cassettes are recorded by running scenarios
against an emulator in this process, with frozen clocks and fixed trace ids, not by re-running
the tests against a network, so ``make record`` is the one switch.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx
import koodrive_space as kd
import vcr  # type: ignore[import-untyped]
from koodrive_emulator import (
    FAKE_APP_ID,
    FAKE_APP_SECRET,
    FAKE_TOKEN,
    FAKE_USER_ID,
    Credentials,
    Emulator,
    Fault,
    running,
)
from koodrive_emulator import data as dataset
from koodrive_emulator.faults import HEADER as FAULT_HEADER
from koodrive_emulator.verify import AuthenticationFailed, verify_app_signature
from koodrive_space_client import Client
from koodrive_space_client.api.space import (
    get_space_allocation,
    get_space_info,
    get_space_usage_overview,
    list_team_spaces,
    query_space_usage_by_user,
)
from koodrive_space_client.models import UsageByUserRequest

CASSETTES = Path(__file__).resolve().parent / "cassettes"
LIVE_CASSETTES = CASSETTES / "live"
RECORD_BASE_URL = "http://127.0.0.1:8765"
FROZEN_AT = dt.datetime(2026, 1, 15, 9, 30, 0, tzinfo=dt.UTC)
SCRUBBED = "SCRUBBED"
USAGE_IDS = (dataset.SEED_USAGE_USER, "1008600000509220653", "1008600000509220654")
# Transport details httpx decides, not the client: neither recorded nor pinned.
UNPINNED_HEADERS = ("user-agent", "connection")
_HMAC = re.compile(
    r"^HMAC-SHA256 AppId=(?P<app>[^,]*),(?P<signed>SignedHeaders=[^,]*),Signature=(?P<sig>.*)$"
)
_TOKEN_PREFIXES = ("Bearer ", "Bearer+")


# -- scrubbing and matching, on vcrpy's own hooks -----------------------------------------------


def _verifies_with_fake_credentials(request: Any, authorization: str) -> bool:
    parts = urlsplit(request.uri)
    headers = {k.lower(): str(v) for k, v in request.headers.items()}
    try:
        now = dt.datetime.strptime(headers.get("x-date", ""), "%Y%m%dT%H%M%SZ")
        verify_app_signature(
            method=request.method,
            raw_path=(parts.path or "/").encode(),
            raw_query=parts.query.encode(),
            headers=headers | {"authorization": authorization},
            body=request.body or b"",
            app_secrets={FAKE_APP_ID: FAKE_APP_SECRET},
            now=now.replace(tzinfo=dt.UTC),
        )
    except (AuthenticationFailed, ValueError):
        return False
    return True


def scrub_authorization(request: Any, authorization: str, *, signatures: bool = False) -> str:
    """``authorization`` with any secret replaced by ``SCRUBBED`` (idempotent). A signature is
    kept when it verifies with the FAKE credentials, unless ``signatures`` (live cassettes,
    recorded with real ones: replays compare them without AppId and Signature)."""
    found = _HMAC.match(authorization)
    if found:
        if not signatures and _verifies_with_fake_credentials(request, authorization):
            return authorization
        return f"HMAC-SHA256 AppId={SCRUBBED},{found['signed']},Signature={SCRUBBED}"
    for prefix in _TOKEN_PREFIXES:
        if authorization.startswith(prefix):
            return prefix + SCRUBBED
    return SCRUBBED


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """vcrpy's before_record_response: no cookie is written."""
    response = copy.deepcopy(response)
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() == "set-cookie":
            del headers[name]
    return response


def recorder(directory: Path = CASSETTES, record_mode: str = "none", *, live: bool = False) -> Any:
    """The vcr.VCR used to record (``record_mode="all"``) and to replay (``"none"``).

    vcrpy's ``filter_headers`` scrub every request before it is written and, at replay, before
    it is matched; its built-in matchers then pin everything the client decides: the method, the
    URL exactly as sent (path and query bytes, parameter order), every header left (X-Date,
    X-User-Id, Authorization with its signature, X-Traceid, language, accept-encoding,
    content-type, content-length, ...) and the body bytes. Dropped: cookies, and what httpx
    decides rather than the client (user-agent, connection).
    """

    def authorization(key: str, value: str, request: Any) -> str:
        return scrub_authorization(request, value, signatures=live)

    return vcr.VCR(
        cassette_library_dir=str(directory),
        serializer="yaml",
        record_mode=record_mode,
        match_on=["method", "uri", "headers", "raw_body"],
        filter_headers=[
            *UNPINNED_HEADERS,
            "cookie",
            ("authorization", authorization),
        ],
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )


# -- scenarios --------------------------------------------------------------------------------


class _ToPort(httpcore.NetworkBackend):
    """Connects every request to 127.0.0.1:``port``, whatever host and port its URL names."""

    def __init__(self, port: int) -> None:
        self._inner = httpcore.SyncBackend()
        self._port = port

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return self._inner.connect_tcp(
            "127.0.0.1", self._port, timeout, local_address, socket_options
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def transport_to(port: int) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(network_backend=_ToPort(port))
    return transport


def trace_ids(scenario: str) -> Callable[[], str]:
    """58-character trace ids, the same sequence on every run of ``scenario``."""
    prefix = hashlib.sha256(scenario.encode()).hexdigest()[:50]
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter):08d}"


@dataclass
class Setup:
    """How a scenario's clients are made: where to, as whom, at what (frozen) time."""

    scenario: str
    base_url: str
    app_id: str
    app_secret: str
    user_id: str
    token: str
    signed_at: dt.datetime
    owner_id: str = dataset.SEED_OWNER
    usage_ids: list[str] = field(default_factory=lambda: list(USAGE_IDS))
    headers: dict[str, str] = field(default_factory=dict)  # added to every request
    transport: httpx.BaseTransport | None = None
    _trace_id: Callable[[], str] | None = None

    def client(
        self,
        *,
        token_prefix: str | None = None,
        max_retries: int = 0,
        fault: str | None = None,
    ) -> Client:
        if self._trace_id is None:
            self._trace_id = trace_ids(self.scenario)
        auth: httpx.Auth
        if token_prefix is None:
            auth = kd.AppAuth(
                self.app_id, self.app_secret, self.user_id, clock=lambda: self.signed_at
            )
        else:
            auth = kd.TokenAuth(self.token, self.user_id, prefix=token_prefix)
        client = kd.create_client(
            self.base_url,
            auth=auth,
            max_retries=max_retries,
            retry_base_delay=0.0,
            trace_id_factory=self._trace_id,
            transport=self.transport,
        )
        headers = dict(self.headers)
        if fault:
            headers[FAULT_HEADER] = fault
        return client.with_headers(headers) if headers else client


@dataclass(frozen=True)
class Scenario:
    name: str
    run: Callable[[Setup], Any]
    prepare: Callable[[Emulator], None] | None = None  # emulator state before the run
    live: bool = False  # the live service can answer it too
    token: str | None = None  # the emulator's token for this scenario (wrong-token cases)


def _catch(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except kd.KooDriveError as error:
        return error


def _queue(*faults: Fault) -> Callable[[Emulator], None]:
    return lambda emulator: emulator.faults.extend(faults)


def _skew(hours: int) -> Callable[[Emulator], None]:
    def prepare(emulator: Emulator) -> None:
        emulator.clock_skew = dt.timedelta(hours=hours)

    return prepare


def _usage(setup: Setup, fault: str | None = None) -> Any:
    body = UsageByUserRequest(user_ids=setup.usage_ids, limit=10, offset=0)
    return query_space_usage_by_user.sync(client=setup.client(fault=fault), body=body)


def _operations(fault: str | None) -> dict[str, Callable[[Setup], Any]]:
    return {
        "space_info": lambda s: get_space_info.sync(
            s.owner_id, client=s.client(fault=fault), type_="1"
        ),
        "usage_by_user": lambda s: _usage(s, fault),
        "usage_overview": lambda s: get_space_usage_overview.sync(client=s.client(fault=fault)),
        "team_list": lambda s: list_team_spaces.sync(
            client=s.client(fault=fault), offset=0, limit=5
        ),
        "allocation": lambda s: get_space_allocation.sync(client=s.client(fault=fault)),
    }


def _build_scenarios() -> list[Scenario]:
    found = []
    for shape in ("table", "example"):
        for name, run in _operations(None if shape == "table" else "shape=example").items():
            found.append(Scenario(f"{name}_{shape}", run, live=shape == "table"))
    data = dataset.build()
    other_tenant = data.tenants["40086000004871667"].users[0]
    inactive = dataset.first_user_with(data, dataset.SEED_TENANT, status=1)
    multi = dataset.first_user_with(data, dataset.SEED_TENANT, spaces=2)
    first_ids = data.tenants[dataset.SEED_TENANT].users[:118]
    batch = [*first_ids, first_ids[0], "not-a-user", other_tenant]  # 120 unique IDs, 3 batches

    def info(owner: str, fault: str | None = None) -> Callable[[Setup], Any]:
        return lambda s: _catch(
            lambda: get_space_info.sync(owner, client=s.client(fault=fault), type_="1")
        )

    def overview(fault: str | None = None, retries: int = 0) -> Callable[[Setup], Any]:
        return lambda s: _catch(
            lambda: get_space_usage_overview.sync(client=s.client(fault=fault, max_retries=retries))
        )

    def team_page(fault: str) -> Callable[[Setup], Any]:
        return lambda s: _catch(
            lambda: list_team_spaces.sync(client=s.client(fault=fault), offset=0, limit=2)
        )

    # One request at a time: a cassette pins the sequence, each request with the next trace id of
    # the deterministic factory, which requests in flight together would take in any order.
    found += [
        Scenario(
            "team_list_paging",
            lambda s: list(
                kd.iter_team_spaces(s.client(), key_word="finance", page_size=10, concurrency=1)
            ),
            live=True,
        ),
        Scenario("usage_batching", lambda s: kd.query_usage(s.client(), batch, concurrency=1)),
        Scenario(
            "retry_503_503_200",
            overview(retries=2),
            prepare=_queue(Fault(status=503), Fault(status=503)),
        ),
        Scenario("clock_skew_corrected", overview(), prepare=_skew(1)),
        Scenario("error_space_not_found", info("no-such-owner")),
        Scenario("error_permission_denied", info(other_tenant)),
        Scenario("error_space_not_active", info(inactive)),
        Scenario("error_invalid_parameter", info(multi)),
        Scenario("error_insufficient_space", info(dataset.SEED_OWNER, "status=400,code=13000311")),
        Scenario("error_business_code_in_200", info(dataset.SEED_OWNER, "code=13000301")),
        Scenario("error_rate_limited", overview("status=429,retry-after=1", retries=1)),
        Scenario("error_server", overview("status=500")),
        Scenario(
            "error_authentication",
            lambda s: _catch(
                lambda: get_space_usage_overview.sync(client=s.client(token_prefix="Bearer "))
            ),
            token="a-different-token",
        ),
        Scenario("unreadable_html", team_page("body=html,status=200")),
        Scenario("unreadable_truncated", team_page("body=truncated")),
        Scenario("unreadable_list", team_page("body=list")),
        Scenario("unreadable_empty", team_page("body=empty")),
        Scenario(
            "token_forms",
            lambda s: [
                get_space_usage_overview.sync(client=s.client(token_prefix=prefix))
                for prefix in ("Bearer ", "Bearer+", "")
            ],
        ),
    ]
    return found


SCENARIOS: dict[str, Scenario] = {scenario.name: scenario for scenario in _build_scenarios()}


# -- replay -----------------------------------------------------------------------------------


def cassette_path(name: str, directory: Path = CASSETTES) -> Path:
    return directory / f"{name}.yaml"


def recorded_requests(path: Path) -> list[dict[str, Any]]:
    import yaml

    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [interaction["request"] for interaction in document["interactions"]]


def replay_setup(name: str, directory: Path = CASSETTES, *, live: bool = False) -> Setup:
    """Clients as recorded: the cassette's base URL, user and signing time; FAKE secrets.

    ``live``: the cassette was recorded by ``record_live``, which asks about the acting user's
    own space and usage (the emulator's example owner does not exist there)."""
    first = recorded_requests(cassette_path(name, directory))[0]
    parts = urlsplit(first["uri"])
    headers = {key.lower(): values[0] for key, values in first["headers"].items()}
    signed_at = FROZEN_AT
    if "x-date" in headers:
        signed_at = dt.datetime.strptime(headers["x-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    setup = Setup(
        scenario=name,
        base_url=f"{parts.scheme}://{parts.netloc}",
        app_id=FAKE_APP_ID,
        app_secret=FAKE_APP_SECRET,
        user_id=headers.get("x-user-id", FAKE_USER_ID),
        token=FAKE_TOKEN,
        signed_at=signed_at,
    )
    return _live_inputs(setup) if live else setup


def _live_inputs(setup: Setup) -> Setup:
    setup.owner_id = setup.user_id
    setup.usage_ids = [setup.user_id]
    return setup


@contextmanager
def replaying(name: str, directory: Path = CASSETTES, *, live: bool = False) -> Iterator[Any]:
    """Replay cassette ``name``: any request it does not hold fails; yields the cassette."""
    config = recorder(directory, live=live)
    with config.use_cassette(cassette_path(name, directory).name) as cassette:
        yield cassette


# -- recording --------------------------------------------------------------------------------


def _record(scenario: Scenario, setup: Setup, directory: Path, *, live: bool = False) -> None:
    path = cassette_path(scenario.name, directory)
    path.unlink(missing_ok=True)
    with recorder(directory, record_mode="all", live=live).use_cassette(path.name):
        scenario.run(setup)
    print(f"recorded {path}")


def record_from_emulator(directory: Path = CASSETTES, names: Iterable[str] | None = None) -> None:
    for name in names or SCENARIOS:
        scenario = SCENARIOS[name]
        credentials = Credentials.fake()
        if scenario.token is not None:
            credentials = Credentials(token=scenario.token)
        emulator = Emulator(credentials=credentials, clock=lambda: FROZEN_AT)
        if scenario.prepare is not None:
            scenario.prepare(emulator)
        with running(emulator) as server:
            setup = Setup(
                scenario=name,
                base_url=RECORD_BASE_URL,
                app_id=FAKE_APP_ID,
                app_secret=FAKE_APP_SECRET,
                user_id=FAKE_USER_ID,
                token=FAKE_TOKEN,
                signed_at=FROZEN_AT,
                transport=transport_to(server.port),
            )
            _record(scenario, setup, directory)


def record_live(env: dict[str, str], directory: Path = LIVE_CASSETTES) -> None:
    missing = [
        n for n in ("KOODRIVE_APP_ID", "KOODRIVE_APP_SECRET", "KOODRIVE_USER_ID") if not env.get(n)
    ]
    if missing:
        raise SystemExit(f"live recording needs {', '.join(missing)}")
    directory.mkdir(parents=True, exist_ok=True)
    signed_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for scenario in SCENARIOS.values():
        if scenario.live:
            setup = Setup(
                scenario=scenario.name,
                base_url=env["KOODRIVE_BASE_URL"],
                app_id=env["KOODRIVE_APP_ID"],
                app_secret=env["KOODRIVE_APP_SECRET"],
                user_id=env["KOODRIVE_USER_ID"],
                token=env.get("KOODRIVE_TOKEN", ""),
                signed_at=signed_at,
            )
            _live_inputs(setup)
            _record(scenario, setup, directory, live=True)


def main(argv: list[str]) -> None:
    if os.environ.get("KOODRIVE_BASE_URL"):
        record_live(dict(os.environ))
    else:
        record_from_emulator(names=argv or None)


if __name__ == "__main__":
    main(sys.argv[1:])
