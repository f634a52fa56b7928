"""KooDrive's two ways to authenticate, as ``httpx.Auth``: app signatures and access tokens.

Both work with sync and async httpx clients (``auth_flow`` does no I/O). ``create_client`` adds
what a single request cannot do alone: re-signing on retries and clock-skew correction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from collections.abc import Callable, Generator

import httpx

from koodrive_space import signing
from koodrive_space.errors import ConfigurationError

Clock = Callable[[], dt.datetime]
X_DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _header_value(name: str, value: object) -> str:
    """A credential that can travel in an HTTP header, or a ConfigurationError naming it."""
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"{name} must be a non-empty string")
    if not value.isascii() or not value.isprintable() or value != value.strip():
        raise ConfigurationError(
            f"{name} must be printable ASCII without surrounding spaces (it is sent in a header)"
        )
    return value


class AppAuth(httpx.Auth):
    """App authentication: signs every request with the AppSecret (HMAC-SHA256).

    Sets ``X-Date`` (UTC, ``%Y%m%dT%H%M%SZ``) and ``X-User-Id``, signs ``host;x-date;x-user-id``
    and the body hash, and writes ``Authorization: HMAC-SHA256 AppId=…,SignedHeaders=…,
    Signature=…``. ``clock`` (returning an aware datetime) exists for tests with frozen time.
    """

    requires_request_body = True

    def __init__(
        self, app_id: str, app_secret: str, user_id: str, *, clock: Clock | None = None
    ) -> None:
        self.app_id = _header_value("app_id", app_id)
        if not isinstance(app_secret, str) or not app_secret:
            raise ConfigurationError("app_secret must be a non-empty string")
        self._secret = app_secret.encode()
        self.user_id = _header_value("user_id", user_id)
        self._authorization_prefix = signing.authorization(self.app_id, signing.SIGNED_HEADERS, "")
        self._clock = clock
        # Server time minus local time, learned from a refused request's Date header.
        self.clock_offset = dt.timedelta(0)
        self._x_date_second = -1
        self._x_date_text = ""

    @property
    def clock_offset(self) -> dt.timedelta:
        return self._clock_offset

    @clock_offset.setter
    def clock_offset(self, offset: dt.timedelta) -> None:
        self._clock_offset = offset
        self._offset_seconds = offset.total_seconds()

    def __repr__(self) -> str:
        return f"AppAuth(app_id={self.app_id!r}, user_id={self.user_id!r}, app_secret=<hidden>)"

    def signing_time(self) -> dt.datetime:
        now = self._clock() if self._clock else dt.datetime.now(dt.UTC)
        return now + self._clock_offset

    def _x_date(self) -> str:
        # X-Date has one-second resolution: format it once per second, not once per request.
        if self._clock is None:
            second = int(time.time() + self._offset_seconds)
        else:
            second = int(self.signing_time().timestamp())
        if second != self._x_date_second:
            self._x_date_second = second
            when = dt.datetime.fromtimestamp(second, dt.UTC)
            self._x_date_text = when.strftime(X_DATE_FORMAT)
        return self._x_date_text

    def sign(self, request: httpx.Request) -> None:
        """(Re)sign ``request`` in place, with a fresh ``X-Date``.

        On every call's path: signing.py's steps, inlined (``tests/test_signing.py`` checks the
        result against the vectors and against ``signing.signature``).
        """
        if self._clock is None and int(time.time() + self._offset_seconds) == self._x_date_second:
            x_date = self._x_date_text
        else:
            x_date = self._x_date()
        headers = request.headers
        headers["X-Date"] = x_date
        headers["X-User-Id"] = self.user_id
        canonical = signing.app_canonical_request(
            request.method,
            request.url.raw_path,
            headers["host"],
            x_date,
            self.user_id,
            request.content,
        )
        to_sign = b"HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest().encode()
        sig = hmac.digest(self._secret, to_sign, "sha256").hex()
        headers["Authorization"] = self._authorization_prefix + sig

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request


class TokenAuth(httpx.Auth):
    """Token authentication: ``Authorization: <prefix><token>`` and ``X-User-Id``.

    KooDrive's pages write the header as ``Bearer+<token>``, ``Bearer <token>`` and a bare token.
    The default prefix is RFC 6750's ``"Bearer "``: ``Bearer+`` reads as that same value
    form-encoded (``+`` is a space there). Pass ``prefix="Bearer+"`` or ``prefix=""`` if your
    tenant wants another form.
    """

    def __init__(self, token: str, user_id: str, *, prefix: str = "Bearer ") -> None:
        self._authorization = prefix + _header_value("token", token)
        _header_value("Authorization header", self._authorization)
        self.user_id = _header_value("user_id", user_id)
        self.prefix = prefix

    def __repr__(self) -> str:
        return f"TokenAuth(user_id={self.user_id!r}, prefix={self.prefix!r}, token=<hidden>)"

    def sign(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = self._authorization
        request.headers["X-User-Id"] = self.user_id

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request
