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

import functools
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from urllib.parse import unquote_to_bytes

ALGORITHM = "HMAC-SHA256"
SIGNED_HEADERS = ("host", "x-date", "x-user-id")
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()


# A token of unreserved characters only is already canonical. Most path segments and query
# parameters are; skipping the percent-decoding round trip for them is most of signing's speed.
_needs_encoding = re.compile(rb"[^A-Za-z0-9\-_.~]").search
_plain_path = re.compile(rb"(/[A-Za-z0-9\-_~][A-Za-z0-9\-_.~]*)*/?").fullmatch


_unreserved_sub = re.compile(rb"[^A-Za-z0-9\-_.~]").sub


def _percent(found: re.Match[bytes]) -> bytes:
    return b"%%%02X" % found[0][0]


def _encode(raw: bytes) -> str:
    """RFC 3986: every byte but the unreserved ones as ``%XY``, upper-case hex.

    (urllib.parse.quote does the same, three times slower: this is on every call's path.)
    """
    return _unreserved_sub(_percent, raw).decode("ascii")


_UNRESERVED_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
_PERCENT = [b"%%%02X" % byte for byte in range(256)]
_query_sub = re.compile(rb"%([0-9A-Fa-f]{2})|[^A-Za-z0-9\-_.~]").sub


def _query_escape(found: re.Match[bytes]) -> bytes:
    """One escape or unsafe byte of a raw query, canonical: ``%2b`` -> ``%2B``, ``%41`` -> ``A``,
    ``+`` -> ``%20`` (form decoding), `` `` -> ``%20``, a lone ``%`` -> ``%25``."""
    hex_digits = found[1]
    if hex_digits is not None:
        byte = int(hex_digits, 16)
        return bytes((byte,)) if byte in _UNRESERVED_BYTES else _PERCENT[byte]
    byte = found[0][0]
    return b"%20" if byte == 0x2B else _PERCENT[byte]


@functools.lru_cache(maxsize=1024)
def _query_token(raw: bytes) -> str:
    """Decode-then-encode of one query name or value, in one pass.

    Cached: names never change and values mostly repeat (a paging loop changes only offset).
    """
    if raw.isalnum() or not _needs_encoding(raw):  # isalnum: the common case, in C
        return raw.decode("ascii")
    return _query_sub(_query_escape, raw).decode("ascii")


@functools.lru_cache(maxsize=512)
def canonical_uri(raw_path: bytes) -> str:
    """Percent-encode each segment, drop ``.``/``..`` and empty segments, end with ``/``.

    Cached: a client calls the same few paths over and over.
    """
    if _plain_path(raw_path):  # nothing to encode, no dot or empty segments
        return raw_path.decode("ascii") if raw_path.endswith(b"/") else raw_path.decode() + "/"
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
    if not raw_query:
        return ""
    pairs: list[tuple[str, str]] = []
    for part in raw_query.split(b"&"):
        if part:
            name, _, value = part.partition(b"=")
            pairs.append((_query_token(name), _query_token(value)))
    pairs.sort()
    return "&".join([f"{name}={value}" for name, value in pairs])


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


_SIGNED_TAIL = "\n" + ";".join(SIGNED_HEADERS) + "\n"


def app_canonical_request(
    method: str, raw_target: bytes, host: str, x_date: str, user_id: str, body: bytes
) -> str:
    """``canonical_request`` for the three headers ``AppAuth`` signs, without the generality:
    the hot path of every call. The signing vectors check both against the same expectations."""
    raw_path, _, raw_query = raw_target.partition(b"?")
    payload_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_BODY_SHA256
    return (
        f"{method.upper()}\n{canonical_uri(raw_path)}\n{canonical_query(raw_query)}\n"
        f"host:{host.strip()}\nx-date:{x_date}\nx-user-id:{user_id}\n"
        f"{_SIGNED_TAIL}{payload_hash}"
    )


def string_to_sign(canonical: str) -> str:
    return f"{ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def signature(app_secret: bytes, to_sign: str) -> str:
    return hmac.digest(app_secret, to_sign.encode(), "sha256").hex()


def authorization(app_id: str, signed: tuple[str, ...], sig: str) -> str:
    return f"{ALGORITHM} AppId={app_id},SignedHeaders={';'.join(signed)},Signature={sig}"
