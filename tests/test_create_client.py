"""create_client: configuration from arguments or the environment, with clear refusals."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import koodrive_space as kd
import pytest
from koodrive_space_client.api.space import get_space_usage_overview

from tests.mock_service import Script, ok

FULL_APP_ENV = {
    "KOODRIVE_BASE_URL": "https://intl.myhuaweicloud-koodrive.com",
    "KOODRIVE_APP_ID": "env-app",
    "KOODRIVE_APP_SECRET": "env-secret",
    "KOODRIVE_USER_ID": "env-user",
}


def sent_with(environ: dict[str, str], **options: object) -> httpx.Request:
    script = Script(ok())
    client = kd.create_client(environ=environ, transport=httpx.MockTransport(script), **options)  # type: ignore[arg-type]
    get_space_usage_overview.sync(client=client)
    return script.requests[0]


def test_app_authentication_from_the_environment() -> None:
    request = sent_with(FULL_APP_ENV)
    assert request.url.host == "intl.myhuaweicloud-koodrive.com"
    assert request.headers["Authorization"].startswith("HMAC-SHA256 AppId=env-app,")
    assert request.headers["X-User-Id"] == "env-user"


def test_token_authentication_from_the_environment() -> None:
    env = {
        "KOODRIVE_BASE_URL": "https://cn.myhuaweicloud-koodrive.com",
        "KOODRIVE_TOKEN": "env-token",
        "KOODRIVE_USER_ID": "env-user",
    }
    request = sent_with(env)
    assert request.headers["Authorization"] == "Bearer env-token"
    assert request.headers["X-User-Id"] == "env-user"


@pytest.mark.parametrize(
    ("missing", "problem"),
    [
        (["KOODRIVE_BASE_URL"], "KOODRIVE_BASE_URL is not set"),
        (["KOODRIVE_APP_SECRET"], "app authentication needs KOODRIVE_APP_SECRET to be set"),
        (
            ["KOODRIVE_APP_ID", "KOODRIVE_USER_ID"],
            "app authentication needs KOODRIVE_APP_ID, KOODRIVE_USER_ID to be set",
        ),
        (["KOODRIVE_APP_ID", "KOODRIVE_APP_SECRET"], "no credentials: pass auth=, or set"),
    ],
)
def test_missing_settings_are_named(missing: list[str], problem: str) -> None:
    env = {k: v for k, v in FULL_APP_ENV.items() if k not in missing}
    with pytest.raises(kd.ConfigurationError, match=problem):
        kd.create_client(environ=env)


def test_token_without_user_id_is_named() -> None:
    env = {"KOODRIVE_BASE_URL": "https://intl.myhuaweicloud-koodrive.com", "KOODRIVE_TOKEN": "t"}
    with pytest.raises(kd.ConfigurationError, match="KOODRIVE_USER_ID is not set"):
        kd.create_client(environ=env)


@pytest.mark.parametrize(
    ("base_url", "problem"),
    [
        ("intl.myhuaweicloud-koodrive.com", "must be an https:// URL with a host"),
        ("ftp://intl.myhuaweicloud-koodrive.com", "must be an https:// URL with a host"),
        ("http://intl.myhuaweicloud-koodrive.com", "plain http: KooDrive is HTTPS only"),
        ("https://intl.myhuaweicloud-koodrive.com/?x=1", "must not have a query"),
        ("https://intl.myhuaweicloud-koodrive.com/gw?", "must not have a query"),
        ("https://intl.myhuaweicloud-koodrive.com/gw#", "must not have a query or fragment"),
        ("https://intl.myhuaweicloud-koodrive.com/gw\ud800", "base_url is not a URL"),
        (42, "base_url must be a URL string, not int"),
    ],
)
def test_bad_base_urls_are_refused(base_url: str, problem: str) -> None:
    with pytest.raises(kd.ConfigurationError, match=problem):
        kd.create_client(base_url, auth=kd.TokenAuth("t", "u"))


def test_a_proxy_password_is_not_in_the_clients_repr() -> None:
    proxy = "http://user:proxy-pass-123@127.0.0.1:3128"
    client = kd.create_client("https://h.example", auth=kd.TokenAuth("t", "u"), proxy=proxy)
    assert "proxy-pass-123" not in repr(client)
    assert "'user', '********'" in repr(client)


@pytest.mark.parametrize(
    "base_url", ["http://127.0.0.1:8765", "http://localhost:8765/", "http://[::1]:8765"]
)
def test_plain_http_is_accepted_for_loopback_emulators(base_url: str) -> None:
    client = kd.create_client(base_url, auth=kd.TokenAuth("t", "u"))
    assert client._base_url == base_url.rstrip("/")


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"auth": "token"}, "auth must be an httpx.Auth such as AppAuth or TokenAuth, not str"),
        ({"timeout": 0}, "timeout must be more than 0 seconds"),
        ({"timeout": "10"}, "timeout must be a finite number of seconds (got '10')"),
        ({"timeout": float("inf")}, "timeout must be a finite number of seconds (got inf)"),
        ({"timeout": float("nan")}, "timeout must be a finite number of seconds (got nan)"),
        ({"timeout": True}, "timeout must be a finite number of seconds (got True)"),
        ({"total_timeout": float("inf")}, "total_timeout must be a finite number of seconds"),
        ({"timeout": 1e10}, "timeout must be at most 86400 seconds, a day"),
        ({"total_timeout": 86_401}, "total_timeout must be at most 86400 seconds, a day"),
        ({"max_retries": -1}, "max_retries must be 0 to 10 (got -1)"),
        ({"max_retries": 2000}, "max_retries must be 0 to 10 (got 2000)"),
        ({"retry_base_delay": float("nan")}, "retry_base_delay must be a finite number of seconds"),
        ({"retry_base_delay": -1}, "retry_base_delay must be 0 or more seconds (got -1)"),
        ({"language": "  "}, "language must be printable ASCII without surrounding spaces"),
        ({"language": "zh-中文"}, "language must be printable ASCII"),
        ({"language": "en\r\nX-Evil: 1"}, "language must be printable ASCII"),
        ({"language": 0}, "language must be a string, not int"),
        ({"max_reply_bytes": 0}, "max_reply_bytes must be 1 to 1099511627776 (got 0)"),
        ({"max_reply_bytes": 1.5}, "max_reply_bytes must be an integer (got 1.5)"),
        (
            {"max_reply_bytes": 2**40 + 1},
            "max_reply_bytes must be 1 to 1099511627776 (got 1099511627777)",
        ),
        (
            {"proxy": "http://user:pw@proxy.example:99999"},
            "proxy must be a URL with a host and a port from 1 to 65535",
        ),
        ({"proxy": 42}, "proxy must be a URL or an httpx.Proxy, not int"),
        (
            {"proxy": "ftp://proxy.example"},
            "proxy cannot be used: Unknown scheme for proxy",
        ),
        ({"verify": 1}, "verify must be a bool, a CA bundle path or an ssl.SSLContext, not int"),
        ({"verify": "/no/such/ca.pem"}, "verify: cannot load CA certificates from /no/such/ca.pem"),
        ({"verify": "ca\x00.pem"}, "verify: cannot load CA certificates from 'ca\\x00.pem': "),
        (
            {"verify": "/no/such/ca\ud800.pem"},
            "verify: cannot load CA certificates from '/no/such/ca\\ud800.pem': ",
        ),
    ],
)
def test_bad_options_are_refused(options: dict[str, object], problem: str) -> None:
    options.setdefault("auth", kd.TokenAuth("t", "u"))
    with pytest.raises(kd.ConfigurationError, match=re.escape(problem)):
        kd.create_client("https://intl.myhuaweicloud-koodrive.com", **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "secret"),
    [
        (
            lambda: kd.create_client("https://k.example", auth=("user", "s3cret-pw")),  # type: ignore[arg-type]
            "s3cret-pw",
        ),
        (
            lambda: kd.create_client(
                "https://user:s3cret-pw@k.example", auth=kd.TokenAuth("t", "u")
            ),
            "s3cret-pw",
        ),
        (
            lambda: kd.create_client(
                "https://k.example",
                auth=kd.TokenAuth("t", "u"),
                proxy="ftp://user:s3cret-pw@proxy.example",
            ),
            "s3cret-pw",
        ),
        (
            lambda: kd.create_client(
                "https://k.example",
                auth=kd.TokenAuth("t", "u"),
                proxy="http://user:s3cret-pw@host:notaport",
            ),
            "s3cret-pw",
        ),
        (lambda: kd.TokenAuth("s3cret-tok\n", "u"), "s3cret-tok"),
        (lambda: kd.TokenAuth("s3cret-tok", "u", prefix=None), "s3cret-tok"),  # type: ignore[arg-type]
        (
            lambda: kd.create_client(
                "https://k.example", auth=kd.AppAuth("a", "s3cret-pw", "u"), timeout=-1
            ),
            "s3cret-pw",
        ),
    ],
    ids=[
        "auth tuple",
        "userinfo",
        "proxy scheme",
        "proxy URL",
        "token",
        "prefix",
        "other setting",
    ],
)
def test_configuration_errors_never_repeat_a_secret(build: Any, secret: str) -> None:
    with pytest.raises(kd.ConfigurationError) as caught:
        build()
    shown = f"{caught.value} {caught.value!r} {caught.value.args}"
    assert secret not in shown


def test_a_base_url_with_credentials_is_refused_and_says_why() -> None:
    with pytest.raises(kd.ConfigurationError, match="must not carry a user name or password"):
        kd.create_client("https://user:pw@k.example", auth=kd.TokenAuth("t", "u"))


def test_token_auth_prefix_must_be_a_string() -> None:
    with pytest.raises(kd.ConfigurationError, match="prefix must be a string of printable ASCII"):
        kd.TokenAuth("tok", "u", prefix=None)  # type: ignore[arg-type]


def test_language_is_sent_on_every_call_and_a_call_can_override_it() -> None:
    script = Script(ok())
    client = kd.create_client(
        "https://intl.myhuaweicloud-koodrive.com",
        auth=kd.TokenAuth("t", "u"),
        language="zh-CN",
        transport=httpx.MockTransport(script),
    )
    get_space_usage_overview.sync(client=client)
    get_space_usage_overview.sync(client=client, language="en_us")
    assert [r.headers["language"] for r in script.requests] == ["zh-CN", "en_us"]


def test_without_language_no_header_is_sent() -> None:
    assert "language" not in sent_with(FULL_APP_ENV).headers


def test_token_prefix_is_configurable() -> None:
    for prefix, expected in [("Bearer+", "Bearer+tok"), ("", "tok"), ("Bearer ", "Bearer tok")]:
        request = sent_with(FULL_APP_ENV, auth=kd.TokenAuth("tok", "u", prefix=prefix))
        assert request.headers["Authorization"] == expected


def test_one_client_serves_sync_and_async_calls() -> None:
    script = Script(ok())

    async def handler(request: httpx.Request) -> httpx.Response:
        return script(request)

    client = kd.create_client(
        "https://intl.myhuaweicloud-koodrive.com",
        auth=kd.AppAuth("a", "s", "u"),
        transport=httpx.MockTransport(script),
        async_transport=httpx.MockTransport(handler),
    )
    get_space_usage_overview.sync(client=client)
    asyncio.run(get_space_usage_overview.asyncio(client=client))
    assert len(script.requests) == 2
    assert all(r.headers["Authorization"].startswith("HMAC-SHA256") for r in script.requests)


def test_follow_redirects_is_off() -> None:
    client = kd.create_client(
        "https://intl.myhuaweicloud-koodrive.com", auth=kd.TokenAuth("t", "u")
    )
    assert client.get_httpx_client().follow_redirects is False


@pytest.mark.parametrize(
    ("variable", "value"),
    [("HTTPS_PROXY", "http://user:pw@proxy.example:99999"), ("all_proxy", "proxy.example:0")],
)
def test_a_proxy_variable_httpx_would_take_unchecked_is_refused_without_echo(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, value)
    with pytest.raises(kd.ConfigurationError) as caught:
        kd.create_client("https://k.example", auth=kd.TokenAuth("t", "u"))
    assert str(caught.value) == (
        f"the {variable.upper()} environment variable must be a URL with a host and a port "
        "from 1 to 65535"
    )
    assert "pw" not in str(caught.value)


def test_no_proxy_alone_is_not_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    kd.create_client("https://k.example", auth=kd.TokenAuth("t", "u"))


def test_a_proxy_variable_no_proxy_switches_off_is_not_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """NO_PROXY=* makes httpx ignore every proxy variable; so does the check."""
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:99999")
    monkeypatch.setenv("NO_PROXY", "*")
    kd.create_client("https://k.example", auth=kd.TokenAuth("t", "u"))


@pytest.mark.parametrize("password", ["s3cr/3tpw", "s3cr#3tpw", "s3cr?3tpw"])
def test_a_proxy_password_is_never_echoed_even_when_it_breaks_the_url(
    monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    value = f"http://alice:{password}@proxy.example:8080"
    for variable in (None, "HTTPS_PROXY"):
        options: dict[str, Any] = {"auth": kd.TokenAuth("t", "u")}
        if variable is None:
            options["proxy"] = value
        else:
            monkeypatch.setenv(variable, value)
        with pytest.raises(kd.ConfigurationError) as caught:
            kd.create_client("https://k.example", **options)
        assert "must be percent-encoded" in str(caught.value)
        assert "s3cr" not in str(caught.value)
        assert "3tpw" not in str(caught.value)


def test_a_later_header_replaces_an_earlier_one_whatever_its_case() -> None:
    script = Script(ok())
    client = kd.create_client(
        "https://intl.myhuaweicloud-koodrive.com",
        auth=kd.TokenAuth("t", "u"),
        transport=httpx.MockTransport(script),
    )
    changed = client.with_headers({"X-Team": "a"}).with_headers({"x-team": "b"})
    get_space_usage_overview.sync(client=changed)
    assert script.requests[0].headers.get_list("x-team") == ["b"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda c: c.with_headers({"X-Team": "a\r\nX-Evil: 1"}),
            "header X-Team must be printable ASCII",
        ),
        (lambda c: c.with_headers({"X-Team": 7}), "header X-Team must be a string, not int"),
        (lambda c: c.with_headers([("X-Team", "a")]), "headers must be a mapping of names"),
        (lambda c: c.with_headers({1: "a"}), "headers: a name is not a valid name"),
        (lambda c: c.with_headers({"X Team": "a"}), "headers: 'X Team' is not a valid name"),
        (lambda c: c.with_cookies({"s": "x; admin=1"}), "cookie s must be text without spaces"),
        (lambda c: c.with_cookies({"s": "é"}), "cookie s must be text without spaces"),
        (lambda c: c.with_timeout(5), "timeout must be an httpx.Timeout, not int"),
        (
            lambda c: c.with_timeout(httpx.Timeout(5, read=float("inf"))),
            "timeout's read must be a finite number of seconds (got inf)",
        ),
        (lambda c: c.with_timeout(httpx.Timeout(5, connect=0)), "timeout's connect must be more"),
        (lambda c: c.with_timeout(httpx.Timeout(1e10)), "timeout's connect must be at most 86400"),
    ],
)
def test_with_options_are_checked_and_leave_the_client_as_it_was(change: Any, problem: str) -> None:
    script = Script(ok())
    client = kd.create_client(
        "https://intl.myhuaweicloud-koodrive.com",
        auth=kd.TokenAuth("t", "u"),
        transport=httpx.MockTransport(script),
    )
    http = client.get_httpx_client()
    with pytest.raises(kd.ConfigurationError, match=re.escape(problem)):
        change(client)
    assert client.get_httpx_client() is http
    get_space_usage_overview.sync(client=client)
    assert "X-Team" not in script.requests[0].headers


def test_with_headers_gives_a_new_client_and_keeps_the_original() -> None:
    script = Script(ok())
    client = kd.create_client(
        "https://intl.myhuaweicloud-koodrive.com",
        auth=kd.TokenAuth("t", "u"),
        transport=httpx.MockTransport(script),
    )
    teamed = client.with_headers({"X-Team": "blue"})
    get_space_usage_overview.sync(client=teamed)
    get_space_usage_overview.sync(client=client)
    assert [r.headers.get("X-Team") for r in script.requests] == ["blue", None]
