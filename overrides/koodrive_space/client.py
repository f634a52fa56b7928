"""``create_client``: the generated ``Client``, wired for KooDrive (auth, retries, errors)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping

import httpx
from koodrive_space_client import Client

from koodrive_space.auth import AppAuth, TokenAuth
from koodrive_space.errors import ConfigurationError
from koodrive_space.retries import RetryPolicy
from koodrive_space.transport import KooDriveTransport, new_trace_id

ENV_BASE_URL = "KOODRIVE_BASE_URL"
ENV_APP_ID = "KOODRIVE_APP_ID"
ENV_APP_SECRET = "KOODRIVE_APP_SECRET"  # noqa: S105 - a variable name, not a secret
ENV_USER_ID = "KOODRIVE_USER_ID"
ENV_TOKEN = "KOODRIVE_TOKEN"  # noqa: S105 - a variable name, not a secret


def create_client(
    base_url: str | None = None,
    *,
    auth: httpx.Auth | None = None,
    timeout: float | httpx.Timeout = 30.0,
    max_retries: int = 2,
    language: str | None = None,
    trace_id_factory: Callable[[], str] | None = None,
    retry_base_delay: float = 0.5,
    transport: httpx.BaseTransport | None = None,
    async_transport: httpx.AsyncBaseTransport | None = None,
    environ: Mapping[str, str] | None = None,
) -> Client:
    """A ``koodrive_space_client.Client`` that signs, retries and raises ``KooDriveError``s.

    With no ``base_url`` or ``auth``, reads them from the environment: ``KOODRIVE_BASE_URL``;
    ``KOODRIVE_APP_ID``, ``KOODRIVE_APP_SECRET`` and ``KOODRIVE_USER_ID`` for app
    authentication, or ``KOODRIVE_TOKEN`` and ``KOODRIVE_USER_ID`` for a token. A missing one is
    named in the ``ConfigurationError``.

    ``transport`` and ``async_transport`` replace the network (tests pass
    ``httpx.MockTransport``); everything else in the pipeline still runs.
    """
    env = os.environ if environ is None else environ
    url = _base_url(base_url if base_url is not None else _required(env, ENV_BASE_URL))
    if auth is None:
        auth = auth_from_environment(env)
    elif not isinstance(auth, httpx.Auth):
        raise ConfigurationError(f"auth must be an httpx.Auth such as AppAuth, not {auth!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float | httpx.Timeout):
        raise ConfigurationError(f"timeout must be seconds or an httpx.Timeout (got {timeout!r})")
    if isinstance(timeout, int | float) and timeout <= 0:
        raise ConfigurationError(f"timeout must be more than 0 seconds (got {timeout})")
    headers = {}
    if language is not None:
        if not isinstance(language, str) or not language.strip():
            raise ConfigurationError(
                f"language must be a language code such as 'en-US' (got {language!r})"
            )
        headers["language"] = language
    pipeline = KooDriveTransport(
        auth=auth,
        policy=RetryPolicy(max_retries=max_retries, base_delay=retry_base_delay),
        trace_id_factory=trace_id_factory or new_trace_id,
        sync_transport=transport,
        async_transport=async_transport,
    )
    return Client(
        url,
        headers=headers,
        timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
        # A signature covers one URL: a followed redirect would carry a stale one.
        follow_redirects=False,
        httpx_args={"auth": auth, "transport": pipeline},
    )


def auth_from_environment(env: Mapping[str, str]) -> httpx.Auth:
    """``AppAuth`` when any ``KOODRIVE_APP_*`` variable is set, else ``TokenAuth``."""
    if env.get(ENV_APP_ID) or env.get(ENV_APP_SECRET):
        missing = [name for name in (ENV_APP_ID, ENV_APP_SECRET, ENV_USER_ID) if not env.get(name)]
        if missing:
            raise ConfigurationError(f"app authentication needs {', '.join(missing)} to be set")
        return AppAuth(env[ENV_APP_ID], env[ENV_APP_SECRET], env[ENV_USER_ID])
    if env.get(ENV_TOKEN):
        return TokenAuth(env[ENV_TOKEN], _required(env, ENV_USER_ID))
    raise ConfigurationError(
        f"no credentials: pass auth=, or set {ENV_APP_ID}, {ENV_APP_SECRET} and {ENV_USER_ID} "
        f"(app authentication) or {ENV_TOKEN} and {ENV_USER_ID} (token authentication)"
    )


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name)
    if not value:
        raise ConfigurationError(f"{name} is not set")
    return value


def _base_url(value: str) -> str:
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError) as problem:
        raise ConfigurationError(f"base_url {value!r} is not a URL: {problem}") from problem
    if url.scheme not in ("https", "http") or not url.host:
        raise ConfigurationError(f"base_url must be an https:// URL with a host (got {value!r})")
    if url.scheme == "http" and not _is_loopback(url.host):
        raise ConfigurationError(
            f"base_url {value!r} is plain http: KooDrive is HTTPS only (http is accepted for "
            "loopback addresses, such as a local emulator)"
        )
    if url.query or url.fragment:
        raise ConfigurationError(f"base_url must not have a query or fragment (got {value!r})")
    return str(url).rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
