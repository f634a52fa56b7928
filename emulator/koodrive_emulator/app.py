"""The emulator's ASGI application: routing, authentication, validation, replies.

Every request goes through, in order: fault selection (``delay`` and ``drop`` act first), the
route, reading the body, authentication, the acting user, parameter and body validation, then
the operation. Replies always carry KooDrive's JSON envelope (a catch-all turns any emulator bug
into a 500 envelope, never a stack trace or an HTML page) unless a fault asks for a malformed
body, and a ``Date`` header from the emulator's clock (which the ``skew`` fault moves), the header
a client reads to detect clock skew.

The app is a plain ASGI callable that sees every method and raw path itself (``/_emulator/faults``
aside), so no framework router answers in plain text. Refusals before the operation, after Huawei
API Gateway's:

- a path no operation has: 404 ``APIGW.0101``;
- a path an operation has, with another method (any token, ``HEAD`` and ``OPTIONS`` included:
  they are not operations of the API): 405 ``APIGW.0101`` "The API request method does not
  exist." (the gateway's code and message for a wrong method; the gateway itself says 404) with
  an ``Allow`` header; a ``HEAD`` reply carries the headers only, as HTTP requires;
- a path not UTF-8 once percent-decoded: 400 ``13000102``;
- a body not received in full within ``request_timeout``: 408 ``APIGW.0201`` and the connection
  closed. ``server.py`` adds the same deadline for the headers, and the envelope, 400
  ``APIGW.0201``, for what is not HTTP/1.1 at all (uvicorn would answer in plain text).

Authentication failures are answered with HTTP 401 and a gateway-style string code, after
Huawei API Gateway's: ``APIGW.0303`` for app authentication (signature, ``X-Date``, AppId,
``Authorization`` format), ``APIGW.0301`` for token authentication and a missing
``X-User-Id``/``Authorization``. KooDrive's pages say authentication failures may also come as
400; 401 is the documented status that cannot be mistaken for a parameter error, and it is the
status the client's clock-skew correction reacts to.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from koodrive_space import spec
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from koodrive_emulator import data as dataset
from koodrive_emulator.credentials import Credentials
from koodrive_emulator.faults import HEADER as FAULT_HEADER
from koodrive_emulator.faults import Fault, FaultSyntaxError
from koodrive_emulator.validate import (
    InvalidRequest,
    Route,
    check_body,
    check_parameters,
    path_segments,
    query_pairs,
    routes,
)
from koodrive_emulator.verify import AuthenticationFailed, verify_app_signature, verify_token

log = logging.getLogger("koodrive_emulator")

Clock = Callable[[], dt.datetime]
JSON_TYPE = "application/json;charset=UTF-8"
VERIFY_FAILED = 13000102
CONTROL_PATH = "/_emulator/faults"
CONTROL_METHODS = ("GET", "POST", "DELETE")
REQUEST_ERROR = "APIGW.0201"
DEFAULT_LOG_LIMIT = 256
DEFAULT_REQUEST_TIMEOUT = 10.0
_DEFAULT_CODE: dict[int, int | str] = {
    400: VERIFY_FAILED,
    401: "APIGW.0301",
    403: "APIGW.0302",
    404: "APIGW.0101",
    405: "APIGW.0101",
    408: REQUEST_ERROR,
    429: "APIGW.0308",
}
_DEFAULT_MSG: dict[int, str] = {
    400: "Verify parameters failed.",
    401: "Incorrect authentication information.",
    403: "Access denied.",
    404: "The API does not exist or has not been published.",
    405: "The API request method does not exist.",
    408: "Request timeout.",
    429: "The throttling threshold has been reached.",
    500: "Internal server error.",
    502: "Bad gateway.",
    503: "Service unavailable.",
    504: "Gateway timeout.",
}
# KooDrive's documented failure codes and messages, as the spec lists them.
_DOCUMENTED = spec.document()["components"]["schemas"]["DocumentedErrorCode"]
_BUSINESS_MSG: dict[int, str] = dict(
    zip(_DOCUMENTED["enum"], _DOCUMENTED["x-enum-descriptions"], strict=True)
)
HTML_ERROR_PAGE = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    b"</h1></center><hr><center>nginx</center></body></html>\n"
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Exchange:
    """One reply the emulator sent, for tests: the operation, status and the exact body."""

    operation_id: str | None
    method: str
    raw_path: bytes
    status: int
    body: bytes
    headers: dict[str, str]
    malformed: bool  # a ``body=`` fault asked for a reply outside the spec


class _Refusal(Exception):
    def __init__(
        self, status: int, code: int | str, msg: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(msg)
        self.status, self.code, self.msg = status, code, msg
        self.headers = headers or {}


class _Gone(Exception):
    """The client went away before its request was whole: there is no one to answer."""


def _verify_failed(problem: str) -> _Refusal:
    return _Refusal(400, VERIFY_FAILED, f"Verify parameters failed. {problem}")


def _business(code: int, detail: str = "") -> _Refusal:
    return _Refusal(400, code, (_BUSINESS_MSG[code] + " " + detail).strip())


@dataclass
class Emulator:
    """The emulator's state and configuration; ``app`` is the ASGI application.

    ``clock`` is the emulator's notion of now (frozen in cassette recordings), ``clock_skew``
    moves it; ``shape`` is the default reply form; ``faults`` is the queue of faults for the
    next requests; ``log`` keeps the newest ``log_limit`` replies sent, oldest first (bounded, so
    a long-running emulator's memory stays flat: at most ``log_limit`` times the largest reply,
    about 66 KB for a page of 100 team spaces); ``request_timeout`` is how many seconds a client
    has to send a request's body once its headers are in (``server.py`` gives the headers as
    long); ``latency`` delays every reply, as a network's round trip would (a fault's
    ``latency=`` replaces it for one request).
    """

    credentials: Credentials = field(default_factory=Credentials.from_environment)
    clock: Clock = _utc_now
    clock_skew: dt.timedelta = dt.timedelta(0)
    shape: str = "table"
    faults: deque[Fault] = field(default_factory=deque)
    data: dataset.DataSet = field(default_factory=dataset.build)
    log_limit: int = DEFAULT_LOG_LIMIT
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    latency: float = 0.0
    log: deque[Exchange] = field(init=False, repr=False)
    routes: tuple[Route, ...] = field(init=False, repr=False)
    app: ASGIApp = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.log_limit < 0:
            raise ValueError(f"log_limit must be 0 or more (got {self.log_limit})")
        if not 0 < self.request_timeout < float("inf"):
            raise ValueError(f"request_timeout must be above 0 (got {self.request_timeout})")
        if not 0 <= self.latency <= 120:
            raise ValueError(f"latency must be 0 to 120 seconds (got {self.latency})")
        self.log = deque(maxlen=self.log_limit)
        self.routes = routes()
        self.data.add_user(dataset.SEED_TENANT, self.credentials.user_id)
        self.app = self._asgi

    # -- plumbing ------------------------------------------------------------------------

    def now(self, fault: Fault | None = None) -> dt.datetime:
        skew = fault.skew if fault is not None else 0.0
        return self.clock() + self.clock_skew + dt.timedelta(seconds=skew)

    async def _asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # uvicorn runs with lifespan off; nothing but HTTP is served
        request = Request(scope, receive)
        try:
            if _raw_path(request) == CONTROL_PATH.encode():
                response = await self._control(request)
            else:
                response = await self._endpoint(request)
        except _Refusal as refusal:  # from _control: _endpoint answers its own
            response = self._envelope(
                request, refusal.status, refusal.code, refusal.msg, headers=refusal.headers
            )
        except _Gone:
            return
        except Exception:
            log.exception("emulator failure")
            response = self._envelope(request, 500, 13000000, "Internal server error.")
        await response(scope, receive, send)

    async def _body(self, request: Request) -> bytes:
        """The whole body, or 408 (closing the connection: the rest may still come) if it does
        not arrive within ``request_timeout``."""
        try:
            async with asyncio.timeout(self.request_timeout):
                return await request.body()
        except TimeoutError:
            raise _Refusal(
                408,
                REQUEST_ERROR,
                f"Request timeout: the body did not arrive within {self.request_timeout:g} s.",
                {"Connection": "close"},
            ) from None
        except ClientDisconnect:
            raise _Gone from None

    async def _control(self, request: Request) -> Response:
        """Local control of the fault queue: GET shows it, POST appends, DELETE clears."""
        if request.method not in CONTROL_METHODS:
            allow = {"Allow": ", ".join(CONTROL_METHODS)}
            raise _Refusal(405, _DEFAULT_CODE[405], _DEFAULT_MSG[405], allow)
        if request.method == "POST":
            body = await self._body(request)
            try:
                document = json.loads(body)
                queued = [Fault.parse(text) for text in document["faults"]]
            except (ValueError, KeyError, TypeError) as problem:
                return self._plain_json(400, {"error": f"expected {{'faults': [...]}}: {problem}"})
            self.faults.extend(queued)
        elif request.method == "DELETE":
            self.faults.clear()
        return self._plain_json(200, {"queued": [repr(fault) for fault in self.faults]})

    @staticmethod
    def _plain_json(status: int, body: Any) -> Response:
        return Response(json.dumps(body).encode(), status, media_type=JSON_TYPE)

    def _take_fault(self, request: Request) -> Fault:
        fault = self.faults.popleft() if self.faults else Fault()
        header = request.headers.get(FAULT_HEADER)
        if header is not None:
            fault = fault.merged(Fault.parse(header))
        return fault

    async def _endpoint(self, request: Request) -> Response:
        fault = Fault()
        route: Route | None = None
        try:
            try:
                fault = self._take_fault(request)
            except FaultSyntaxError as problem:
                raise _verify_failed(f"{FAULT_HEADER}: {problem}") from problem
            wait = fault.delay + (self.latency if fault.latency is None else fault.latency)
            if wait:
                await asyncio.sleep(wait)
            if fault.drop:
                return _Dropped()
            route, path_values = self._route(request)
            body = await self._body(request)
            acting_user = self._authenticate(request, body, fault)
            params = self._check(request, route, path_values, body)
            if fault.status is not None or fault.code is not None:
                raise self._injected(fault)
            reply = self._operate(route.operation_id, acting_user, params, fault)
        except _Refusal as refusal:
            return self._envelope(
                request, refusal.status, refusal.code, refusal.msg, fault, route, refusal.headers
            )
        except _Gone:
            raise
        except Exception:
            log.exception("emulator failure")
            return self._envelope(request, 500, 13000000, "Internal server error.", fault, route)
        return self._reply(request, 200, reply, fault, route)

    # -- the steps -----------------------------------------------------------------------

    def _route(self, request: Request) -> tuple[Route, dict[str, str]]:
        try:
            segments = path_segments(_raw_path(request))
        except InvalidRequest as problem:
            raise _verify_failed(str(problem)) from problem
        allowed: list[str] = []
        for route in self.routes:
            values = route.match(segments)
            if values is None:
                continue
            if route.method == request.method:
                return route, values
            allowed.append(route.method)
        if allowed:
            allow = {"Allow": ", ".join(dict.fromkeys(allowed))}
            raise _Refusal(405, _DEFAULT_CODE[405], _DEFAULT_MSG[405], allow)
        raise _Refusal(404, _DEFAULT_CODE[404], _DEFAULT_MSG[404])

    def _authenticate(self, request: Request, body: bytes, fault: Fault) -> str:
        headers: dict[str, str] = {}
        for raw_name, raw_value in request.headers.raw:
            name = raw_name.decode("latin-1").lower()
            if name in headers and name in ("authorization", "x-date", "x-user-id", "host"):
                raise _Refusal(401, "APIGW.0301", f"Header {name} is given more than once.")
            headers[name] = raw_value.decode("latin-1")
        authorization = headers.get("authorization", "").strip()
        if not authorization:
            raise _Refusal(
                401,
                "APIGW.0301",
                "Incorrect authentication information: the authorization header is missing.",
            )
        user_id = headers.get("x-user-id", "").strip()
        # HMAC-SHA256 (or a look-alike such as SDK-HMAC-SHA256) is an app signature attempt.
        if authorization.split(" ", 1)[0].endswith("HMAC-SHA256"):
            try:
                verify_app_signature(
                    method=request.method,
                    raw_path=_raw_path(request),
                    raw_query=request.scope.get("query_string", b""),
                    headers=headers,
                    body=body,
                    app_secrets={self.credentials.app_id: self.credentials.app_secret},
                    now=self.now(fault),
                )
            except AuthenticationFailed as failure:
                raise _Refusal(
                    401, "APIGW.0303", f"Incorrect app authentication information: {failure}."
                ) from failure
            return user_id
        try:
            verify_token(authorization, self.credentials.token)
        except AuthenticationFailed as failure:
            raise _Refusal(
                401, "APIGW.0301", f"Incorrect authentication information: {failure}."
            ) from failure
        if not user_id:
            raise _Refusal(
                401,
                "APIGW.0301",
                "Incorrect authentication information: the x-user-id header is missing.",
            )
        if user_id != self.credentials.user_id:
            raise _Refusal(
                401,
                "APIGW.0301",
                "Incorrect authentication information: "
                "the token does not belong to the X-User-Id user.",
            )
        return user_id

    def _check(
        self, request: Request, route: Route, path_values: dict[str, str], body: bytes
    ) -> dict[str, Any]:
        headers = {name.lower(): value for name, value in request.headers.items()}
        try:
            params = check_parameters(
                route, path_values, query_pairs(request.scope.get("query_string", b"")), headers
            )
            document = check_body(route, request.headers.get("content-type", ""), body)
        except InvalidRequest as problem:
            raise _verify_failed(str(problem)) from problem
        if document is not None:
            params["body"] = document
        return params

    @staticmethod
    def _injected(fault: Fault) -> _Refusal:
        status = fault.status if fault.status is not None else 200
        if fault.code is not None:
            code: int | str = fault.code
        else:
            code = _DEFAULT_CODE.get(status, 13000000)
        if isinstance(code, int) and code in _BUSINESS_MSG:
            msg = _BUSINESS_MSG[code]
        else:
            msg = _DEFAULT_MSG.get(status, "Injected failure.")
        return _Refusal(status, code, msg)

    # -- the five operations -------------------------------------------------------------

    def _operate(
        self, operation_id: str, user: str, params: dict[str, Any], fault: Fault
    ) -> dict[str, Any]:
        tenant_id = self.data.tenant_of.get(user)
        if tenant_id is None:
            raise _business(13000410, f"User {user} belongs to no tenant this app serves.")
        tenant = self.data.tenants[tenant_id]
        example = (fault.shape or self.shape) == "example"
        if operation_id == "getSpaceInfo":
            return self._space_info(tenant_id, params, example)
        if operation_id == "querySpaceUsageByUser":
            return self._usage(tenant_id, params["body"], example)
        if operation_id == "getSpaceUsageOverview":
            return self._overview(tenant, example)
        if operation_id == "listTeamSpaces":
            return self._team_list(tenant, params, example)
        if operation_id == "getSpaceAllocation":
            return self._allocation(tenant, example)
        raise AssertionError(f"no handler for {operation_id}")

    def _space_info(self, tenant_id: str, params: dict[str, Any], example: bool) -> dict[str, Any]:
        owner = params["ownerId"]
        spaces = self.data.spaces_of.get(owner)
        if not spaces:
            raise _business(13000301, f"No individual space is owned by {owner!r}.")
        if self.data.tenant_of[owner] != tenant_id:
            raise _business(13000410)
        container = params.get("containerId")
        if container is not None:
            spaces = [space for space in spaces if space["containerId"] == container]
            if not spaces:
                raise _business(13000301, f"{owner} has no space {container!r}.")
        elif len(spaces) > 1:
            raise _verify_failed(
                f"containerId is required: the owner has {len(spaces)} individual spaces."
            )
        space = spaces[0]
        if space["status"] != 0:
            raise _business(13000412)
        record = dict(space)
        if example:
            record.pop("capacityKb")
        else:
            for name in ("type", "status", "capacity", "spaceUsed", "capacityKb"):
                record[name] = str(record[name])
        return {"data": record, "code": 0, "msg": "Success."}

    def _usage(self, tenant_id: str, body: dict[str, Any], example: bool) -> dict[str, Any]:
        tenant_users = self.data.tenants[tenant_id].users
        wanted = body.get("userIds", tenant_users)
        found = []
        for user in dict.fromkeys(wanted):
            if self.data.tenant_of.get(user) == tenant_id:
                record = dict(self.data.usage_of[user])
                if example:
                    record.pop("createTime")
                found.append(record)
        offset = body.get("offset", 0)
        limit = body.get("limit", len(found))
        return {
            "data": found[offset : offset + limit],
            "total": len(found),
            "code": 0,
            "msg": "success",
        }

    def _overview(self, tenant: dataset.Tenant, example: bool) -> dict[str, Any]:
        spaces = [space for user in tenant.users for space in self.data.spaces_of[user]]
        allocated = sum(space["capacity"] for space in spaces) + sum(
            team["capacity"] for team in tenant.team_spaces
        )
        used = sum(space["spaceUsed"] for space in spaces) + sum(
            team["spaceUsed"] for team in tenant.team_spaces
        )
        record: dict[str, Any] = {
            "totalAllocation": allocated * dataset.KB_PER_GB,
            "totalCapacity": tenant.capacity_gb * dataset.KB_PER_GB,
            "totalUsed": used,
        }
        if not example:
            record["quota"] = str(tenant.capacity_gb)
        return {"data": record, "code": 0, "msg": "success"}

    def _team_list(
        self, tenant: dataset.Tenant, params: dict[str, Any], example: bool
    ) -> dict[str, Any]:
        teams = tenant.team_spaces
        key_word = params.get("keyWord", "").casefold()
        if key_word:
            teams = [
                team
                for team in teams
                if key_word in team["ownerName"].casefold() or key_word in team["id"]
            ]
        if "teamType" in params:
            teams = [team for team in teams if team["teamType"] == params["teamType"]]
        page = teams[params["offset"] : params["offset"] + params["limit"]]
        if example:
            reply: dict[str, Any] = {"code": 0, "msg": "OK"}
            if page:
                reply["data"] = dict(page[0])
            return reply
        records = [dict(team, spaceUsed=str(team["spaceUsed"])) for team in page]
        return {"total": str(len(teams)), "teams": records, "code": 0, "msg": "OK"}

    def _allocation(self, tenant: dataset.Tenant, example: bool) -> dict[str, Any]:
        individual = sum(
            space["capacity"] for user in tenant.users for space in self.data.spaces_of[user]
        )
        team = sum(record["capacity"] for record in tenant.team_spaces)
        records = [
            {"type": 0, "allocateCapacity": individual, "totalCapacity": tenant.capacity_gb},
            {"type": 1, "allocateCapacity": team, "totalCapacity": tenant.capacity_gb},
        ]
        if example:
            first = {name: str(value) for name, value in records[0].items()}
            return {"data": first, "code": 0, "msg": "Operation successful."}
        return {"data": records, "code": "0", "msg": "Operation successful."}

    # -- replies -------------------------------------------------------------------------

    def _envelope(
        self,
        request: Request,
        status: int,
        code: int | str,
        msg: str,
        fault: Fault | None = None,
        route: Route | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        body = {"code": code, "msg": msg}
        return self._reply(request, status, body, fault or Fault(), route, headers)

    def wire_refusal(self, status: int, code: int | str, msg: str) -> tuple[dict[str, str], bytes]:
        """Headers and envelope of a refusal the HTTP layer sends before any request reached the
        app (``server.py``: not HTTP/1.1, headers too slow), logged like every reply."""
        content = _json({"code": code, "msg": msg})
        headers = {"Date": email.utils.format_datetime(self.now(), usegmt=True)}
        self.log.append(Exchange(None, "", b"", status, content, headers, malformed=False))
        return {**headers, "Content-Type": JSON_TYPE}, content

    def _reply(
        self,
        request: Request,
        status: int,
        body: Any,
        fault: Fault,
        route: Route | None,
        extra_headers: dict[str, str] | None = None,
    ) -> Response:
        content = _json(body)
        media_type = JSON_TYPE
        if fault.body == "html":
            content, media_type = HTML_ERROR_PAGE, "text/html"
            status = fault.status if fault.status is not None else 502
        elif fault.body == "truncated":
            content = content[: len(content) // 2]
        elif fault.body == "list":
            content = b"[" + content + b"]"
        elif fault.body == "empty":
            content = b""
        headers = {"Date": email.utils.format_datetime(self.now(fault), usegmt=True)}
        headers.update(extra_headers or {})
        if status == 429:
            headers["Retry-After"] = fault.retry_after or "1"
        elif fault.retry_after is not None:
            headers["Retry-After"] = fault.retry_after
        self.log.append(
            Exchange(
                operation_id=route.operation_id if route else None,
                method=request.method,
                raw_path=_raw_path(request),
                status=status,
                body=content,
                headers=headers,
                malformed=fault.body is not None,
            )
        )
        return Response(content, status, headers=headers, media_type=media_type)


def _raw_path(request: Request) -> bytes:
    raw: bytes = request.scope.get("raw_path") or request.scope["path"].encode()
    return raw


def _json(body: Any) -> bytes:
    return orjson.dumps(body)


class _Dropped(Response):
    """Closes the connection without sending a byte: the client sees the server hang up."""

    def __init__(self) -> None:
        super().__init__(b"")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # uvicorn's receive is a bound method of the request cycle, which holds the transport.
        transport = getattr(getattr(receive, "__self__", None), "transport", None)
        if transport is None:
            raise ConnectionResetError("the emulator dropped the connection (drop fault)")
        transport.close()
        # Let uvicorn see the connection lost, so it does not try to answer on it.
        for _ in range(3):
            await asyncio.sleep(0)
