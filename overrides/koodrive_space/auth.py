"""KooDrive's two ways to authenticate, as ``httpx.Auth``: app signatures and access tokens.

Both work with sync and async httpx clients (``auth_flow`` does no I/O), inside ``create_client``
or on their own with plain httpx. ``AppAuth`` also corrects a clock that KooDrive refuses: after
a 401/403 whose ``Date`` shows that the request's own ``X-Date`` was outside the window KooDrive
accepts, it adopts the server's clock, keeps it for later requests and signs the request again.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Generator

import httpx

from koodrive_space import signing
from koodrive_space.errors import ConfigurationError
from koodrive_space.retries import MAX_CLOCK_OFFSET, http_date
from koodrive_space.validation import is_unicode

log = logging.getLogger("koodrive_space")

Clock = Callable[[], dt.datetime]
X_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
# KooDrive accepts an X-Date no later than its clock and at most this much before it.
SIGNATURE_LIFETIME = dt.timedelta(minutes=15)


def header_value(name: str, value: object) -> str:
    """A credential that can travel in an HTTP header, or a ConfigurationError naming it (never
    repeating the value: it may be a secret)."""
    if not isinstance(value, str):
        raise ConfigurationError(f"{name} must be a string, not {type(value).__name__}")
    if not value:
        raise ConfigurationError(f"{name} must not be empty")
    if not value.isascii() or not value.isprintable() or value != value.strip():
        raise ConfigurationError(
            f"{name} must be printable ASCII without surrounding spaces (it is sent in a header)"
        )
    return value


class AppAuth(httpx.Auth):
    """App authentication: signs every request with the AppSecret (HMAC-SHA256).

    Sets ``X-Date`` (UTC, ``%Y%m%dT%H%M%SZ``) and ``X-User-Id``, signs ``host;x-date;x-user-id``
    and the body hash (signing.py) and writes ``Authorization: HMAC-SHA256 AppId=…,
    SignedHeaders=…,Signature=…``. ``clock`` (returning an aware datetime) exists for tests with
    frozen time. ``clock_offset`` is the server's time minus ours, learned from refusals.
    """

    requires_request_body = True

    def __init__(
        self, app_id: str, app_secret: str, user_id: str, *, clock: Clock | None = None
    ) -> None:
        self.app_id = header_value("app_id", app_id)
        if not isinstance(app_secret, str) or not app_secret:
            raise ConfigurationError("app_secret must be a non-empty string")
        if not is_unicode(app_secret):  # never repeat the value: it is the secret
            raise ConfigurationError("app_secret is not Unicode text (it holds a lone surrogate)")
        self._secret = app_secret.encode()
        self.user_id = header_value("user_id", user_id)
        self._clock = clock
        self._offset = 0.0  # seconds; one float, so threads read and write it whole
        self._x_date = (-1, "")  # (second, text): one tuple, replaced whole, never half-written

    @property
    def clock_offset(self) -> dt.timedelta:
        return dt.timedelta(seconds=self._offset)

    @clock_offset.setter
    def clock_offset(self, offset: dt.timedelta) -> None:
        self._offset = offset.total_seconds()

    def __repr__(self) -> str:
        return f"AppAuth(app_id={self.app_id!r}, user_id={self.user_id!r}, app_secret=<hidden>)"

    def _local_now(self) -> float:
        return self._clock().timestamp() if self._clock else time.time()

    def x_date(self) -> str:
        """The current ``X-Date``, formatted once per second (it has one-second resolution)."""
        second = int(self._local_now() + self._offset)
        cached = self._x_date
        if cached[0] == second:
            return cached[1]
        text = time.strftime(X_DATE_FORMAT, time.gmtime(second))
        self._x_date = (second, text)
        return text

    def sign(self, request: httpx.Request) -> None:
        """(Re)sign ``request`` in place, with a fresh ``X-Date``."""
        x_date = self.x_date()
        headers = request.headers
        headers["X-Date"] = x_date
        headers["X-User-Id"] = self.user_id
        canonical = signing.canonical_request(
            request.method,
            request.url.raw_path,
            (("host", headers["host"]), ("x-date", x_date), ("x-user-id", self.user_id)),
            request.content,
        )
        sig = signing.signature(self._secret, signing.string_to_sign(canonical))
        headers["Authorization"] = signing.authorization(self.app_id, signing.SIGNED_HEADERS, sig)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        response = yield request
        if self._adopt_server_clock(request, response):
            self.sign(request)
            yield request

    def _adopt_server_clock(self, request: httpx.Request, response: httpx.Response) -> bool:
        """True when KooDrive refused ``request`` and its ``Date`` shows the request's own
        ``X-Date`` outside the window; then later signatures use the server's clock.

        Compared with what this request sent, not with the shared clock: when many threads hit
        the refusal at once, each decides on its own evidence and all set the same offset.
        """
        if response.status_code not in (401, 403):
            return False
        server = http_date(response.headers.get("Date"))
        if server is None:
            return False
        try:
            sent = dt.datetime.strptime(request.headers.get("X-Date", ""), X_DATE_FORMAT)
        except ValueError:
            return False
        sent = sent.replace(tzinfo=dt.UTC)
        if server - SIGNATURE_LIFETIME <= sent <= server:
            return False
        offset = server.timestamp() - self._local_now()
        if abs(offset) > MAX_CLOCK_OFFSET.total_seconds():
            log.warning(
                "KooDrive's Date %s is %+.0f s from our clock: not believed", server, offset
            )
            return False
        self._offset = offset
        log.warning(
            "KooDrive refused X-Date %s (server time %s): signing with the server's clock, "
            "%+.0f s from ours",
            request.headers.get("X-Date"),
            server.astimezone(dt.UTC).strftime(X_DATE_FORMAT),
            offset,
        )
        return True


class TokenAuth(httpx.Auth):
    """Token authentication: ``Authorization: <prefix><token>`` and ``X-User-Id``.

    KooDrive's pages write the header as ``Bearer+<token>``, ``Bearer <token>`` and a bare token.
    The default prefix is RFC 6750's ``"Bearer "``: ``Bearer+`` reads as that same value
    form-encoded (``+`` is a space there). Pass ``prefix="Bearer+"`` or ``prefix=""`` if your
    tenant wants another form.
    """

    def __init__(self, token: str, user_id: str, *, prefix: str = "Bearer ") -> None:
        if not isinstance(prefix, str) or not prefix.isascii() or not prefix.isprintable():
            raise ConfigurationError(
                f"prefix must be a string of printable ASCII such as 'Bearer ' "
                f"(got {type(prefix).__name__})"
            )
        self._authorization = prefix + header_value("token", token)
        self.user_id = header_value("user_id", user_id)
        self.prefix = prefix

    def __repr__(self) -> str:
        return f"TokenAuth(user_id={self.user_id!r}, prefix={self.prefix!r}, token=<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._authorization
        request.headers["X-User-Id"] = self.user_id
        yield request
