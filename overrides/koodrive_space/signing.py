"""KooDrive's HMAC-SHA256 app-authentication signature, as pure functions.

The rule (KooDrive "App-based Authentication Generation Rule"):

1. Canonical request: six parts joined by ``\\n``: upper-case method; canonical URI; canonical
   query; canonical headers (``name:trimmed-value\\n`` per signed header, so an empty line
   follows them); signed header names joined by ``;``; lower-case hex SHA-256 of the body.
2. String to sign: ``HMAC-SHA256\\n`` + lower-case hex SHA-256 of the canonical request.
3. Signature: lower-case hex HMAC-SHA256 of the string to sign, keyed with the AppSecret.
4. ``Authorization: HMAC-SHA256 AppId=<id>,SignedHeaders=<a;b;c>,Signature=<hex>``.

Everything works on the bytes that go on the wire (``httpx.URL.raw_path``), so what is signed is
exactly what is sent. ``AppAuth`` (auth.py) signs every request with these functions.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from collections.abc import Iterable
from urllib.parse import unquote_to_bytes

ALGORITHM = "HMAC-SHA256"
SIGNED_HEADERS = ("host", "x-date", "x-user-id")
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
_PERCENT = [b"%%%02X" % byte for byte in range(256)]
_needs_encoding = re.compile(rb"[^A-Za-z0-9\-_.~]").search
_plain_path = re.compile(rb"(/[A-Za-z0-9\-_~][A-Za-z0-9\-_.~]*)*/?").fullmatch
_unsafe_sub = re.compile(rb"[^A-Za-z0-9\-_.~]").sub
_query_sub = re.compile(rb"%([0-9A-Fa-f]{2})|[^A-Za-z0-9\-_.~]").sub


def split_query(raw_query: bytes) -> list[tuple[bytes, bytes]]:
    """``name=value`` pairs of a raw query, in order, still encoded; empty parts dropped."""
    pairs = []
    for part in raw_query.split(b"&"):
        if part:
            name, _, value = part.partition(b"=")
            pairs.append((name, value))
    return pairs


@functools.lru_cache(maxsize=1024)
def form_decode(token: bytes, errors: str = "replace") -> str:
    """A query name or value as a form-decoding server reads it: ``+`` is a space."""
    if token.isalnum() or not _needs_encoding(token):  # nothing to decode: the common case
        return token.decode("ascii")
    return unquote_to_bytes(token.replace(b"+", b" ")).decode("utf-8", errors)


def _encode(raw: bytes) -> str:
    """RFC 3986: every byte but the unreserved ones as ``%XY``, upper-case hex."""
    return _unsafe_sub(lambda found: _PERCENT[found[0][0]], raw).decode("ascii")


def _query_escape(found: re.Match[bytes]) -> bytes:
    """One escape or unsafe byte of a raw query, canonical: ``%2b`` -> ``%2B``, ``%41`` -> ``A``,
    ``+`` -> ``%20`` (form decoding), `` `` -> ``%20``, a lone ``%`` -> ``%25``."""
    if found[1] is not None:
        byte = int(found[1], 16)
        return bytes((byte,)) if byte in _UNRESERVED else _PERCENT[byte]
    byte = found[0][0]
    return b"%20" if byte == 0x2B else _PERCENT[byte]


@functools.lru_cache(maxsize=1024)
def _query_token(raw: bytes) -> str:
    """Decode-then-encode of one query name or value, in one pass. Cached: names never change
    and values mostly repeat (a paging loop changes only offset)."""
    if raw.isalnum() or not _needs_encoding(raw):  # isalnum: the common case, in C
        return raw.decode("ascii")
    return _query_sub(_query_escape, raw).decode("ascii")


@functools.lru_cache(maxsize=512)
def canonical_uri(raw_path: bytes) -> str:
    """Each segment decoded once and encoded, ``.``/``..`` and empty segments resolved, a ``/``
    at the end. Cached: a client calls the same few paths over and over."""
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
    """Every pair decoded (a raw ``+`` is a space) and encoded, sorted by name then value in
    byte order, joined by ``&``; a literal plus travels as ``%2B`` (httpx sends it that way)."""
    if not raw_query:
        return ""
    pairs = sorted((_query_token(n), _query_token(v)) for n, v in split_query(raw_query))
    return "&".join([f"{name}={value}" for name, value in pairs])


def canonical_request(
    method: str, raw_target: bytes, headers: Iterable[tuple[str, str]], body: bytes
) -> str:
    """The canonical request for ``raw_target`` (path and query, as ``httpx.URL.raw_path``).

    ``headers`` are the signed headers as (lower-case name, value) pairs, sorted by name.
    """
    raw_path, _, raw_query = raw_target.partition(b"?")
    signed = list(headers)
    return "\n".join(
        (
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(raw_query),
            "".join([f"{name}:{value.strip()}\n" for name, value in signed]),
            ";".join([name for name, _ in signed]),
            hashlib.sha256(body).hexdigest() if body else EMPTY_BODY_SHA256,
        )
    )


def string_to_sign(canonical: str) -> str:
    return f"{ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def signature(app_secret: bytes, to_sign: str) -> str:
    return hmac.digest(app_secret, to_sign.encode(), "sha256").hex()


def authorization(app_id: str, signed: Iterable[str], sig: str) -> str:
    return f"{ALGORITHM} AppId={app_id},SignedHeaders={';'.join(signed)},Signature={sig}"
