"""The emulator's side of KooDrive authentication: checks a request exactly as it was received.

This is a second, independent implementation of the signing rule in
``/work/shared/koodrive-reference.md`` ("App-based Authentication Generation Rule"). It does not
import ``koodrive_space``: the client signs with its code, the emulator verifies with this one,
and a disagreement between the two shows up as a refused request.

Everything works on what arrived: the raw path bytes (ASGI ``raw_path``), the raw query string,
the body bytes and the header list.

1. Canonical request, six lines joined by ``\\n``: the upper-case method; the canonical URI (each
   path segment percent-decoded, then re-encoded per RFC 3986 with upper-case hex, ``.`` and
   empty segments dropped, ``..`` removing the segment before it, and a ``/`` at the end); the
   canonical query (every pair form-decoded, so a raw ``+`` is a space, then encoded again and
   sorted by encoded name, then encoded value); one ``name:trimmed value\\n`` per signed header;
   the signed header names joined by ``;``; the lower-case hex SHA-256 of the body.
2. String to sign: ``HMAC-SHA256\\n`` + lower-case hex SHA-256 of the canonical request.
3. Signature: lower-case hex HMAC-SHA256 of the string to sign keyed with the AppSecret,
   compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from hmac import compare_digest

ALGORITHM = "HMAC-SHA256"
REQUIRED_SIGNED_HEADERS = frozenset({"host", "x-date", "x-user-id"})
SIGNATURE_LIFETIME = dt.timedelta(minutes=15)
# A request signed a little after the emulator's "now" (clocks a few seconds apart) passes.
FUTURE_TOLERANCE = dt.timedelta(seconds=5)
X_DATE_PATTERN = re.compile(r"^\d{8}T\d{6}Z$")
_AUTHORIZATION = re.compile(
    r"^HMAC-SHA256 AppId=(?P<app_id>[^,\s]+),SignedHeaders=(?P<signed>[a-z0-9;-]+),"
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
_HEX = frozenset(b"0123456789abcdefABCDEF")


class AuthenticationFailed(Exception):
    """The request does not authenticate; the message says why (it is sent back)."""


def percent_decode(raw: bytes) -> bytes:
    """Decode ``%XY`` escapes; a ``%`` not followed by two hex digits stays as it is."""
    out = bytearray()
    index = 0
    while index < len(raw):
        byte = raw[index]
        if byte == 0x25 and _is_escape(raw[index + 1 : index + 3]):
            out.append(int(raw[index + 1 : index + 3], 16))
            index += 3
        else:
            out.append(byte)
            index += 1
    return bytes(out)


def _is_escape(two: bytes) -> bool:
    return len(two) == 2 and all(b in _HEX for b in two)


def rfc3986_encode(raw: bytes) -> str:
    """Every byte outside ``A-Z a-z 0-9 - _ . ~`` as ``%XY`` with upper-case hex."""
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in raw)


def canonical_uri(raw_path: bytes) -> str:
    kept: list[bytes] = []
    for segment in raw_path.split(b"/"):
        decoded = percent_decode(segment)
        if decoded in (b"", b"."):
            continue
        if decoded == b"..":
            if kept:
                kept.pop()
            continue
        kept.append(decoded)
    return "/" + "".join(rfc3986_encode(segment) + "/" for segment in kept)


def canonical_query(raw_query: bytes) -> str:
    pairs = []
    for item in raw_query.split(b"&"):
        if not item:
            continue
        name, _, value = item.partition(b"=")
        pairs.append(
            (
                rfc3986_encode(percent_decode(name.replace(b"+", b" "))),
                rfc3986_encode(percent_decode(value.replace(b"+", b" "))),
            )
        )
    return "&".join(f"{name}={value}" for name, value in sorted(pairs))


def canonical_request(
    *,
    method: str,
    raw_path: bytes,
    raw_query: bytes,
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    body: bytes,
) -> str:
    """``headers`` maps lower-case names to values as received."""
    return "\n".join(
        [
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(raw_query),
            "".join(f"{name}:{headers[name].strip()}\n" for name in signed_headers),
            ";".join(signed_headers),
            hashlib.sha256(body).hexdigest(),
        ]
    )


def string_to_sign(canonical: str) -> str:
    return ALGORITHM + "\n" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def expected_signature(app_secret: str, canonical: str) -> str:
    return hmac.new(
        app_secret.encode("utf-8"), string_to_sign(canonical).encode("utf-8"), hashlib.sha256
    ).hexdigest()


@dataclass(frozen=True)
class ParsedAuthorization:
    app_id: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> ParsedAuthorization:
    found = _AUTHORIZATION.match(value)
    if found is None:
        raise AuthenticationFailed(
            "malformed Authorization header: expected "
            "'HMAC-SHA256 AppId=<id>,SignedHeaders=<a;b;c>,Signature=<64 hex digits>'"
        )
    signed = tuple(found["signed"].split(";"))
    if any(not name for name in signed) or list(signed) != sorted(set(signed)):
        raise AuthenticationFailed(
            "malformed Authorization header: SignedHeaders must be lower-case names, "
            "sorted, each once"
        )
    missing = REQUIRED_SIGNED_HEADERS - set(signed)
    if missing:
        raise AuthenticationFailed(
            f"SignedHeaders must include {', '.join(sorted(missing))} (got {found['signed']})"
        )
    return ParsedAuthorization(found["app_id"], signed, found["signature"])


def parse_x_date(value: str) -> dt.datetime:
    if not X_DATE_PATTERN.match(value):
        raise AuthenticationFailed(f"X-Date {value!r} is not written yyyyMMddTHHmmssZ (UTC)")
    try:
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    except ValueError as problem:
        raise AuthenticationFailed(f"X-Date {value!r} is not a valid time") from problem


def check_freshness(signed_at: dt.datetime, now: dt.datetime) -> None:
    if signed_at < now - SIGNATURE_LIFETIME:
        raise AuthenticationFailed(
            f"X-Date {signed_at:%Y%m%dT%H%M%SZ} is more than 15 minutes old "
            f"(server time {now:%Y%m%dT%H%M%SZ})"
        )
    if signed_at > now + FUTURE_TOLERANCE:
        raise AuthenticationFailed(
            f"X-Date {signed_at:%Y%m%dT%H%M%SZ} is in the future (server time {now:%Y%m%dT%H%M%SZ})"
        )


def verify_app_signature(
    *,
    method: str,
    raw_path: bytes,
    raw_query: bytes,
    headers: Mapping[str, str],
    body: bytes,
    app_secrets: Mapping[str, str],
    now: dt.datetime,
) -> ParsedAuthorization:
    """Return the parsed ``Authorization`` when the request authenticates, else raise.

    ``headers`` maps lower-case names to values (each header once); ``app_secrets`` maps the
    known AppIds to their AppSecrets.
    """
    for name in ("authorization", "x-date", "x-user-id"):
        if not headers.get(name, "").strip():
            raise AuthenticationFailed(f"the {name} header is missing")
    parsed = parse_authorization(headers["authorization"])
    secret = app_secrets.get(parsed.app_id)
    if secret is None:
        raise AuthenticationFailed(f"unknown AppId {parsed.app_id!r}")
    absent = [name for name in parsed.signed_headers if name not in headers]
    if absent:
        raise AuthenticationFailed(f"signed header(s) {', '.join(absent)} are not in the request")
    check_freshness(parse_x_date(headers["x-date"].strip()), now)
    canonical = canonical_request(
        method=method,
        raw_path=raw_path,
        raw_query=raw_query,
        headers=headers,
        signed_headers=parsed.signed_headers,
        body=body,
    )
    if not compare_digest(expected_signature(secret, canonical), parsed.signature):
        raise AuthenticationFailed("the signature does not match the request")
    return parsed


def verify_token(authorization: str, token: str) -> None:
    """Accept ``Bearer <token>``, ``Bearer+<token>`` or the bare token, as KooDrive's pages
    write it; compare in constant time."""
    value = authorization.strip()
    for prefix in ("Bearer ", "Bearer+"):
        if value.startswith(prefix):
            value = value[len(prefix) :].strip()
            break
    if not value:
        raise AuthenticationFailed("the Authorization header carries no token")
    if not compare_digest(value.encode("utf-8"), token.encode("utf-8")):
        raise AuthenticationFailed("the access token is not valid")
