"""Signing a typical ``teamList`` request: ``AppAuth`` against botocore's SigV4 and the floor.

The request is built once, outside the timed loop; each round times the signing alone. All
three sign the same URL (a keyword and four query parameters) with an empty body.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from koodrive_space import AppAuth, signing

from bench.conftest import record

URL = (
    "https://intl.myhuaweicloud-koodrive.com/koodrive/ose/v1/space/teamList"
    "?offset=0&limit=100&keyWord=finance%20team&teamType=1"
)
# FAKE credentials: the emulator's demo values' shape, never a real secret.
APP_ID, APP_SECRET, USER_ID = "bench-app-id", "bench-app-secret-FAKE", "1505084218764547200"
TRACE_ID = "0" * 58


@pytest.mark.benchmark(group="signing")
def test_appauth(benchmark: Any) -> None:
    auth = AppAuth(APP_ID, APP_SECRET, USER_ID)
    request = httpx.Request("GET", URL, headers={"X-Traceid": TRACE_ID})
    benchmark(auth.sign, request)
    assert request.headers["Authorization"].startswith("HMAC-SHA256 AppId=bench-app-id,")
    record("sign:appauth", benchmark, "min")


@pytest.mark.benchmark(group="signing")
def test_botocore_sigv4(benchmark: Any) -> None:
    auth = SigV4Auth(Credentials("AKIDEXAMPLE", APP_SECRET), "koodrive", "ap-southeast-1")
    request = AWSRequest("GET", URL, headers={"X-Traceid": TRACE_ID})
    benchmark(auth.add_auth, request)
    assert request.headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=")
    record("sign:botocore", benchmark, "min")


@pytest.mark.benchmark(group="signing")
def test_floor(benchmark: Any) -> None:
    """The least any signer must do: one SHA-256 of the canonical request, one HMAC-SHA256."""
    canonical = signing.canonical_request(
        "GET",
        httpx.URL(URL).raw_path,
        [
            ("host", "intl.myhuaweicloud-koodrive.com"),
            ("x-date", "20261124T120000Z"),
            ("x-user-id", USER_ID),
        ],
        b"",
    ).encode()
    secret = APP_SECRET.encode()

    def floor() -> bytes:
        digest = hashlib.sha256(canonical).hexdigest()
        return hmac.digest(secret, f"{signing.ALGORITHM}\n{digest}".encode(), "sha256")

    benchmark(floor)
    record("sign:floor", benchmark, "min")
