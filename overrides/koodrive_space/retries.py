"""When to retry and how long to wait: exponential backoff with jitter, Retry-After honoured."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from dataclasses import dataclass

import httpx

# Connection refused or reset, timeouts, a reply cut short. Not LocalProtocolError or
# UnsupportedProtocol: those are this side's mistakes and would fail again.
RETRYABLE_ERRORS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


def is_retryable_status(status_code: int) -> bool:
    return status_code == 429 or status_code >= 500


@dataclass(frozen=True)
class RetryPolicy:
    """``max_retries`` further attempts after the first, spaced by capped exponential backoff.

    The n-th retry waits ``min(max_delay, base_delay * 2**n)`` less up to 25 % jitter, or the
    reply's ``Retry-After`` when it asks for at most ``max_retry_after`` seconds (a longer ask
    is not honoured blindly: the computed backoff applies).
    """

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def __post_init__(self) -> None:
        from koodrive_space.errors import ConfigurationError

        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise ConfigurationError("max_retries must be an integer")
        if self.max_retries < 0:
            raise ConfigurationError(f"max_retries must be 0 or more (got {self.max_retries})")
        for name in ("base_delay", "max_delay", "max_retry_after"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value < 0:
                raise ConfigurationError(f"{name} must be a number of seconds >= 0 (got {value!r})")

    def delay(self, retry: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (0 for the first retry)."""
        if response is not None:
            asked = retry_after(response.headers.get("Retry-After"))
            if asked is not None and asked <= self.max_retry_after:
                return asked
        backoff = min(self.max_delay, self.base_delay * 2.0**retry)
        return backoff * (1 - 0.25 * random.random())  # noqa: S311 - jitter, not security


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or HTTP-date), else None."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            return None
        seconds = (when - (now or dt.datetime.now(dt.UTC))).total_seconds()
    if seconds != seconds or seconds < 0:  # NaN or in the past
        return 0.0 if seconds < 0 else None
    return seconds
