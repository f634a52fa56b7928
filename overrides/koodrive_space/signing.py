"""KooDrive's HMAC-SHA256 app-authentication signature, as pure functions.

The rule (KooDrive "App-based Authentication Generation Rule"):

1. Canonical request: six parts joined by ``\\n``: upper-case method; canonical URI; canonical
   query; canonical headers (``name:trimmed-value\\n`` per signed header); signed header names
   joined by ``;``; lower-case hex SHA-256 of the body.
2. String to sign: ``HMAC-SHA256\\n`` + lower-case hex SHA-256 of the canonical request.
3. Signature: lower-case hex HMAC-SHA256 of the string to sign, keyed with the AppSecret.

Everything works on the bytes that go on the wire (``httpx.URL.raw_path``), so what is signed is
exactly what is sent.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import quote, unquote_to_bytes

ALGORITHM = "HMAC-SHA256"
SIGNED_HEADERS = ("host", "x-date", "x-user-id")
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()
# RFC 3986 unreserved characters; quote() never encodes ASCII letters and digits.
_UNRESERVED = "-_.~"


def _encode(raw: bytes) -> str:
    return quote(raw, safe=_UNRESERVED)


def canonical_uri(raw_path: bytes) -> str:
    """Percent-encode each segment, drop ``.``/``..`` and empty segments, end with ``/``."""
    segments: list[str] = []
    for segment in raw_path.split(b"/"):
        decoded = unquote_to_bytes(segment)
        if decoded in (b"", b"."):
            continue
        if decoded == b"..":
            if segments:
                segments.pop()
            continue
        segments.append(_encode(decoded))
    return "/" + "".join(segment + "/" for segment in segments)


def canonical_query(raw_query: bytes) -> str:
    """Encode every ``name=value`` pair, sort by name then value, join with ``&``.

    A ``+`` in the raw query is read as a space, as a form-decoding server reads it; a literal
    plus must travel as ``%2B`` (httpx sends it that way).
    """
    pairs: list[tuple[str, str]] = []
    for part in raw_query.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        pairs.append(
            (
                _encode(unquote_to_bytes(name.replace(b"+", b" "))),
                _encode(unquote_to_bytes(value.replace(b"+", b" "))),
            )
        )
    pairs.sort()
    return "&".join(f"{name}={value}" for name, value in pairs)


def canonical_headers(headers: Mapping[str, str], signed: Iterable[str]) -> str:
    return "".join(f"{name}:{headers[name].strip()}\n" for name in signed)


def canonical_request(
    method: str,
    raw_target: bytes,
    headers: Mapping[str, str],
    body: bytes,
    signed: tuple[str, ...] = SIGNED_HEADERS,
) -> str:
    """The canonical request for ``raw_target`` (path and query, as ``httpx.URL.raw_path``).

    ``headers`` maps lower-case names to values; ``signed`` must be sorted and lower-case.
    """
    raw_path, _, raw_query = raw_target.partition(b"?")
    payload_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_BODY_SHA256
    return "\n".join(
        (
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(raw_query),
            canonical_headers(headers, signed),
            ";".join(signed),
            payload_hash,
        )
    )


def string_to_sign(canonical: str) -> str:
    return f"{ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def signature(app_secret: bytes, to_sign: str) -> str:
    return hmac.new(app_secret, to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(app_id: str, signed: tuple[str, ...], sig: str) -> str:
    return f"{ALGORITHM} AppId={app_id},SignedHeaders={';'.join(signed)},Signature={sig}"
