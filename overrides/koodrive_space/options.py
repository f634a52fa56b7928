"""Checks of what ``create_client`` and ``KooDriveClient.with_*`` are given: the base URL, proxies
(an argument or the environment), CA bundles, header and cookie names. Messages never repeat a
value that may hold a secret (a password in a URL)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import ipaddress
import os
import re
import ssl
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import httpx

from koodrive_space.errors import ConfigurationError
from koodrive_space.validation import is_unicode


def base_url(value: object) -> str:
    # Messages name the scheme and host at most: any other part may hold a secret.
    if not isinstance(value, str | httpx.URL):
        raise ConfigurationError(f"base_url must be a URL string, not {type(value).__name__}")
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, UnicodeError):  # UnicodeError: a lone surrogate
        raise ConfigurationError("base_url is not a URL") from None
    if url.userinfo:
        raise ConfigurationError(
            "base_url must not carry a user name or password; pass credentials as auth="
        )
    if url.scheme not in ("https", "http") or not url.host:
        raise ConfigurationError("base_url must be an https:// URL with a host")
    if url.port is not None and not 1 <= url.port <= 65535:
        raise ConfigurationError(f"base_url's port must be 1 to 65535 (got {url.port})")
    if url.scheme == "http" and not _is_loopback(url.host):
        raise ConfigurationError(
            f"base_url http://{url.host} is plain http: KooDrive is HTTPS only (http is "
            "accepted for loopback addresses, such as a local emulator)"
        )
    # Checked on the text: an empty query or fragment ("/gw?") parses as none, and the generated
    # code would put the operation's path after the "?".
    if "?" in str(value) or "#" in str(value):
        raise ConfigurationError("base_url must not have a query or fragment")
    return str(url).rstrip("/")


# RFC 9110's token (a header or cookie name) and RFC 6265's cookie-octets.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_COOKIE_VALUE = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")


def cookie_value(name: str, value: object) -> None:
    if not isinstance(value, str) or not _COOKIE_VALUE.fullmatch(value):
        raise ConfigurationError(
            f"cookie {name} must be text without spaces, quotes, commas, semicolons or "
            "backslashes (RFC 6265)"
        )


def named(what: str, given: object) -> list[tuple[str, object]]:
    """The items of ``given``, a mapping whose names are tokens, or a ConfigurationError."""
    if not isinstance(given, Mapping):
        raise ConfigurationError(f"{what} must be a mapping of names to values")
    for name in given:
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            shown = repr(name) if isinstance(name, str) and name.isprintable() else "a name"
            raise ConfigurationError(
                f"{what}: {shown} is not a valid name (letters, digits and !#$%&'*+.^_`|~-)"
            )
    return list(given.items())


def environment_proxies() -> None:
    """The proxy variables, read as httpx reads them (which takes a bad port unchecked)."""
    found = urllib.request.getproxies()
    if found.get("no", "").strip() == "*":  # httpx then uses no proxy at all
        return
    for scheme, chosen in found.items():
        if scheme in ("http", "https", "all") and chosen:
            chosen = chosen if "://" in chosen else f"http://{chosen}"
            proxy_url(chosen, f"the {scheme.upper()}_PROXY environment variable")


def proxy_url(value: object, name: str) -> httpx.Proxy:
    """``value`` as an ``httpx.Proxy``, whose repr hides a password (the client's shows it).
    Never shown whole: a proxy URL often holds a password."""
    if not isinstance(value, str | httpx.URL | httpx.Proxy):
        raise ConfigurationError(
            f"{name} must be a URL or an httpx.Proxy, not {type(value).__name__}"
        )
    try:
        url = value.url if isinstance(value, httpx.Proxy) else httpx.URL(value)
    except httpx.InvalidURL:  # its reason may quote part of a password
        raise ConfigurationError(
            f"{name} is not a URL (a password holding /, # or ? must be percent-encoded)"
        ) from None
    if not url.host or (url.port is not None and not 1 <= url.port <= 65535):
        raise ConfigurationError(f"{name} must be a URL with a host and a port from 1 to 65535")
    if isinstance(value, httpx.Proxy):
        return value
    try:
        return httpx.Proxy(url)
    except ValueError as problem:  # the scheme; httpx shows a password as [secure]
        raise ConfigurationError(f"{name} cannot be used: {problem}") from None


def _is_loopback(host: str) -> bool:
    with contextlib.suppress(ValueError):
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    return False


def verify(value: object) -> bool | ssl.SSLContext:
    """httpx's meanings of ``verify`` (True: ``SSL_CERT_FILE``, else ``SSL_CERT_DIR``, else
    certifi's bundle). A CA file's certificates are loaded once per content and shared by every
    client: loading costs 30 to 50 ms, which httpx pays again for each sync and async client,
    and a file changed on disk is loaded again. A folder is looked up lazily (under 1 ms) and
    each context keeps what it has read, so every client gets its own. What cannot be read is
    refused here, named."""
    if value is False or isinstance(value, ssl.SSLContext):
        return value
    if value is True:
        file, folder = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
        if file:
            where, path, is_folder = "SSL_CERT_FILE", file, False
        elif folder:
            where, path, is_folder = "SSL_CERT_DIR", folder, True
        else:
            import certifi  # httpx's own dependency; imported by the first client, as httpx does

            where, path, is_folder = "verify", certifi.where(), False
    elif isinstance(value, str | os.PathLike):
        where, path = "verify", os.fspath(value)
        is_folder = os.path.isdir(path)
    else:
        raise ConfigurationError(
            f"verify must be a bool, a CA bundle path or an ssl.SSLContext, not "
            f"{type(value).__name__}"
        )
    try:
        if is_folder:
            return ssl.create_default_context(capath=path)
        for _ in range(3):  # the content must not change between hashing and loading it
            content = hashlib.sha256(Path(path).read_bytes()).digest()
            context = _trusting(path, content)
            if hashlib.sha256(Path(path).read_bytes()).digest() == content:
                return context
            _trusting.cache_clear()
        return ssl.create_default_context(cafile=path)  # still changing: this client's own
    except (OSError, ValueError, ssl.SSLError) as problem:  # ValueError: NUL, lone surrogate
        why = str(problem).encode("ascii", "backslashreplace").decode()  # always printable
        shown = path if path.isprintable() and is_unicode(path) else ascii(path)
        raise ConfigurationError(
            f"{where}: cannot load CA certificates from {shown}: {why}"
        ) from None


@functools.lru_cache(maxsize=8)
def _trusting(path: str, content: bytes) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=path)
