"""When to retry and how long to wait: capped exponential backoff with jitter, Retry-After
honoured, and one cap on the time a whole call may take."""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import time
from dataclasses import dataclass

import httpx

from koodrive_space.errors import ConfigurationError

# A server Date further from our clock than this is not believed, for Retry-After dates or for
# clock correction (a broken or hostile Date would otherwise move every later signature).
MAX_CLOCK_OFFSET = dt.timedelta(days=1)

# Connection refused or reset, timeouts, a reply cut short. Not LocalProtocolError or
# UnsupportedProtocol: those are this side's mistakes and would fail again.
RETRYABLE_ERRORS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)
MAX_RETRIES = 10
_DELTA_SECONDS = re.compile(
    r"[0-9]{1,9}(\.[0-9]{1,6})?"
)  # RFC 9110 has whole seconds; some send more


def is_retryable_status(status_code: int) -> bool:
    return status_code == 429 or 500 <= status_code <= 599


# The longest time setting taken. Sockets cannot wait much past 10**9 s (time_t), and nothing
# these five small calls do needs a limit of more than a day.
MAX_SECONDS = 86_400


def seconds(name: str, value: object, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigurationError(f"{name} must be a finite number of seconds (got {value!r})")
    if value < 0 or (positive and value == 0):
        least = "more than 0" if positive else "0 or more"
        raise ConfigurationError(f"{name} must be {least} seconds (got {value!r})")
    if value > MAX_SECONDS:
        raise ConfigurationError(
            f"{name} must be at most {MAX_SECONDS} seconds, a day (got {value!r})"
        )
    return float(value)


@dataclass(frozen=True)
class RetryPolicy:
    """``max_retries`` further attempts after the first (at most ``MAX_RETRIES``).

    The n-th retry waits ``min(max_delay, base_delay * 2**n)`` less up to 25 % jitter, or what
    the reply's ``Retry-After`` asks. No call takes longer than ``total_timeout`` seconds,
    attempts and waits together: a retry whose wait would end later is not made.
    """

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    total_timeout: float = 120.0

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise ConfigurationError(f"max_retries must be an integer (got {self.max_retries!r})")
        if not 0 <= self.max_retries <= MAX_RETRIES:
            raise ConfigurationError(
                f"max_retries must be 0 to {MAX_RETRIES} (got {self.max_retries})"
            )
        seconds("base_delay", self.base_delay)
        seconds("max_delay", self.max_delay)
        seconds("total_timeout", self.total_timeout, positive=True)

    def wait_before_retry(self, attempts: int, outcome: object, give_up_at: float) -> float | None:
        """Seconds to wait before another attempt after ``attempts`` ended in ``outcome`` (a
        response or an exception), or None when there is to be none."""
        response = outcome if isinstance(outcome, httpx.Response) else None
        if response is not None:
            retryable = is_retryable_status(response.status_code)
        else:
            retryable = isinstance(outcome, RETRYABLE_ERRORS)
        if not retryable or attempts > self.max_retries:
            return None
        wait = self.delay(attempts - 1, response)
        return wait if time.monotonic() + wait < give_up_at else None

    def delay(self, retry: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (0 for the first retry)."""
        if response is not None:
            # A date is read against the server's own Date, not our clock (which may be off),
            # unless that Date is too far from ours to be believed.
            server_now = http_date(response.headers.get("Date"))
            if server_now is not None and abs(server_now.timestamp() - time.time()) > (
                MAX_CLOCK_OFFSET.total_seconds()
            ):
                server_now = None
            given = set(response.headers.get_list("Retry-After"))  # the same one twice: one
            asked = retry_after(given.pop(), server_now) if len(given) == 1 else None
            if asked is not None:
                return asked
        backoff = min(self.max_delay, self.base_delay * 2.0**retry)
        return backoff * (1 - 0.25 * random.random())  # noqa: S311 - jitter, not security


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or HTTP-date), else None."""
    if value is None:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    when = http_date(value)
    if when is None:
        return None
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def http_date(value: str | None) -> dt.datetime | None:
    """An HTTP-date (any of RFC 9110's three forms; one without a zone is UTC), or None."""
    if not value:
        return None
    import email.utils  # here: only an HTTP-date pays its import

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
