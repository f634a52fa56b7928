"""App-authentication signatures: vectors, the published layout, and the bytes on the wire."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from koodrive_emulator.verify import canonical_query as independent_canonical_query
from koodrive_emulator.verify import canonical_uri as independent_canonical_uri
from koodrive_emulator.verify import verify_app_signature
from koodrive_space import AppAuth, UnreadableResponseError, create_client, signing
from koodrive_space_client.api.space import list_team_spaces, query_space_usage_by_user
from koodrive_space_client.models import UsageByUserRequest

from tests.openapi_doc import operations
from tests.wire import Answer, ScriptedServer
from tools import signing_vectors

VECTORS: dict[str, Any] = signing_vectors.vectors()  # what dist/ ships
SECRET = VECTORS["vectors"][0]["app_secret"]
X_DATE = dt.datetime.strptime(VECTORS["vectors"][0]["x_date"], "%Y%m%dT%H%M%SZ").replace(
    tzinfo=dt.UTC
)
AUTH_RE = re.compile(
    r"^HMAC-SHA256 AppId=(?P<app>[^,]+),SignedHeaders=(?P<signed>[^,]+),"
    r"Signature=(?P<sig>[0-9a-f]{64})$"
)


def vector_auth(vector: dict[str, Any] | None = None) -> AppAuth:
    vector = vector or VECTORS["vectors"][0]
    x_date = dt.datetime.strptime(vector["x_date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    return AppAuth(vector["app_id"], vector["app_secret"], vector["user_id"], clock=lambda: x_date)


def signed_request(vector: dict[str, Any]) -> httpx.Request:
    sent = vector["request"]
    request = httpx.Request(sent["method"], sent["url"], content=sent["body"].encode())
    return next(vector_auth(vector).sync_auth_flow(request))


def test_there_are_vectors_for_every_case_a_signer_meets() -> None:
    """At least 25, and every operation among them."""
    assert len(VECTORS["vectors"]) >= 25
    paths = {urlsplit(v["request"]["url"]).path for v in VECTORS["vectors"]}
    for op in operations():
        template = re.sub(r"\{[^}]+\}", "[^/]+", op.path)
        assert any(re.fullmatch(template, path) for path in paths), op.operation_id


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_signing_vector(vector: dict[str, Any]) -> None:
    """AppAuth signs each vector's request to its Authorization, with the vector's hand-written
    canonical request, and the emulator's independent verifier accepts the request."""
    request = signed_request(vector)
    assert request.headers["Authorization"] == vector["authorization"]
    signed = [(name, request.headers[name]) for name in signing.SIGNED_HEADERS]
    method = vector["request"]["method"]
    canonical = signing.canonical_request(method, request.url.raw_path, signed, request.content)
    assert canonical == vector["canonical_request"]
    assert signing.string_to_sign(canonical) == vector["string_to_sign"]
    raw_path, _, raw_query = request.url.raw_path.partition(b"?")
    verify_app_signature(
        method=request.method,
        raw_path=raw_path,
        raw_query=raw_query,
        headers={name.lower(): value for name, value in request.headers.items()},
        body=request.content,
        app_secrets={vector["app_id"]: vector["app_secret"]},
        now=X_DATE,
    )


def test_published_example_header_layout() -> None:
    """The reference example's layout: one space after the algorithm, none after commas."""
    vector = VECTORS["vectors"][0]
    request = signed_request(vector)
    signature = vector["authorization"].rsplit("=", 1)[1]
    assert request.headers["Authorization"] == (
        "HMAC-SHA256 AppId=a378331eca141163119eb602adb67b7802cc79cd33ba44c7d2fe61d1586c96a1,"
        f"SignedHeaders=host;x-date;x-user-id,Signature={signature}"
    )
    assert request.headers["X-User-Id"] == "1505084218764547200"
    assert request.headers["X-Date"] == "20240909T033325Z"
    assert request.headers["Host"] == "10.32.45.165"


def test_header_values_are_trimmed() -> None:
    """The canonical request AppAuth signs with trims header values (the verifier does too)."""
    padded = [("host", "  h.example  "), ("x-date", "\t20240909T033325Z "), ("x-user-id", " 1 ")]
    canonical = signing.canonical_request("GET", b"/", padded, b"")
    assert "\nhost:h.example\nx-date:20240909T033325Z\nx-user-id:1\n\n" in canonical
    request = httpx.Request("GET", "https://h.example/", headers={"Host": "  h.example  "})
    vector_auth().sign(request)
    assert request.headers["Host"] == "  h.example  "  # sent padded, signed trimmed
    assert_verifies(request, now=X_DATE)


def test_x_date_is_utc_from_an_aware_clock() -> None:
    beijing = dt.timezone(dt.timedelta(hours=8))
    auth = AppAuth("a", "s", "u", clock=lambda: dt.datetime(2025, 11, 3, 15, 1, 40, tzinfo=beijing))
    request = next(auth.sync_auth_flow(httpx.Request("GET", "https://h/x")))
    assert request.headers["X-Date"] == "20251103T070140Z"


def test_different_secrets_give_different_signatures() -> None:
    def sig(secret: str) -> str:
        auth = AppAuth("a", secret, "u", clock=lambda: X_DATE)
        return next(auth.sync_auth_flow(httpx.Request("GET", "https://h/x"))).headers[
            "Authorization"
        ]

    assert sig("one") != sig("two")


def assert_verifies(request: httpx.Request, *, now: dt.datetime) -> None:
    raw_path, _, raw_query = request.url.raw_path.partition(b"?")
    verify_app_signature(
        method=request.method,
        raw_path=raw_path,
        raw_query=raw_query,
        headers={name.lower(): value for name, value in request.headers.items()},
        body=request.content,
        app_secrets={VECTORS["vectors"][0]["app_id"]: SECRET},
        now=now,
    )


@pytest.mark.parametrize(
    ("call", "reply"),
    [
        ("team list with awkward keyword", {"code": 0, "total": 0, "teams": []}),
        ("usage with a JSON body", {"code": 0, "total": 0, "data": []}),
    ],
)
def test_signature_covers_the_exact_bytes_httpx_sends(call: str, reply: dict[str, Any]) -> None:
    """On a real socket: the emulator's verifier accepts the request as it arrived."""
    with ScriptedServer(Answer(200, reply)) as server:
        client = create_client(server.url, auth=AppAuth("wire-app", "wire-secret", "wire-user"))
        if call.startswith("team"):
            list_team_spaces.sync(client=client, offset=0, limit=5, key_word="a+b c/%😀&x=y")
        else:
            body = UsageByUserRequest(user_ids=["用户", "2"], limit=2, offset=0)
            query_space_usage_by_user.sync(client=client, body=body)
    (seen,) = server.seen
    assert seen.signature_problem("wire-app", "wire-secret") is None
    # The body and the query really carried the awkward characters the signature covers.
    if call.startswith("team"):
        assert b"keyWord=a%2Bb+c%2F%25%F0%9F%98%80%26x%3Dy" in seen.target
    else:
        assert '"userIds":["用户","2"]'.encode() in seen.body


def test_redirects_are_not_followed_with_a_stale_signature() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "https://elsewhere.example/steal"})

    client = create_client(
        "https://intl.myhuaweicloud-koodrive.com",
        auth=AppAuth("a", "s", "u"),
        transport=httpx.MockTransport(handler),
    )
    with pytest.raises(
        UnreadableResponseError, match=r"redirect to https://elsewhere\.example/steal"
    ):
        list_team_spaces.sync(client=client, offset=0, limit=1)
    assert [r.url.host for r in seen] == ["intl.myhuaweicloud-koodrive.com"]


async def _async_sign() -> httpx.Request:
    sent: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"code": 0, "teams": [], "total": 0})

    client = create_client(
        "https://intl.myhuaweicloud-koodrive.com",
        auth=vector_auth(),
        async_transport=httpx.MockTransport(handler),
    )
    await list_team_spaces.asyncio(client=client, offset=0, limit=10)
    return sent[0]


def test_async_clients_are_signed_the_same_way() -> None:
    import asyncio

    request = asyncio.run(_async_sign())
    vector = signed_request(
        {**VECTORS["vectors"][0], "request": {"method": "GET", "url": str(request.url), "body": ""}}
    )
    assert request.headers["Authorization"] == vector.headers["Authorization"]


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=40) | st.text(max_size=16).map(str.encode))
def test_query_canonicalisation_matches_the_independent_verifier(raw: bytes) -> None:
    """signing's one-pass query encoder against the emulator's verifier, which decodes each
    name and value, then encodes it (any bytes: ``&``, ``=``, ``+``, ``%``, stray escapes)."""
    assert signing.canonical_query(raw) == independent_canonical_query(raw)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=8).map(lambda b: b.replace(b"/", b"")), max_size=5))
def test_path_fast_path_equals_the_general_rule(segments: list[bytes]) -> None:
    """signing's cached fast path against the emulator's independent canonical URI."""
    raw = b"/" + b"/".join(quote(s, safe="").encode() for s in segments)
    assert signing.canonical_uri(raw) == independent_canonical_uri(raw)
