"""A scripted stand-in for KooDrive behind httpx.MockTransport, for unit tests of the client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from koodrive_space import AppAuth, create_client
from koodrive_space_client import Client

BASE_URL = "https://intl.myhuaweicloud-koodrive.com"
Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class Script:
    """Answers requests with the replies given, in order (the last one repeats)."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # A snapshot: retries re-sign the same Request object in place.
        self.requests.append(
            httpx.Request(
                request.method, request.url, headers=request.headers.copy(), content=request.content
            )
        )
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if isinstance(reply, Exception):
            raise reply
        if callable(reply) and not isinstance(reply, httpx.Response):
            return reply(request)
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)


def ok(body: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
    return httpx.Response(200, json=body or {"code": 0, "msg": "OK", "data": {}}, headers=headers)


def client_for(script: Script, **options: Any) -> Client:
    options.setdefault("auth", AppAuth("test-app", "test-secret", "test-user"))
    options.setdefault("retry_base_delay", 0.0)
    return create_client(BASE_URL, transport=httpx.MockTransport(script), **options)


def async_client_for(script: Script, **options: Any) -> Client:
    options.setdefault("auth", AppAuth("test-app", "test-secret", "test-user"))
    options.setdefault("retry_base_delay", 0.0)

    async def handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        return script(request)

    return create_client(BASE_URL, async_transport=httpx.MockTransport(handler), **options)
