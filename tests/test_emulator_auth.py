"""The emulator authenticates as KooDrive does: it refuses forged, stale, future-dated, unsigned
and malformed requests, and accepts what the client (an independent signer) sends.

Requests here are built by hand (``signed``) with the emulator's own canonicalisation, so each
negative case changes exactly one thing; the positive cross-check against ``koodrive_space``'s
signer is ``test_the_client_signature_verifies``, plus every other test that calls the emulator
through the client.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from koodrive_emulator import (
    FAKE_APP_ID,
    FAKE_APP_SECRET,
    FAKE_TOKEN,
    FAKE_USER_ID,
    Emulator,
    verify,
)
from koodrive_emulator.credentials import Credentials
from koodrive_space import AppAuth, AuthenticationError, TokenAuth, create_client
from koodrive_space_client.api.space import get_space_usage_overview, list_team_spaces

from tests.contract import reply_problems
from tools import signing_vectors

NOW = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
BASE = "http://127.0.0.1:8765"
TEAM_LIST = "/koodrive/ose/v1/space/teamList"
VECTORS: dict[str, Any] = signing_vectors.vectors()


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fresh emulator with the fake credentials and its clock frozen at NOW."""
    instance = Emulator(credentials=Credentials.fake(), clock=lambda: NOW)
    yield instance
    for exchange in instance.log:
        assert not reply_problems(exchange.operation_id, exchange.status, exchange.body)


def x_date(when: dt.datetime) -> str:
    return when.strftime("%Y%m%dT%H%M%SZ")


def signed(
    target: str = TEAM_LIST + "?offset=0&limit=2",
    *,
    method: str = "GET",
    body: bytes = b"",
    when: dt.datetime = NOW,
    secret: str = FAKE_APP_SECRET,
    app_id: str = FAKE_APP_ID,
    user_id: str = FAKE_USER_ID,
    signed_headers: tuple[str, ...] = ("host", "x-date", "x-user-id"),
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """Headers of a request to ``target`` (raw path and query, sent as written) signed by hand."""
    raw_path, _, raw_query = target.encode().partition(b"?")
    headers = {"host": "127.0.0.1:8765", "x-date": x_date(when), "x-user-id": user_id}
    headers.update(extra or {})
    canonical = verify.canonical_request(
        method=method,
        raw_path=raw_path,
        raw_query=raw_query,
        headers=headers,
        signed_headers=signed_headers,
        body=body,
    )
    signature = verify.expected_signature(secret, canonical)
    headers["authorization"] = (
        f"HMAC-SHA256 AppId={app_id},SignedHeaders={';'.join(signed_headers)},Signature={signature}"
    )
    return headers


def send(
    emulator: Emulator,
    headers: dict[str, str],
    target: str = TEAM_LIST + "?offset=0&limit=2",
    *,
    method: str = "GET",
    body: bytes = b"",
) -> httpx.Response:
    """Send exactly ``target`` (no re-encoding) with ``headers`` to the emulator, in process."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=emulator.app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            request = client.build_request(method, BASE, headers=headers, content=body)
            request.url = httpx.URL(BASE + target)
            return await client.send(request)

    return asyncio.run(go())


def refused(response: httpx.Response, code: str, reason: str) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["code"] == code
    assert reason in body["msg"], body["msg"]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_canonical_request_matches_the_hand_written_vectors(vector: dict[str, Any]) -> None:
    """From the url exactly as the vector writes it (bytes unchanged: httpx may normalise a URL,
    another client may not), the emulator's canonicalisation is the hand-written one, and the
    vector's Authorization verifies."""
    parts = urlsplit(vector["request"]["url"])
    default = {"https": 443, "http": 80}[parts.scheme]
    headers = {
        "host": parts.hostname + ("" if parts.port in (None, default) else f":{parts.port}"),
        "x-date": vector["x_date"],
        "x-user-id": vector["user_id"],
    }
    raw_path, raw_query = (parts.path or "/").encode(), parts.query.encode()
    body = vector["request"]["body"].encode()
    canonical = verify.canonical_request(
        method=vector["request"]["method"],
        raw_path=raw_path,
        raw_query=raw_query,
        headers=headers,
        signed_headers=("host", "x-date", "x-user-id"),
        body=body,
    )
    assert canonical == vector["canonical_request"]
    assert verify.string_to_sign(canonical) == vector["string_to_sign"]
    verify.verify_app_signature(
        method=vector["request"]["method"],
        raw_path=raw_path,
        raw_query=raw_query,
        headers=headers | {"authorization": vector["authorization"]},
        body=body,
        app_secrets={vector["app_id"]: vector["app_secret"]},
        now=verify.parse_x_date(vector["x_date"]),
    )


def test_a_correct_signature_is_accepted(emulator: Emulator) -> None:
    response = send(emulator, signed())
    assert response.status_code == 200, response.text
    assert response.json()["code"] == 0


def test_the_client_signature_verifies() -> None:
    """koodrive_space signs, the emulator verifies: two implementations of the rule agree,
    on a query with a space, a literal plus, a percent sign and non-ASCII text."""
    emulator = Emulator(credentials=Credentials.fake())
    client = create_client(
        BASE,
        auth=AppAuth(FAKE_APP_ID, FAKE_APP_SECRET, FAKE_USER_ID),
        async_transport=httpx.ASGITransport(app=emulator.app),
        max_retries=0,
    )
    page = asyncio.run(
        list_team_spaces.asyncio(client=client, offset=0, limit=5, key_word="Fin ance+100% 財務")
    )
    assert page is not None
    assert [exchange.status for exchange in emulator.log] == [200]


def test_a_forged_signature_is_refused(emulator: Emulator) -> None:
    headers = signed()
    last = headers["authorization"][-1]
    headers["authorization"] = headers["authorization"][:-1] + ("0" if last != "0" else "1")
    refused(send(emulator, headers), "APIGW.0303", "signature does not match")


def test_a_signature_made_with_another_secret_is_refused(emulator: Emulator) -> None:
    refused(send(emulator, signed(secret="guessed")), "APIGW.0303", "signature does not match")


def test_the_signature_is_compared_in_constant_time(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[str, str]] = []

    def spy(a: str, b: str) -> bool:
        compared.append((a, b))
        return a == b

    monkeypatch.setattr(verify, "compare_digest", spy)
    headers = signed()
    assert send(emulator, headers).status_code == 200
    assert compared == [(compared[0][0], headers["authorization"].rsplit("=", 1)[1])]


def test_a_changed_query_is_refused(emulator: Emulator) -> None:
    headers = signed(TEAM_LIST + "?offset=0&limit=2")
    refused(send(emulator, headers, TEAM_LIST + "?offset=0&limit=3"), "APIGW.0303", "signature")


def test_a_changed_body_is_refused(emulator: Emulator) -> None:
    path = "/koodrive/ose/v1/space/usage/user"
    body = b'{"userIds":["1008600000509220652"]}'
    headers = signed(path, method="POST", body=body, extra={"content-type": "application/json"})
    assert send(emulator, headers, path, method="POST", body=body).status_code == 200
    forged = b'{"userIds":["1008600000509220653"]}'
    refused(send(emulator, headers, path, method="POST", body=forged), "APIGW.0303", "signature")


def test_a_changed_user_is_refused(emulator: Emulator) -> None:
    headers = signed()
    headers["x-user-id"] = "1008600000509220652"
    refused(send(emulator, headers), "APIGW.0303", "signature does not match")


def test_a_plus_in_the_raw_query_is_a_space(emulator: Emulator) -> None:
    """A raw ``+`` is read as a space: a literal plus must travel, and be signed, as %2B."""
    sent_plus = TEAM_LIST + "?offset=0&limit=2&keyWord=a+b"
    assert (
        send(emulator, signed(TEAM_LIST + "?keyWord=a%20b&offset=0&limit=2"), sent_plus).status_code
        == 200
    )
    literal = TEAM_LIST + "?offset=0&limit=2&keyWord=a%2Bb"
    refused(send(emulator, signed(literal), sent_plus), "APIGW.0303", "signature")
    assert send(emulator, signed(literal), literal).status_code == 200


def test_unreserved_characters_sent_encoded_are_signed_plain(emulator: Emulator) -> None:
    sent = "/koodrive/ose/v1/space/%33%36%39528171409614001?type=%31"
    plain = "/koodrive/ose/v1/space/369528171409614001?type=1"
    response = send(emulator, signed(plain), sent)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["ownerId"] == "369528171409614001"


@pytest.mark.parametrize(
    ("age", "accepted"),
    [
        (dt.timedelta(minutes=14, seconds=59), True),
        (dt.timedelta(minutes=15, seconds=1), False),
        (-dt.timedelta(seconds=4), True),
        (-dt.timedelta(seconds=10), False),
        (-dt.timedelta(hours=1), False),
    ],
    ids=["just-fresh", "stale", "clock-tolerance", "future", "far-future"],
)
def test_the_x_date_window(emulator: Emulator, age: dt.timedelta, accepted: bool) -> None:
    """X-Date must lie within the last 15 minutes of the server's clock (5 s of tolerance for a
    clock slightly ahead)."""
    response = send(emulator, signed(when=NOW - age))
    if accepted:
        assert response.status_code == 200, response.text
    else:
        refused(response, "APIGW.0303", "X-Date")


@pytest.mark.parametrize("missing", ["authorization", "x-date", "x-user-id"])
def test_a_missing_header_is_refused(emulator: Emulator, missing: str) -> None:
    headers = signed()
    del headers[missing]
    response = send(emulator, headers)
    assert response.status_code == 401
    assert missing in response.json()["msg"]


@pytest.mark.parametrize(
    "authorization",
    [
        "HMAC-SHA256 AppId={app}, SignedHeaders=host;x-date;x-user-id, Signature={sig}",
        "HMAC-SHA256 AppId={app},SignedHeaders=host;x-date;x-user-id,Signature={SIG}",
        "SDK-HMAC-SHA256 AppId={app},SignedHeaders=host;x-date;x-user-id,Signature={sig}",
        "HMAC-SHA256 AppId={app},Signature={sig}",
        "HMAC-SHA256 AppId={app},SignedHeaders=x-date;host;x-user-id,Signature={sig}",
        "HMAC-SHA256 AppId={app},SignedHeaders=host;x-date;x-user-id,Signature={sig}0",
        "HMAC-SHA256",
    ],
    ids=[
        "spaces-after-commas",
        "upper-case-hex",
        "other-algorithm",
        "no-signed-headers",
        "unsorted-signed-headers",
        "signature-too-long",
        "algorithm-only",
    ],
)
def test_a_malformed_authorization_is_refused(emulator: Emulator, authorization: str) -> None:
    headers = signed()
    signature = headers["authorization"].rsplit("=", 1)[1]
    headers["authorization"] = authorization.format(
        app=FAKE_APP_ID, sig=signature, SIG=signature.upper()
    )
    response = send(emulator, headers)
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "APIGW.0303"


def test_signed_headers_must_include_host(emulator: Emulator) -> None:
    refused(
        send(emulator, signed(signed_headers=("x-date", "x-user-id"))),
        "APIGW.0303",
        "must include host",
    )


def test_more_signed_headers_are_accepted(emulator: Emulator) -> None:
    """A client may sign further headers: they are part of the canonical request."""
    headers = signed(
        signed_headers=("host", "language", "x-date", "x-user-id"), extra={"language": "en-US"}
    )
    assert send(emulator, headers).status_code == 200
    headers["language"] = "fr-FR"
    refused(send(emulator, headers), "APIGW.0303", "signature does not match")


def test_an_unknown_app_id_is_refused(emulator: Emulator) -> None:
    refused(send(emulator, signed(app_id="someone-else")), "APIGW.0303", "unknown AppId")


def test_the_401_date_header_shows_the_emulators_clock() -> None:
    """A client detects clock skew from the Date of a 401: it must be the emulator's (skewed)
    time, not the host's."""
    emulator = Emulator(credentials=Credentials.fake(), clock=lambda: NOW)
    emulator.clock_skew = dt.timedelta(hours=2)
    response = send(emulator, signed())
    refused(response, "APIGW.0303", "more than 15 minutes old")
    assert email.utils.parsedate_to_datetime(response.headers["Date"]) == NOW + dt.timedelta(
        hours=2
    )


@pytest.mark.parametrize(
    "form", ["Bearer {t}", "Bearer+{t}", "{t}"], ids=["bearer", "plus", "bare"]
)
def test_token_forms_the_docs_show_are_accepted(emulator: Emulator, form: str) -> None:
    headers = {"authorization": form.format(t=FAKE_TOKEN), "x-user-id": FAKE_USER_ID}
    assert send(emulator, headers).status_code == 200


def test_a_wrong_token_is_refused(emulator: Emulator) -> None:
    headers = {"authorization": "Bearer not-the-token", "x-user-id": FAKE_USER_ID}
    refused(send(emulator, headers), "APIGW.0301", "access token is not valid")


def test_a_token_for_another_user_is_refused(emulator: Emulator) -> None:
    headers = {"authorization": "Bearer " + FAKE_TOKEN, "x-user-id": "1008600000509220652"}
    refused(send(emulator, headers), "APIGW.0301", "does not belong")


def test_the_client_sees_authentication_errors() -> None:
    emulator = Emulator(credentials=Credentials.fake())
    client = create_client(
        BASE,
        auth=TokenAuth("wrong", FAKE_USER_ID),
        async_transport=httpx.ASGITransport(app=emulator.app),
    )
    with pytest.raises(AuthenticationError) as caught:
        asyncio.run(get_space_usage_overview.asyncio(client=client))
    assert caught.value.status_code == 401
    assert caught.value.code == "APIGW.0301"


def test_credentials_come_from_the_environment() -> None:
    env = {
        "KOODRIVE_APP_ID": "env-app",
        "KOODRIVE_APP_SECRET": "env-secret-value",
        "KOODRIVE_USER_ID": "4242",
        "KOODRIVE_TOKEN": "env-token-value",
    }
    credentials = Credentials.from_environment(env)
    assert (credentials.app_id, credentials.app_secret) == ("env-app", "env-secret-value")
    assert (credentials.user_id, credentials.token) == ("4242", "env-token-value")
    banner = "\n".join(credentials.describe())
    assert "env-secret-value" not in banner
    assert "env-token-value" not in banner
    assert "(from KOODRIVE_APP_SECRET)" in banner
    fake = "\n".join(Credentials.from_environment({}).describe())
    assert FAKE_APP_SECRET in fake
    assert "FAKE" in fake
    emulator = Emulator(credentials=credentials, clock=lambda: NOW)
    assert (
        send(
            emulator, signed(app_id="env-app", secret="env-secret-value", user_id="4242")
        ).status_code
        == 200
    )
