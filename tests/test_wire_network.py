"""Network settings on real sockets, sync and async: enterprise proxies (from the environment
and ``proxy=``), HTTPS through a CONNECT tunnel, the forms of ``verify``, a gateway's path
prefix, and one client shared by many threads, tasks and successive event loops.

Each behaviour runs through ``op.sync`` and through ``asyncio.run(op.asyncio(...))`` (a new
event loop per call, on one client). The peers are tests/wire.py's scripted server and CONNECT
proxy on 127.0.0.1, or the emulator; signatures are checked with the emulator's own verifier.
Every test starts with no proxy or CA variables in the environment.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import logging
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import koodrive_space as kd
import pytest
import trustme
from koodrive_emulator import (
    FAKE_APP_ID,
    FAKE_APP_SECRET,
    FAKE_USER_ID,
    Credentials,
    Emulator,
    RunningEmulator,
    running,
)
from koodrive_space import client as client_module
from koodrive_space import options as options_module
from koodrive_space.pipeline import SyncHTTPClient
from koodrive_space_client import Client
from koodrive_space_client.api.space import get_space_usage_overview, list_team_spaces

from tests.wire import Answer, Caller, ScriptedServer, ok, tunnel_proxy

APP, SECRET, USER = "net-app", "net-secret", "1505084218764547200"
PASSWORD = "s3cret"
OVERVIEW_PATH = b"/koodrive/ose/v1/space/usage/overview"
TEAM_LIST_PATH = b"/koodrive/ose/v1/space/teamList"
# Distinct replies, so a test knows which peer answered.
FROM_TARGET = {"code": 0, "msg": "ok", "data": {"totalUsed": 1}}
FROM_PROXY = {"code": 0, "msg": "ok", "data": {"totalUsed": 7}}
TEAMS = {"code": 0, "msg": "ok", "total": "1", "teams": [{"id": "t-1", "capacity": 10}]}
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
CA_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR")
# A query the signature must survive on its way through a proxy: space, plus, percent, non-ASCII.
AWKWARD_KEYWORD = "Fin ance+100% 財務"


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest) -> Caller:
    return Caller(request.param)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy or CA settings from the machine running the tests."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name in CA_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def client_of(base_url: str, **options: Any) -> Client:
    options.setdefault("auth", kd.AppAuth(APP, SECRET, USER))
    options.setdefault("max_retries", 0)
    options.setdefault("timeout", 5.0)
    options.setdefault("total_timeout", 20.0)
    options.setdefault("retry_base_delay", 0.01)
    return kd.create_client(base_url, **options)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (just released)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port: int = listener.getsockname()[1]
    return port


def messages(error: BaseException) -> str:
    """``str`` and ``repr`` of an error and of every error chained to it."""
    parts: list[str] = []
    seen: BaseException | None = error
    while seen is not None and len(parts) < 20:
        parts += [str(seen), repr(seen)]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


# -- TLS material ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tls:
    """A throwaway CA, a server context with its certificate for "localhost", and the CA as a
    bundle file and as a hashed folder (``openssl rehash``; None without openssl)."""

    ca: trustme.CA
    server: ssl.SSLContext
    bundle: Path
    folder: Path | None

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server)
    where = tmp_path_factory.mktemp("tls")
    bundle = where / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    folder = where / "certs"
    folder.mkdir()
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    openssl = shutil.which("openssl")
    if openssl is None:
        return Tls(ca, server, bundle, None)
    rehash = subprocess.run([openssl, "rehash", str(folder)], check=False, capture_output=True)
    return Tls(ca, server, bundle, folder if rehash.returncode == 0 else None)


# -- proxies from the environment -----------------------------------------------------------


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
def test_an_http_proxy_from_the_environment_carries_the_signed_request(
    call: Caller, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    with ScriptedServer(ok(FROM_TARGET)) as target, ScriptedServer(ok(FROM_PROXY)) as proxy:
        monkeypatch.setenv(variable, proxy.url)
        client = client_of(target.url)
        reply = call(get_space_usage_overview, client=client)
        page = call(list_team_spaces, client=client, offset=0, limit=10, key_word=AWKWARD_KEYWORD)
    assert reply.data.total_used == 7  # the proxy's reply, parsed
    assert page.code == 0
    assert target.seen == []
    assert len(proxy.seen) == 2
    overview, teams = proxy.seen
    assert overview.target == target.url.encode() + OVERVIEW_PATH  # absolute form
    assert teams.target.startswith(target.url.encode() + TEAM_LIST_PATH + b"?offset=0&limit=10")
    for seen in proxy.seen:
        assert seen.header("Host") == f"127.0.0.1:{target.port}"
        assert seen.signature_problem(APP, SECRET) is None


@pytest.mark.parametrize(
    ("variable", "no_proxy"),
    [
        ("HTTP_PROXY", "127.0.0.1"),
        ("ALL_PROXY", "127.0.0.1"),
        ("HTTP_PROXY", "example.com, 127.0.0.1"),
        ("http_proxy", "*"),
    ],
)
def test_no_proxy_bypasses_the_proxy(
    call: Caller, monkeypatch: pytest.MonkeyPatch, variable: str, no_proxy: str
) -> None:
    with ScriptedServer(ok(FROM_TARGET)) as target, ScriptedServer(ok(FROM_PROXY)) as proxy:
        monkeypatch.setenv(variable, proxy.url)
        monkeypatch.setenv("NO_PROXY" if variable.isupper() else "no_proxy", no_proxy)
        reply = call(get_space_usage_overview, client=client_of(target.url))
    assert reply.data.total_used == 1
    assert proxy.seen == []
    [seen] = target.seen
    assert seen.target == OVERVIEW_PATH  # origin form: straight to the target
    assert seen.signature_problem(APP, SECRET) is None


def test_https_proxy_is_not_used_for_http_targets(
    call: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ScriptedServer(ok(FROM_TARGET)) as target, ScriptedServer(ok(FROM_PROXY)) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        reply = call(get_space_usage_overview, client=client_of(target.url))
    assert reply.data.total_used == 1
    assert proxy.seen == []
    assert [seen.target for seen in target.seen] == [OVERVIEW_PATH]


# -- proxy= ---------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["str", "httpx.URL", "httpx.Proxy"])
def test_the_proxy_argument_carries_the_signed_request(call: Caller, form: str) -> None:
    with ScriptedServer(ok(FROM_TARGET)) as target, ScriptedServer(ok(FROM_PROXY)) as proxy:
        given: Any = {
            "str": proxy.url,
            "httpx.URL": httpx.URL(proxy.url),
            "httpx.Proxy": httpx.Proxy(proxy.url),
        }[form]
        reply = call(get_space_usage_overview, client=client_of(target.url, proxy=given))
    assert reply.data.total_used == 7
    assert target.seen == []
    [seen] = proxy.seen
    assert seen.target == target.url.encode() + OVERVIEW_PATH
    assert seen.header("Host") == f"127.0.0.1:{target.port}"
    assert seen.signature_problem(APP, SECRET) is None


def test_the_proxy_argument_wins_over_the_environment(
    call: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in httpx: an explicit proxy replaces the environment's proxy settings."""
    with (
        ScriptedServer(ok(FROM_TARGET)) as target,
        ScriptedServer(ok(FROM_PROXY)) as chosen,
        ScriptedServer(ok(FROM_PROXY)) as from_env,
    ):
        monkeypatch.setenv("HTTP_PROXY", from_env.url)
        call(get_space_usage_overview, client=client_of(target.url, proxy=chosen.url))
    assert (len(chosen.seen), len(from_env.seen), len(target.seen)) == (1, 0, 0)


def test_proxy_credentials_go_to_the_proxy_only(call: Caller) -> None:
    with ScriptedServer(ok(FROM_TARGET)) as target, ScriptedServer(ok(FROM_PROXY)) as proxy:
        url = proxy.url.replace("http://", f"http://agent:{PASSWORD}@")
        call(get_space_usage_overview, client=client_of(target.url, proxy=url))
    [seen] = proxy.seen
    expected = base64.b64encode(f"agent:{PASSWORD}".encode()).decode()
    assert seen.header("Proxy-Authorization") == f"Basic {expected}"
    assert seen.signature_problem(APP, SECRET) is None  # Proxy-Authorization is not signed


# -- HTTPS through a CONNECT tunnel ---------------------------------------------------------


@pytest.mark.parametrize("how", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "proxy="])
def test_https_goes_through_a_connect_tunnel(
    call: Caller, monkeypatch: pytest.MonkeyPatch, tls: Tls, how: str
) -> None:
    with (
        ScriptedServer(ok(FROM_TARGET), tls=tls.server) as target,
        ScriptedServer(ok(FROM_PROXY)) as http_only,
        tunnel_proxy() as tunnel,
    ):
        monkeypatch.setenv("HTTP_PROXY", http_only.url)  # for http:// targets: not this one
        options: dict[str, Any] = {"verify": str(tls.bundle)}
        if how == "proxy=":
            options["proxy"] = tunnel.url
        else:
            monkeypatch.setenv(how, tunnel.url)
        reply = call(get_space_usage_overview, client=client_of(target.url, **options))
    assert reply.data.total_used == 1
    assert tunnel.targets == [f"localhost:{target.port}"]
    assert http_only.seen == []
    [seen] = target.seen
    assert seen.target == OVERVIEW_PATH  # origin form inside the tunnel
    assert seen.header("Host") == f"localhost:{target.port}"
    assert seen.signature_problem(APP, SECRET) is None


def test_no_proxy_bypasses_the_tunnel(
    call: Caller, monkeypatch: pytest.MonkeyPatch, tls: Tls
) -> None:
    with ScriptedServer(ok(FROM_TARGET), tls=tls.server) as target, tunnel_proxy() as tunnel:
        monkeypatch.setenv("HTTPS_PROXY", tunnel.url)
        monkeypatch.setenv("NO_PROXY", "localhost")
        call(get_space_usage_overview, client=client_of(target.url, verify=str(tls.bundle)))
    assert tunnel.targets == []
    assert len(target.seen) == 1


def test_an_untrusted_certificate_through_the_tunnel_is_a_connection_error(
    call: Caller, monkeypatch: pytest.MonkeyPatch, tls: Tls
) -> None:
    with ScriptedServer(ok(FROM_TARGET), tls=tls.server) as target, tunnel_proxy() as tunnel:
        monkeypatch.setenv("HTTPS_PROXY", tunnel.url)
        with pytest.raises(kd.APIConnectionError) as caught:
            call(get_space_usage_overview, client=client_of(target.url))
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert tunnel.targets == [f"localhost:{target.port}"]
    assert target.seen == []


# -- verify ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    ["bundle str", "bundle Path", "folder", "SSLContext", "SSL_CERT_FILE", "SSL_CERT_DIR", "False"],
)
def test_each_form_of_verify_reaches_the_tls_server(
    call: Caller, monkeypatch: pytest.MonkeyPatch, tls: Tls, form: str
) -> None:
    if form in ("folder", "SSL_CERT_DIR") and tls.folder is None:
        pytest.skip("no openssl to hash a CA folder with")
    options: dict[str, Any] = {}
    if form == "bundle str":
        options["verify"] = str(tls.bundle)
    elif form == "bundle Path":
        options["verify"] = tls.bundle
    elif form == "folder":
        options["verify"] = str(tls.folder)
    elif form == "SSLContext":
        options["verify"] = tls.context()
    elif form == "SSL_CERT_FILE":
        monkeypatch.setenv("SSL_CERT_FILE", str(tls.bundle))
    elif form == "SSL_CERT_DIR":
        monkeypatch.setenv("SSL_CERT_DIR", str(tls.folder))
    else:
        options["verify"] = False
    with ScriptedServer(ok(FROM_TARGET), tls=tls.server) as target:
        reply = call(get_space_usage_overview, client=client_of(target.url, **options))
    assert reply.data.total_used == 1
    [seen] = target.seen
    assert seen.signature_problem(APP, SECRET) is None


@pytest.mark.parametrize("named_by", ["verify", "SSL_CERT_FILE"])
def test_a_ca_file_changed_on_disk_is_what_the_next_client_trusts(
    call: Caller, monkeypatch: pytest.MonkeyPatch, tls: Tls, tmp_path: Path, named_by: str
) -> None:
    """CAs are loaded once per content and shared by clients; a rotated bundle is read again."""
    bundle = tmp_path / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(bundle))  # another CA first
    options: dict[str, Any] = {}
    if named_by == "verify":
        options["verify"] = str(bundle)
    else:
        monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    with ScriptedServer(ok(FROM_TARGET), tls=tls.server) as target:
        with pytest.raises(kd.APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            call(get_space_usage_overview, client=client_of(target.url, **options))
        bundle.write_bytes(tls.bundle.read_bytes())  # in place: same path, same inode
        reply = call(get_space_usage_overview, client=client_of(target.url, **options))
    assert reply.data.total_used == 1
    assert len(target.seen) == 1


@pytest.mark.parametrize("named_by", ["verify", "SSL_CERT_DIR"])
def test_a_ca_removed_from_a_folder_is_not_trusted_by_the_next_client(
    call: Caller, monkeypatch: pytest.MonkeyPatch, tls: Tls, tmp_path: Path, named_by: str
) -> None:
    """A folder's context keeps every CA it has looked up: one shared context would go on
    trusting a CA taken out of the folder."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl to hash a CA folder with")
    folder = tmp_path / "certs"
    folder.mkdir()

    def holding(ca: trustme.CA) -> None:
        for old in folder.iterdir():
            old.unlink()
        ca.cert_pem.write_to_path(str(folder / "ca.pem"))
        subprocess.run([openssl, "rehash", str(folder)], check=True, capture_output=True)

    options: dict[str, Any] = {}
    if named_by == "verify":
        options["verify"] = str(folder)
    else:
        monkeypatch.setenv("SSL_CERT_DIR", str(folder))
    holding(tls.ca)
    with ScriptedServer(ok(FROM_TARGET), tls=tls.server) as target:
        call(get_space_usage_overview, client=client_of(target.url, **options))
        holding(trustme.CA())
        with pytest.raises(kd.APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            call(get_space_usage_overview, client=client_of(target.url, **options))
    assert len(target.seen) == 1


def test_a_ca_file_rewritten_while_it_loads_is_loaded_again(
    call: Caller, monkeypatch: pytest.MonkeyPatch, tls: Tls, tmp_path: Path
) -> None:
    """Another CA written between reading the file (to know its content) and loading it must
    not be remembered as that content."""
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(tls.bundle.read_bytes())
    real = Path

    class Rotating(type(Path())):  # type: ignore[misc]
        def read_bytes(self) -> bytes:
            content: bytes = super().read_bytes()
            trustme.CA().cert_pem.write_to_path(str(bundle))  # lands right after the read
            monkeypatch.setattr(options_module, "Path", real)  # once
            return content

    monkeypatch.setattr(options_module, "Path", Rotating)
    client_of("https://localhost:1", verify=str(bundle)).get_httpx_client()
    bundle.write_bytes(tls.bundle.read_bytes())  # the file holds the server's CA again
    with ScriptedServer(ok(FROM_TARGET), tls=tls.server) as target:
        reply = call(get_space_usage_overview, client=client_of(target.url, verify=str(bundle)))
    assert reply.data.total_used == 1


def test_clients_share_one_load_of_their_cas(
    monkeypatch: pytest.MonkeyPatch, tls: Tls, tmp_path: Path
) -> None:
    """Loading a CA bundle costs 30-50 ms: done once for the sync and async clients of every
    ``create_client`` given the same CAs, not once per httpx client."""
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(tls.bundle.read_bytes())
    loads: list[object] = []
    real = ssl.create_default_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        loads.append(kwargs.get("cafile"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counted)
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    for _ in range(3):
        client = client_of("https://localhost:1")
        client.get_httpx_client()
        asyncio.run(_async_client_of(client))
    client_of("https://localhost:1", verify=str(bundle)).get_httpx_client()
    assert loads == [str(bundle)]


async def _async_client_of(client: Client) -> None:
    client.get_async_httpx_client()


def test_an_unreadable_ssl_cert_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/no/such/ca.pem")
    with pytest.raises(kd.ConfigurationError) as caught:
        client_of("https://localhost:1")
    assert str(caught.value).startswith(
        "SSL_CERT_FILE: cannot load CA certificates from /no/such/ca.pem: [Errno 2]"
    )


@pytest.mark.parametrize("verify", ["default", "another CA"])
def test_an_untrusted_certificate_is_an_api_connection_error(
    call: Caller, tls: Tls, tmp_path: Path, verify: str
) -> None:
    options: dict[str, Any] = {}
    if verify == "another CA":
        other = tmp_path / "other.pem"
        trustme.CA().cert_pem.write_to_path(str(other))
        options["verify"] = str(other)
    with (
        ScriptedServer(ok(FROM_TARGET), tls=tls.server) as target,
        pytest.raises(kd.APIConnectionError) as caught,
    ):
        call(get_space_usage_overview, client=client_of(target.url, **options))
    assert type(caught.value) is kd.APIConnectionError  # not a timeout, not a raw ssl error
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert caught.value.operation == "getSpaceUsageOverview"
    assert target.seen == []


def test_a_certificate_for_another_name_is_refused(call: Caller, tls: Tls) -> None:
    """The CA is trusted, but the certificate names "localhost", not 127.0.0.1."""
    with ScriptedServer(ok(FROM_TARGET), tls=tls.server) as target:
        client = client_of(f"https://127.0.0.1:{target.port}", verify=str(tls.bundle))
        with pytest.raises(kd.APIConnectionError) as caught:
            call(get_space_usage_overview, client=client)
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert target.seen == []


# -- bad settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"proxy": f"ftp://user:{PASSWORD}@proxy.example"}, "proxy"),
        ({"proxy": 42}, "proxy"),
        ({"proxy": f"http://user:{PASSWORD}@proxy.example:port"}, "proxy"),
        ({"proxy": f"http://user:{PASSWORD}@[::1"}, "proxy"),
        ({"verify": "/no/such/file.pem"}, "verify"),
        ({"verify": 42}, "verify"),
    ],
    ids=[
        "ftp proxy",
        "int proxy",
        "bad port",
        "bad host",
        "missing bundle",
        "int verify",
    ],
)
def test_bad_network_settings_are_configuration_errors(options: dict[str, Any], named: str) -> None:
    with pytest.raises(kd.ConfigurationError) as caught:
        client_of("http://127.0.0.1:1", **options)
    assert named in str(caught.value)
    assert PASSWORD not in messages(caught.value)


def test_a_file_that_is_no_ca_bundle_is_a_configuration_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n", encoding="utf-8")
    with pytest.raises(kd.ConfigurationError, match="verify"):
        client_of("http://127.0.0.1:1", verify=str(junk))


@pytest.mark.parametrize("setting", ["proxy", "base_url"])
def test_a_port_out_of_range_is_a_configuration_error(setting: str) -> None:
    if setting == "proxy":
        base_url, options = "http://127.0.0.1:1", {"proxy": f"http://u:{PASSWORD}@127.0.0.1:99999"}
    else:
        base_url, options = "http://127.0.0.1:99999", {}
    with pytest.raises(kd.ConfigurationError) as caught:
        client_of(base_url, **options)
    assert PASSWORD not in messages(caught.value)


def test_a_port_out_of_range_reaches_nobody(call: Caller) -> None:
    def overview_at(port: int) -> Any:
        return call(get_space_usage_overview, client=client_of(f"http://127.0.0.1:{port}"))

    with ScriptedServer(ok(FROM_TARGET)) as server, pytest.raises(kd.KooDriveError):
        overview_at(server.port + 65536)  # a ConfigurationError from create_client is fine
    assert server.seen == []


@pytest.mark.parametrize("peer", ["unreachable", "drops", "407"])
def test_proxy_credentials_never_appear_in_errors_or_logs(
    call: Caller, caplog: pytest.LogCaptureFixture, peer: str
) -> None:
    caplog.set_level(logging.DEBUG)
    answer = (
        Answer(drop=True)
        if peer == "drops"
        else Answer(407, {"code": 407, "msg": "proxy authentication required"}, close=True)
    )
    with ScriptedServer(answer) as proxy:
        port = closed_port() if peer == "unreachable" else proxy.port
        url = f"http://agent:{PASSWORD}@127.0.0.1:{port}"
        client = client_of("http://127.0.0.1:1", proxy=url, max_retries=1)
        with pytest.raises(kd.KooDriveError) as caught:
            call(get_space_usage_overview, client=client)
    assert PASSWORD not in messages(caught.value)
    assert PASSWORD not in caplog.text
    if peer != "407":
        assert isinstance(caught.value, kd.APIConnectionError)


def test_a_proxy_without_a_host_is_a_configuration_error() -> None:
    with pytest.raises(kd.ConfigurationError) as caught:
        client_of("http://127.0.0.1:1", proxy=f"http://user:{PASSWORD}@")
    assert PASSWORD not in messages(caught.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HTTP_PROXY", f"ftp://agent:{PASSWORD}@proxy.example"),
        ("HTTPS_PROXY", f"http://agent:{PASSWORD}@proxy.example:port"),
        ("ALL_PROXY", f"http://agent:{PASSWORD}@[::1"),
    ],
    ids=["ftp scheme", "bad port", "bad host"],
)
def test_an_unusable_proxy_from_the_environment_is_a_configuration_error(
    call: Caller, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    """Refused when create_client builds the client, or at the latest by the first call."""
    monkeypatch.setenv(variable, value)

    def first_call() -> Any:
        return call(get_space_usage_overview, client=client_of("http://127.0.0.1:1"))

    with pytest.raises(kd.ConfigurationError) as caught:
        first_call()
    assert PASSWORD not in messages(caught.value)


# -- a gateway's path prefix ----------------------------------------------------------------

GATEWAYS = ["/proxy/koodrive", "/proxy/koodrive/", "/api%20gw/v1"]


def wire_prefix(prefix: str) -> bytes:
    return prefix.rstrip("/").encode()


@pytest.mark.parametrize("prefix", GATEWAYS)
def test_calls_behind_a_gateway_prefix_are_sent_and_signed_there(call: Caller, prefix: str) -> None:
    with ScriptedServer(ok(TEAMS)) as server:
        client = client_of(server.url + prefix)
        page = call(list_team_spaces, client=client, offset=0, limit=10)
        overview = call(get_space_usage_overview, client=client)
    assert [team.id for team in page.teams] == ["t-1"]
    assert overview.code == 0
    teams, usage = server.seen
    assert teams.target == wire_prefix(prefix) + TEAM_LIST_PATH + b"?offset=0&limit=10"
    assert usage.target == wire_prefix(prefix) + OVERVIEW_PATH
    for seen in server.seen:
        assert seen.signature_problem(APP, SECRET) is None


@pytest.mark.parametrize("prefix", GATEWAYS)
def test_bounds_are_checked_behind_a_gateway(call: Caller, prefix: str) -> None:
    with ScriptedServer(ok(TEAMS)) as server:
        client = client_of(server.url + prefix)
        with pytest.raises(kd.RequestValidationError) as caught:
            call(list_team_spaces, client=client, offset=0, limit=500)
    assert caught.value.parameter == "limit"
    assert caught.value.operation == "listTeamSpaces"
    assert "limit" in str(caught.value)
    assert server.seen == []


def test_a_malformed_reply_behind_a_gateway_is_unreadable(call: Caller) -> None:
    with ScriptedServer(ok({"code": 0, "teams": "nope"})) as server:
        client = client_of(server.url + "/proxy/koodrive")
        with pytest.raises(kd.UnreadableResponseError) as caught:
            call(list_team_spaces, client=client, offset=0, limit=10)
    assert caught.value.operation == "listTeamSpaces"
    assert "teams" in str(caught.value)
    assert len(server.seen) == 1


def test_a_refusal_behind_a_gateway_names_operation_and_trace_id(call: Caller) -> None:
    refusal = Answer(400, {"code": 13000301, "msg": "The space does not exist."})
    with ScriptedServer(refusal) as server:
        client = client_of(server.url + "/proxy/koodrive")
        with pytest.raises(kd.SpaceNotFoundError) as caught:
            call(list_team_spaces, client=client, offset=0, limit=10)
    [seen] = server.seen
    assert caught.value.operation == "listTeamSpaces"
    assert caught.value.trace_id is not None
    assert caught.value.trace_id == seen.header("X-Traceid")
    assert (caught.value.status_code, caught.value.code) == (400, 13000301)


def test_hand_built_requests_behind_a_gateway_are_checked_below_the_prefix(
    call: Caller,
) -> None:
    with ScriptedServer(ok(TEAMS)) as server:
        client = client_of(server.url + "/proxy/koodrive")
        with pytest.raises(kd.RequestValidationError) as too_many:
            call.get(client, "/koodrive/ose/v1/space/teamList?offset=0&limit=500")
        with pytest.raises(kd.RequestValidationError) as unknown:
            call.get(client, "/koodrive/ose/v1/nothing/here")
        assert server.seen == []
        response = call.get(client, "/koodrive/ose/v1/space/teamList?offset=0&limit=10")
    assert (too_many.value.parameter, too_many.value.operation) == ("limit", "listTeamSpaces")
    assert unknown.value.parameter == "url"
    assert "/proxy/koodrive/koodrive/ose/v1/nothing/here" in str(unknown.value)
    assert response.status_code == 200
    [seen] = server.seen
    assert seen.target == b"/proxy/koodrive" + TEAM_LIST_PATH + b"?offset=0&limit=10"
    assert seen.signature_problem(APP, SECRET) is None


# -- one client, many threads, tasks and event loops ----------------------------------------


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with running(Emulator(credentials=Credentials.fake())) as live:
        yield live


def emulator_client(live: RunningEmulator) -> Client:
    auth = kd.AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID)
    return kd.create_client(live.base_url, auth=auth, retry_base_delay=0.01, timeout=10.0)


def statuses(live: RunningEmulator) -> list[int]:
    return [exchange.status for exchange in live.emulator.log]


def test_many_threads_share_one_sync_client(emulator: RunningEmulator) -> None:
    client = emulator_client(emulator)
    start = threading.Barrier(16)

    def ten(_: int) -> list[int]:
        start.wait(timeout=10)
        return [get_space_usage_overview.sync(client=client).code for _ in range(10)]

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = [code for batch in pool.map(ten, range(16)) for code in batch]
    assert codes == [0] * 160
    assert statuses(emulator) == [200] * 160


def test_many_tasks_share_one_async_client(emulator: RunningEmulator) -> None:
    client = emulator_client(emulator)

    async def many() -> tuple[list[Any], set[int]]:
        replies = await asyncio.gather(
            *(get_space_usage_overview.asyncio(client=client) for _ in range(64))
        )

        async def which() -> int:
            await asyncio.sleep(0)
            return id(client.get_async_httpx_client())

        clients = await asyncio.gather(*(which() for _ in range(32)))
        return list(replies), set(clients)

    replies, clients = asyncio.run(many())
    assert [reply.code for reply in replies] == [0] * 64
    assert statuses(emulator) == [200] * 64
    assert len(clients) == 1  # one httpx client for the loop


def test_threads_asking_at_once_get_one_httpx_client(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []

    class SlowToBuild(SyncHTTPClient):
        """Slow to build, so that racing threads would each build one."""

        def __init__(self, **options: Any) -> None:
            built.append(self)
            time.sleep(0.05)
            super().__init__(**options)

    monkeypatch.setattr(client_module, "SyncHTTPClient", SlowToBuild)
    base = client_of("http://127.0.0.1:1")
    # with_headers gives a new client with no httpx client yet (create_client may build one
    # up front): the 32 threads race to build it.
    client = base.with_headers({"X-Caller": "barrier"})
    del built[:]
    start = threading.Barrier(32)

    def fetch(_: int) -> httpx.Client:
        start.wait(timeout=10)
        return client.get_httpx_client()

    with ThreadPoolExecutor(max_workers=32) as pool:
        clients = list(pool.map(fetch, range(32)))
    assert len(built) == 1
    assert all(each is clients[0] for each in clients)
    assert isinstance(clients[0], SlowToBuild)
    assert clients[0] is not base.get_httpx_client()
    assert clients[0].headers["X-Caller"] == "barrier"


def test_one_client_serves_successive_event_loops(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    unraisable: list[str] = []
    monkeypatch.setattr(
        sys, "unraisablehook", lambda hook: unraisable.append(f"{hook.exc_type}: {hook.exc_value}")
    )
    client = emulator_client(emulator)

    async def two() -> list[Any]:
        first = await get_space_usage_overview.asyncio(client=client)
        second = await list_team_spaces.asyncio(client=client, offset=0, limit=5)
        return [first, second]

    for _ in range(3):
        replies = asyncio.run(two())
        assert [reply.code for reply in replies] == [0, 0]
        assert get_space_usage_overview.sync(client=client).code == 0  # the sync side, between
    gc.collect()
    assert statuses(emulator) == [200] * 9
    assert not [text for text in unraisable if "Event loop is closed" in text]


# -- name lookups ------------------------------------------------------------------------------


@pytest.fixture
def slow_lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``localhost`` takes 2 s to look up (a lost DNS packet costs 5); returns what was asked."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def slow(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host  # anyio asks in bytes
        asked.append(name)
        if name == "localhost":
            time.sleep(2)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    return asked


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_slow_name_lookup_ends_with_the_attempts_time(mode: str, slow_lookups: list[str]) -> None:
    """The lookup is no socket operation: no socket timeout bounds it, the attempt's does."""
    with ScriptedServer(ok(FROM_TARGET)) as server:
        client = client_of(
            f"http://localhost:{server.port}", timeout=0.4, max_retries=0, total_timeout=1
        )

        async def timed() -> float:  # inside the loop (asyncio.run waits for its lookup thread)
            started = time.monotonic()
            with pytest.raises(kd.APITimeoutError):
                await get_space_usage_overview.asyncio(client=client)
            return time.monotonic() - started

        if mode == "sync":
            started = time.monotonic()
            with pytest.raises(kd.APITimeoutError, match="looking up localhost took longer"):
                get_space_usage_overview.sync(client=client)
            took = time.monotonic() - started
        else:
            took = asyncio.run(timed())
    assert took < 1.2
    assert "localhost" in slow_lookups
    assert server.seen == []


def test_every_address_of_a_name_is_tried_in_turn(
    call: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As socket.create_connection does: the first address refuses, the second answers."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def two(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if (host.decode() if isinstance(host, bytes) else host) != "localhost":  # anyio: bytes
            return real(host, port, *args, **kwargs)
        asked.append(host)  # 127.0.0.2: nothing listens there (the server is on 127.0.0.1)
        return real("127.0.0.2", port, *args, **kwargs) + real("127.0.0.1", port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", two)
    with ScriptedServer(ok(FROM_TARGET)) as server:
        reply = call(get_space_usage_overview, client=client_of(f"http://localhost:{server.port}"))
    assert reply.data.total_used == 1
    assert asked
    assert len(server.seen) == 1
