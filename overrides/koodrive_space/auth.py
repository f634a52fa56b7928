"""KooDrive's two ways to authenticate, as ``httpx.Auth``: app signatures and access tokens.

Both work with sync and async httpx clients (``auth_flow`` does no I/O). ``create_client`` adds
what a single request cannot do alone: re-signing on retries and clock-skew correction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator

import httpx

from koodrive_space import signing
from koodrive_space.errors import ConfigurationError

Clock = Callable[[], dt.datetime]
X_DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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
        self._clock = clock or _utc_now
        # Server time minus local time, learned from a refused request's Date header.
        self.clock_offset = dt.timedelta(0)

    def __repr__(self) -> str:
        return f"AppAuth(app_id={self.app_id!r}, user_id={self.user_id!r}, app_secret=<hidden>)"

    def signing_time(self) -> dt.datetime:
        return self._clock() + self.clock_offset

    def sign(self, request: httpx.Request) -> None:
        """(Re)sign ``request`` in place, with a fresh ``X-Date``."""
        x_date = self.signing_time().astimezone(dt.UTC).strftime(X_DATE_FORMAT)
        headers = request.headers
        headers["X-Date"] = x_date
        headers["X-User-Id"] = self.user_id
        canonical = signing.canonical_request(
            request.method,
            request.url.raw_path,
            {"host": headers["host"], "x-date": x_date, "x-user-id": self.user_id},
            request.content,
        )
        sig = signing.signature(self._secret, signing.string_to_sign(canonical))
        headers["Authorization"] = signing.authorization(self.app_id, signing.SIGNED_HEADERS, sig)

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
