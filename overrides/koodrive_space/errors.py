"""One hierarchy for every failure a call can meet; ``KooDriveError`` is its root.

::

    KooDriveError
    ├── ConfigurationError            bad or missing settings (create_client, AppAuth, ...)
    ├── RequestValidationError        a request breaks the spec's bounds; nothing was sent
    ├── APIConnectionError            refused, reset or dropped connection (after retries)
    │   └── APITimeoutError
    ├── UnreadableResponseError       not KooDrive's JSON envelope (HTML, truncated, wrong shape)
    └── APIError                      KooDrive said no: HTTP status >= 400, or code != 0
        ├── BadRequestError           400
        │   ├── InvalidParameterError     13000102
        │   ├── SpaceNotFoundError        13000301
        │   ├── PermissionDeniedError     13000410 (and HTTP 403)
        │   ├── SpaceNotActiveError       13000412
        │   └── InsufficientSpaceError    13000311
        ├── AuthenticationError       401
        ├── RateLimitError            429
        └── ServerError               5xx

``APIError`` subclasses are chosen by KooDrive's documented ``code`` first (it is what the
service means; KooDrive reports most failures as HTTP 400, even authentication failures, and
sometimes in a 200), then by HTTP status. An undocumented code is kept in ``code``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

# int() refuses strings of 4,300 digits and more: longer ones are no whole number here.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,4000}")


def whole_number(value: object) -> int | None:
    """``value`` as an int when it is one or a string of ASCII digits (``"800"``, ``"-1"``),
    else None: ``True``, ``"--1"``, ``"①"``, ``" 8"``, ``"8\n"`` are not whole numbers.

    The one reader of whole numbers: reply fields, error codes, query values (client and
    emulator) and the emulator's faults all go through it."""
    if type(value) is int:
        return value
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        return int(value)
    return None


def _restore(cls: type[KooDriveError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class KooDriveError(Exception):
    """Base of every failure raised by ``koodrive_space`` and clients it creates.

    Errors pickle with their class and every attribute, so they cross process boundaries
    (``ProcessPoolExecutor``, task queues); the cause and traceback stay behind.
    """

    def __init__(
        self, message: str, *, operation: str | None = None, trace_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.trace_id = trace_id

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses' keyword-only constructors cannot be called with args alone.
        return (_restore, (type(self), self.args, dict(self.__dict__)))

    def __str__(self) -> str:
        where = f" [{self.operation}]" if self.operation else ""
        trace = f" (X-Traceid {self.trace_id})" if self.trace_id else ""
        return f"{self.message}{where}{trace}"


class ConfigurationError(KooDriveError, ValueError):
    """A setting is missing or unusable; the message names it."""


class RequestValidationError(KooDriveError, ValueError):
    """The request breaks a bound of the spec; it was not sent. ``parameter`` names it."""

    def __init__(self, message: str, *, parameter: str, operation: str | None = None) -> None:
        super().__init__(message, operation=operation)
        self.parameter = parameter


class APIConnectionError(KooDriveError):
    """The service could not be reached, or the connection broke, after every retry."""


class APITimeoutError(APIConnectionError):
    """The service did not answer in time, after every retry."""


class UnreadableResponseError(KooDriveError):
    """The reply is not KooDrive's JSON envelope in the shape the spec gives it."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        operation: str | None = None,
        trace_id: str | None = None,
    ) -> None:
        super().__init__(message, operation=operation, trace_id=trace_id)
        self.status_code = status_code


class APIError(KooDriveError):
    """KooDrive refused the call: HTTP status >= 400, or a reply whose ``code`` is not 0."""

    def __init__(
        self,
        *,
        code: int | str | None,
        msg: str | None,
        status_code: int,
        operation: str | None = None,
        trace_id: str | None = None,
    ) -> None:
        detail = msg or "no message"
        super().__init__(
            f"HTTP {status_code}, code {code}: {detail}", operation=operation, trace_id=trace_id
        )
        self.code = code
        self.msg = msg
        self.status_code = status_code


class BadRequestError(APIError):
    """HTTP 400 without a more specific code."""


# The documented codes each class stands for are in the spec (DocumentedErrorCode).
class InvalidParameterError(BadRequestError):
    """A parameter failed KooDrive's verification (13000102)."""


class SpaceNotFoundError(BadRequestError):
    """The space does not exist or its status is abnormal (13000301)."""


class PermissionDeniedError(BadRequestError):
    """The user has no permission on the space (13000410), or HTTP 403."""


class SpaceNotActiveError(BadRequestError):
    """The space is not active (13000412)."""


class InsufficientSpaceError(BadRequestError):
    """Insufficient space (13000311)."""


class AuthenticationError(APIError):
    """HTTP 401: a bad token, signature or X-Date."""


class RateLimitError(APIError):
    """HTTP 429: too many requests (retried first, honouring Retry-After)."""


class ServerError(APIError):
    """HTTP 5xx: the service failed (retried first)."""


@functools.cache
def _by_code() -> dict[int, type[APIError]]:
    """KooDrive's documented codes and their classes, from the spec's ``DocumentedErrorCode``
    (``x-enum-varnames``: ``SPACE_NOT_FOUND`` is ``SpaceNotFoundError``)."""
    from koodrive_space import spec

    schema = spec.document()["components"]["schemas"]["DocumentedErrorCode"]
    classes = {cls.__name__: cls for cls in _subclasses(APIError)}
    return {
        code: classes["".join(word.title() for word in name.split("_")) + "Error"]
        for code, name in zip(schema["enum"], schema["x-enum-varnames"], strict=True)
    }


def _subclasses(cls: type[APIError]) -> list[type[APIError]]:
    return [found for sub in cls.__subclasses__() for found in (sub, *_subclasses(sub))]


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    429: RateLimitError,
}


def api_error_class(status_code: int, code: int | str | None) -> type[APIError]:
    """The ``APIError`` subclass for a refused call.

    KooDrive's documented numeric codes decide first. Gateway codes (``APIGW.…``) are not
    documented one by one, so for them the HTTP status decides.
    """
    numeric = whole_number(code)
    if numeric is not None and numeric in _by_code():
        return _by_code()[numeric]
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, APIError)
