"""Every failure a call can meet is a KooDriveError subclass carrying what support needs."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import pickle
from typing import Any, TypeVar

import httpx
import koodrive_space as kd
import pytest
from koodrive_space_client.api.space import (
    get_space_allocation,
    get_space_info,
    get_space_usage_overview,
    list_team_spaces,
)

from tests.mock_service import Script, async_client_for, client_for, ok
from tests.openapi_doc import spec


def overview(script: Script, **options: Any) -> Any:
    return get_space_usage_overview.sync(client=client_for(script, max_retries=0, **options))


@pytest.mark.parametrize(
    ("status", "body", "error_class"),
    [
        (400, {"code": 13000102, "msg": "Verify parameters failed."}, kd.InvalidParameterError),
        (400, {"code": 13000301, "msg": "Space does not exist."}, kd.SpaceNotFoundError),
        (400, {"code": 13000410, "msg": "No permission."}, kd.PermissionDeniedError),
        (400, {"code": 13000412, "msg": "Space not active."}, kd.SpaceNotActiveError),
        (400, {"code": 13000311, "msg": "Insufficient space."}, kd.InsufficientSpaceError),
        (400, {"code": "13000102", "msg": "as a string"}, kd.InvalidParameterError),
        (400, {"code": 99999999, "msg": "unknown"}, kd.BadRequestError),
        (400, {"code": "APIGW.0301", "msg": "Incorrect authentication"}, kd.BadRequestError),
        (401, {"code": "APIGW.0101", "msg": "token expired"}, kd.AuthenticationError),
        (403, {"code": 1, "msg": "forbidden"}, kd.PermissionDeniedError),
        (404, {"code": 404, "msg": "not found"}, kd.APIError),
        (429, {"code": "APIGW.0308", "msg": "throttled"}, kd.RateLimitError),
        (500, {"code": 13000000, "msg": "Internal server error."}, kd.ServerError),
        (503, {"code": "APIGW.0201", "msg": "unavailable"}, kd.ServerError),
        (200, {"code": 13000410, "msg": "No permission."}, kd.PermissionDeniedError),
        (200, {"code": 12345, "msg": "refused in a 200"}, kd.APIError),
        (200, {"code": "APIGW.0301", "msg": "gateway code in a 200"}, kd.APIError),
        (200, {"code": "13000102", "msg": "a string code in a 200"}, kd.InvalidParameterError),
    ],
)
def test_refusals_map_to_their_class_with_code_msg_status_trace_and_operation(
    status: int, body: dict[str, Any], error_class: type[kd.APIError]
) -> None:
    script = Script(httpx.Response(status, json=body))
    with pytest.raises(error_class) as caught:
        overview(script)
    error = caught.value
    assert type(error) is error_class
    assert (error.code, error.msg, error.status_code) == (body["code"], body["msg"], status)
    assert error.operation == "getSpaceUsageOverview"
    sent_trace = script.requests[0].headers["X-Traceid"]
    assert error.trace_id == sent_trace
    assert len(sent_trace) == 58
    assert sent_trace in str(error)
    assert body["msg"] in str(error)


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (
            httpx.Response(
                200,
                text="<html><body>Bad gateway</body></html>",
                headers={"Content-Type": "text/html"},
            ),
            "not JSON",
        ),
        (httpx.Response(200, content=b'{"code": 0, "data": {"totalUsed": 1'), "not JSON"),
        (httpx.Response(200, json=[{"code": 0}]), "JSON list, not an object"),
        (httpx.Response(200, content=b""), "empty"),
        (httpx.Response(200, json={"msg": "no code"}), "reply.code is required"),
        (httpx.Response(200, json={"code": 0, "data": [1, 2]}), "reply.data must be an object"),
        (
            httpx.Response(200, json={"code": 0, "data": {"totalUsed": "many"}}),
            "reply.data.totalUsed must be an integer",
        ),
        (httpx.Response(204), "unexpected HTTP 204"),
        (
            httpx.Response(200, json={"code": [1], "msg": "?"}),
            "reply.code must be an integer or a string, not an array",
        ),
    ],
)
def test_unreadable_replies_raise_unreadable_response_error(
    reply: httpx.Response, problem: str
) -> None:
    with pytest.raises(kd.UnreadableResponseError, match=problem) as caught:
        overview(Script(reply))
    assert caught.value.operation == "getSpaceUsageOverview"
    assert caught.value.status_code == reply.status_code


def test_unreadable_replies_keep_the_original_exception_as_cause() -> None:
    with pytest.raises(kd.UnreadableResponseError) as caught:
        overview(Script(httpx.Response(200, content=b'{"code": 0,')))
    assert isinstance(caught.value.__cause__, ValueError)


def test_an_html_error_page_with_a_5xx_is_a_server_error_with_cause() -> None:
    page = httpx.Response(
        502, text="<html>Bad Gateway</html>", headers={"Content-Type": "text/html"}
    )
    with pytest.raises(kd.ServerError) as caught:
        overview(Script(page))
    assert caught.value.code is None
    assert caught.value.status_code == 502
    assert "not JSON" in str(caught.value.__cause__)


def test_wrong_shapes_deep_in_a_reply_never_escape_as_type_errors() -> None:
    reply = ok({"code": 0, "total": 2, "teams": [{"id": "1"}, "not a record"]})
    client = client_for(Script(reply), max_retries=0)
    with pytest.raises(kd.UnreadableResponseError, match=r"reply.teams\[1\] must be an object"):
        list_team_spaces.sync(client=client, offset=0, limit=10)


@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        (httpx.ConnectError("Connection refused"), kd.APIConnectionError),
        (httpx.ReadError("Connection reset by peer"), kd.APIConnectionError),
        (
            httpx.RemoteProtocolError("Server disconnected without sending a response."),
            kd.APIConnectionError,
        ),
        (httpx.ReadTimeout("timed out"), kd.APITimeoutError),
        (httpx.ConnectTimeout("timed out"), kd.APITimeoutError),
    ],
)
def test_transport_failures_become_connection_errors_with_cause(
    failure: Exception, error_class: type[kd.APIConnectionError], sleeps: list[float]
) -> None:
    script = Script(failure)
    with pytest.raises(error_class) as caught:
        get_space_usage_overview.sync(client=client_for(script, max_retries=2))
    assert type(caught.value) is error_class
    assert caught.value.__cause__ is failure
    assert len(script.requests) == 3
    assert len(sleeps) == 2
    assert caught.value.operation == "getSpaceUsageOverview"
    assert "3 attempt(s)" in str(caught.value)


def test_async_calls_raise_the_same_errors() -> None:
    script = Script(httpx.Response(400, json={"code": 13000301, "msg": "gone"}))

    async def call() -> None:
        await get_space_info.asyncio("1", client=async_client_for(script), type_="1")

    with pytest.raises(kd.SpaceNotFoundError):
        asyncio.run(call())


def test_every_error_class_is_exported_and_a_koodrive_error() -> None:
    exported = {getattr(kd, name) for name in kd.__all__ if name.endswith("Error")}
    defined = {kd.KooDriveError, *_subclasses(kd.KooDriveError)}
    assert exported == defined


SECRET = "s3cr3t-app-secret-value"
TOKEN = "t0ken-value-that-must-not-leak"


def test_secrets_never_appear_in_reprs_errors_or_debug_logs(
    caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    caplog.set_level(logging.DEBUG)
    app = kd.AppAuth("app", SECRET, "user")
    token = kd.TokenAuth(TOKEN, "user")
    texts = [repr(app), str(app), repr(token), str(token)]
    script = Script(
        httpx.Response(503, json={"code": 1, "msg": "busy"}),
        httpx.Response(401, json={"code": "APIGW.0301", "msg": "bad signature"}),
    )
    for auth in (app, token):
        client = client_for(script, auth=auth, max_retries=1)
        texts.append(repr(client))
        with pytest.raises(kd.KooDriveError) as caught:
            get_space_allocation.sync(client=client)
        texts += [str(caught.value), repr(caught.value), repr(vars(caught.value))]
    texts += [record.getMessage() for record in caplog.records]
    assert any("retrying" in t for t in texts)  # the logs were captured
    for text in texts:
        assert SECRET not in text, text
        assert TOKEN not in text, text


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (("", "secret", "user"), "app_id must not be empty"),
        (("app", "", "user"), "app_secret must be a non-empty string"),
        (("app", "secret", ""), "user_id must not be empty"),
        (("app", "secret", "user\r\nX-Evil: 1"), "user_id must be printable ASCII"),
        (("app", "secret", " user"), "user_id must be printable ASCII"),
        (("app\u00e9", "secret", "user"), "app_id must be printable ASCII"),
        (("app", "sec\ud800ret", "user"), "app_secret is not Unicode text"),
    ],
)
def test_bad_credentials_are_refused_at_construction(
    arguments: tuple[str, str, str], problem: str
) -> None:
    with pytest.raises(kd.ConfigurationError, match=problem):
        kd.AppAuth(*arguments)


def test_bad_token_credentials_are_refused_and_never_echoed() -> None:
    with pytest.raises(kd.ConfigurationError, match="token must be printable ASCII") as caught:
        kd.TokenAuth("tok en\n", "user")
    assert "tok en" not in str(caught.value)
    with pytest.raises(kd.ConfigurationError, match="user_id must not be empty"):
        kd.TokenAuth("token", "")


E = TypeVar("E", bound=kd.KooDriveError)


def every_error() -> list[kd.KooDriveError]:
    context = {"operation": "listTeamSpaces", "trace_id": "t" * 58}
    classes: list[type[kd.APIError]] = [kd.APIError, *_subclasses(kd.APIError)]
    api = [cls(code=13000301, msg="no such space", status_code=400, **context) for cls in classes]
    return [
        kd.KooDriveError("base", **context),
        kd.ConfigurationError("timeout must be more than 0 seconds"),
        kd.RequestValidationError(
            "limit must be at most 100", parameter="limit", operation="listTeamSpaces"
        ),
        kd.APIConnectionError("refused", **context),
        kd.APITimeoutError("slow", **context),
        kd.UnreadableResponseError("not JSON", status_code=502, **context),
        *api,
    ]


def _subclasses(cls: type[E]) -> list[type[E]]:
    found: list[type[E]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


@pytest.mark.parametrize("error", every_error(), ids=lambda e: type(e).__name__)
def test_every_error_pickles_with_its_class_and_attributes(error: kd.KooDriveError) -> None:
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert type(copy) is type(error)
    assert vars(copy) == vars(error)
    assert str(copy) == str(error)
    assert copy.args == error.args


def _refuse_in_a_worker(trace: str) -> None:
    raise kd.SpaceNotFoundError(
        code=13000301, msg="gone", status_code=400, operation="getSpaceInfo", trace_id=trace
    )


def test_errors_cross_process_boundaries() -> None:
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_refuse_in_a_worker, "w" * 58)
        with pytest.raises(kd.SpaceNotFoundError) as caught:
            future.result(timeout=60)
    assert (caught.value.code, caught.value.status_code) == (13000301, 400)
    assert (caught.value.operation, caught.value.trace_id) == ("getSpaceInfo", "w" * 58)


DOCUMENTED = spec()["components"]["schemas"]["DocumentedErrorCode"]


@pytest.mark.parametrize(
    ("code", "name", "message", "status"),
    list(
        zip(
            DOCUMENTED["enum"],
            DOCUMENTED["x-enum-varnames"],
            DOCUMENTED["x-enum-descriptions"],
            DOCUMENTED["x-http-statuses"],
            strict=True,
        )
    ),
)
def test_each_documented_code_has_its_class(
    code: int, name: str, message: str, status: int
) -> None:
    """The spec's DocumentedErrorCode is the code table: SPACE_NOT_FOUND is SpaceNotFoundError."""
    error_class = kd.errors.api_error_class(status, code)
    assert error_class.__name__ == "".join(word.title() for word in name.split("_")) + "Error"
    assert issubclass(error_class, kd.BadRequestError)
    assert error_class is kd.errors.api_error_class(status, str(code))
