"""Faults the emulator can inject, per request or queued for the next requests.

Per request, send the header ``X-Emulator-Fault`` (a client can add it to every call with
``client.with_headers({"X-Emulator-Fault": "status=503"})``); by configuration, append to
``Emulator.faults`` (in process) or ``POST /_emulator/faults`` with
``{"faults": ["status=503", "status=503"]}`` (each queued fault serves one request, in order; a
request's header fault is merged over the queued one).

A fault is a comma-separated list of settings:

=====================  ====================================================================
``delay=<seconds>``    wait before answering (the reply is otherwise normal)
``latency=<time>``     the network's round trip for this request, e.g. ``50ms`` or ``0.05s``
                       (replaces the start-up ``--latency``; ``delay`` adds to it)
``drop``               close the connection without any reply (needs a socket server)
``status=<code>``      answer with this HTTP status and KooDrive's envelope (429, 500, 503, ...)
``code=<code>``        the envelope's code; alone, HTTP 200 with this non-zero business code
``retry-after=<v>``    the ``Retry-After`` header (429 sends ``1`` unless told otherwise)
``body=<kind>``        a malformed body: ``html`` (an HTML error page, HTTP 502 unless
                       ``status`` says otherwise), ``truncated`` (JSON cut in half), ``list``
                       (a JSON list where an object belongs), ``empty`` (no body at all)
``skew=<seconds>``     the emulator's clock is off by this much (signature window and ``Date``)
``shape=<form>``       ``table`` or ``example``: the reply form (openapi/DISCREPANCIES.md)
=====================  ====================================================================
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from koodrive_space.errors import whole_number

HEADER = "X-Emulator-Fault"
BODY_KINDS = ("html", "truncated", "list", "empty")
SHAPES = ("table", "example")


class FaultSyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Fault:
    delay: float = 0.0
    latency: float | None = None  # None: the emulator's own (``Emulator.latency``)
    drop: bool = False
    status: int | None = None
    code: int | str | None = None
    retry_after: str | None = None
    body: str | None = None
    skew: float = 0.0
    shape: str | None = None

    @classmethod
    def parse(cls, text: str) -> Fault:
        settings: dict[str, object] = {}
        for item in text.split(","):
            item = item.strip()
            if not item:
                continue
            name, has_value, value = (part.strip() for part in item.partition("="))
            settings.update(_setting(name.lower(), value, bool(has_value)))
        return cls(**settings)  # type: ignore[arg-type]

    def merged(self, over: Fault) -> Fault:
        """This fault with every setting ``over`` makes replacing it."""
        default = Fault()
        changes = {
            field.name: getattr(over, field.name)
            for field in dataclasses.fields(self)
            if getattr(over, field.name) != getattr(default, field.name)
        }
        return dataclasses.replace(self, **changes)


def _number(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise FaultSyntaxError(f"{name} needs a number of seconds (got {value!r})") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise FaultSyntaxError(f"{name} needs a finite number (got {value!r})")
    return number


def duration(text: str) -> float:
    """Seconds from ``50ms``, ``0.05s`` or ``0.05``: 0 to 120 (a latency)."""
    value = text.strip().lower()
    scale = 0.001 if value.endswith("ms") else 1.0
    number = _number("latency", value.removesuffix("ms").removesuffix("s"))
    seconds = number * scale
    if not 0 <= seconds <= 120:
        raise FaultSyntaxError(f"latency must be 0 to 120 seconds (got {text!r})")
    return seconds


KNOWN = ("delay", "latency", "drop", "status", "code", "retry-after", "body", "skew", "shape")


def _setting(name: str, value: str, has_value: bool) -> dict[str, object]:
    if name not in KNOWN:
        raise FaultSyntaxError(f"unknown fault {name!r}")
    if name == "drop" and not has_value:
        return {"drop": True}
    if not has_value:
        raise FaultSyntaxError(f"fault {name!r} needs a value ({name}=...)")
    if name == "delay":
        seconds = _number(name, value)
        if not 0 <= seconds <= 120:
            raise FaultSyntaxError(f"delay must be 0 to 120 seconds (got {value})")
        return {"delay": seconds}
    if name == "latency":
        return {"latency": duration(value)}
    if name == "status":
        status = whole_number(value)
        if status is None or not 200 <= status <= 599:
            raise FaultSyntaxError(f"status must be an HTTP status 200-599 (got {value!r})")
        return {"status": status}
    if name == "code":
        number = whole_number(value)
        if number is not None and not -(2**63) <= number < 2**63:
            raise FaultSyntaxError(f"code must be text or an int64, as the spec's (got {value})")
        return {"code": value if number is None else number}
    if name == "retry-after":
        return {"retry_after": value}
    if name == "body":
        if value not in BODY_KINDS:
            raise FaultSyntaxError(f"body must be one of {', '.join(BODY_KINDS)} (got {value!r})")
        return {"body": value}
    if name == "skew":
        return {"skew": _number(name, value)}
    if name == "shape":
        if value not in SHAPES:
            raise FaultSyntaxError(f"shape must be one of {', '.join(SHAPES)} (got {value!r})")
        return {"shape": value}
    raise FaultSyntaxError(f"drop takes no value (got {value!r})")
