"""``create_client``: the generated ``Client``, wired for KooDrive (auth, retries, errors)."""

from __future__ import annotations

import contextlib
import os
import ssl
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx
from attrs import define, evolve, field
from koodrive_space_client import Client

from koodrive_space import options, retries
from koodrive_space.auth import AppAuth, TokenAuth, header_value
from koodrive_space.errors import ConfigurationError
from koodrive_space.pipeline import AsyncHTTPClient, Settings, SyncHTTPClient, new_trace_id
from koodrive_space.replies import ACCEPT_ENCODING, DEFAULT_MAX_REPLY_BYTES
from koodrive_space.retries import RetryPolicy

ENV_BASE_URL = "KOODRIVE_BASE_URL"
ENV_APP_ID = "KOODRIVE_APP_ID"
ENV_APP_SECRET = "KOODRIVE_APP_SECRET"  # noqa: S105 - a variable name, not a secret
ENV_USER_ID = "KOODRIVE_USER_ID"
ENV_TOKEN = "KOODRIVE_TOKEN"  # noqa: S105 - a variable name, not a secret
# A reply past this is refused whatever max_reply_bytes says (zlib's length limits are C sizes).
MAX_REPLY_BYTES = 2**40
_HTTPClient = TypeVar("_HTTPClient", SyncHTTPClient, AsyncHTTPClient)


@define
class KooDriveClient(Client):
    """The generated ``Client``, building httpx clients that run the pipeline (pipeline.py):
    the sync one once, however many threads ask at once; the async one once per event loop, so
    one client serves successive ``asyncio.run()`` calls."""

    _lock: threading.Lock = field(factory=threading.Lock, init=False, repr=False)
    # By asyncio loop or trio run (its root task); _unlooped: under neither.
    _loops: dict[Any, httpx.AsyncClient] = field(factory=dict, init=False, repr=False)
    _unlooped: httpx.AsyncClient | None = field(default=None, init=False, repr=False)
    _pinned: httpx.AsyncClient | None = field(default=None, init=False, repr=False)

    def _options(self) -> dict[str, Any]:
        return {
            "base_url": self._base_url,
            "cookies": self._cookies,
            "headers": self._headers,
            "timeout": self._timeout,
            "verify": self._verify_ssl,
            "follow_redirects": self._follow_redirects,
            **self._httpx_args,
        }

    def get_httpx_client(self) -> httpx.Client:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = _built(SyncHTTPClient, self._options())
        return self._client

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        if self._pinned is not None:  # set_async_httpx_client: the caller's, used as given
            return self._pinned
        loop = _running_loop()
        with self._lock:
            client = self._loops.get(loop) if loop is not None else self._unlooped
            # A new loop, or its client closed when the loop ended (one closed by the caller's
            # `async with` stays closed, and says so when used).
            if client is None or (client.is_closed and _ended_with_its_loop(client)):
                self._loops = {old: c for old, c in self._loops.items() if not _gone(old, c)}
                client = _built(AsyncHTTPClient, self._options())
                if loop is not None:
                    self._loops[loop] = client
                else:
                    self._unlooped = client
            return client

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> KooDriveClient:
        with self._lock:
            self._pinned = async_client
        return self

    # The generated versions also change this client's own httpx clients in place; these leave
    # it as it was, and refuse what httpx could not send.
    def with_headers(self, headers: dict[str, str]) -> KooDriveClient:
        for name, value in options.named("headers", headers):
            header_value(f"header {name}", value)
        merged = httpx.Headers(self._headers)  # a later "x-team" replaces "X-Team"
        merged.update(headers)
        return evolve(self, headers=dict(merged.items()))

    def with_cookies(self, cookies: dict[str, str]) -> KooDriveClient:
        for name, value in options.named("cookies", cookies):
            options.cookie_value(name, value)
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> KooDriveClient:
        if not isinstance(timeout, httpx.Timeout):
            raise ConfigurationError(
                f"timeout must be an httpx.Timeout, not {type(timeout).__name__}"
            )
        for phase, seconds in timeout.as_dict().items():
            if seconds is not None:
                retries.seconds(f"timeout's {phase}", seconds, positive=True)
        return evolve(self, timeout=timeout)


def _running_loop() -> Any:
    """The asyncio loop, or the trio run (its root task), running in this thread; None under
    neither. A module not imported runs no loop, and is not imported here."""
    if "asyncio" in sys.modules:
        with contextlib.suppress(RuntimeError):
            return sys.modules["asyncio"].get_running_loop()
    if "trio" in sys.modules:
        with contextlib.suppress(RuntimeError):
            return sys.modules["trio"].lowlevel.current_root_task()
    return None


def _ended_with_its_loop(client: httpx.AsyncClient) -> bool:
    return isinstance(client, AsyncHTTPClient) and client.ended_with_its_loop


def _gone(loop: Any, client: httpx.AsyncClient) -> bool:
    """Whether ``loop`` has ended: an asyncio loop closed, or its client closed as it ended."""
    closed = hasattr(loop, "is_closed") and loop.is_closed()  # asyncio's; trio's runs have none
    return bool(closed) or _ended_with_its_loop(client)


def _built(kind: type[_HTTPClient], options: dict[str, Any]) -> _HTTPClient:
    """An httpx client for the pipeline; settings it cannot use (a proxy from the environment,
    a CA bundle named by SSL_CERT_FILE, ...) are a ConfigurationError, not httpx's own."""
    try:
        return kind(**options)
    except (ValueError, ImportError, OSError, ssl.SSLError, httpx.InvalidURL) as problem:
        # httpx shows a proxy URL's password as [secure]; nothing else here can hold one.
        raise ConfigurationError(f"proxy or verify cannot be used: {problem}") from None


def create_client(
    base_url: str | None = None,
    *,
    auth: httpx.Auth | None = None,
    timeout: float = 30.0,
    max_retries: int = 2,
    total_timeout: float = 120.0,
    language: str | None = None,
    proxy: str | httpx.URL | httpx.Proxy | None = None,
    verify: bool | str | ssl.SSLContext = True,
    max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
    trace_id_factory: Callable[[], str] | None = None,
    retry_base_delay: float = 0.5,
    transport: httpx.BaseTransport | None = None,
    async_transport: httpx.AsyncBaseTransport | None = None,
    environ: Mapping[str, str] | None = None,
) -> Client:
    """A ``koodrive_space_client.Client`` that signs, retries and raises ``KooDriveError``s.

    With no ``base_url`` or ``auth``, reads them from the environment: ``KOODRIVE_BASE_URL``;
    ``KOODRIVE_APP_ID``, ``KOODRIVE_APP_SECRET`` and ``KOODRIVE_USER_ID`` for app
    authentication, or ``KOODRIVE_TOKEN`` and ``KOODRIVE_USER_ID`` for a token.

    ``timeout`` bounds each attempt as a whole, ``total_timeout`` the call with its retries and
    waits (README, "Reliability"). ``proxy`` and ``verify`` (a bool, a CA bundle file or folder,
    or an ``ssl.SSLContext``) mean what they mean to httpx, and so do ``HTTPS_PROXY``,
    ``NO_PROXY``, ``SSL_CERT_FILE`` and the like. Replies larger than ``max_reply_bytes``
    (decompressed) are refused. ``transport`` and ``async_transport`` replace the network (tests
    pass ``httpx.MockTransport``); everything else in the pipeline still runs.
    """
    env = os.environ if environ is None else environ
    url = options.base_url(base_url if base_url is not None else _required(env, ENV_BASE_URL))
    if auth is None:
        auth = auth_from_environment(env)
    elif not isinstance(auth, httpx.Auth):  # the value may hold a secret: name its type only
        raise ConfigurationError(
            f"auth must be an httpx.Auth such as AppAuth or TokenAuth, not {type(auth).__name__}"
        )
    if isinstance(max_reply_bytes, bool) or not isinstance(max_reply_bytes, int):
        raise ConfigurationError(f"max_reply_bytes must be an integer (got {max_reply_bytes!r})")
    if not 1 <= max_reply_bytes <= MAX_REPLY_BYTES:
        raise ConfigurationError(
            f"max_reply_bytes must be 1 to {MAX_REPLY_BYTES} (got {max_reply_bytes})"
        )
    if proxy is not None:
        proxy = options.proxy_url(proxy, "proxy")
    else:
        options.environment_proxies()
    retries.seconds("retry_base_delay", retry_base_delay)  # named as the caller named it
    settings = Settings(
        auth=auth,
        policy=RetryPolicy(
            max_retries=max_retries, base_delay=retry_base_delay, total_timeout=total_timeout
        ),
        timeout=retries.seconds("timeout", timeout, positive=True),
        max_reply_bytes=max_reply_bytes,
        trace_ids=trace_id_factory or new_trace_id,
        base_path=httpx.URL(url).path.rstrip("/"),
        transport=transport,
        async_transport=async_transport,
    )
    headers = {"Accept-Encoding": ACCEPT_ENCODING}
    if language is not None:
        headers["language"] = header_value("language", language)
    client = KooDriveClient(
        url,
        headers=headers,
        timeout=httpx.Timeout(settings.timeout),
        verify_ssl=options.verify(verify),
        # A signature covers one URL: a followed redirect would carry a stale one.
        follow_redirects=False,
        httpx_args={"koodrive": settings, "proxy": proxy},
    )
    client.get_httpx_client()  # built now: an unusable proxy or CA bundle is refused here
    return client


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
