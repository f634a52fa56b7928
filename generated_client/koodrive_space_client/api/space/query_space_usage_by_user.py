from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.usage_by_user_request import UsageByUserRequest
from ...models.usage_by_user_response import UsageByUserResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UsageByUserRequest,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_traceid, Unset):
        headers["X-Traceid"] = x_traceid

    if not isinstance(language, Unset):
        headers["language"] = language

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/koodrive/ose/v1/space/usage/user",
        "extensions": {
            "openapi_operation": {
                "method": "post",
                "path": "/koodrive/ose/v1/space/usage/user",
                "path_parameters": {},
            }
        },
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UsageByUserResponse | None:
    if response.status_code == 200:
        response_200 = UsageByUserResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | UsageByUserResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UsageByUserRequest,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> Response[ErrorResponse | UsageByUserResponse]:
    """Query space usage by user

     Queries the space quota and usage of the listed users (at most 50 per request). The
    reference's example request also sends `limit` and `offset`, which its field table does
    not list; both are accepted here as optional paging fields.

    Args:
        x_traceid (str | Unset):
        language (str | Unset):
        body (UsageByUserRequest): Body of querySpaceUsageByUser.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UsageByUserResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_traceid=x_traceid,
        language=language,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: UsageByUserRequest,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> UsageByUserResponse:
    """Query space usage by user

     Queries the space quota and usage of the listed users (at most 50 per request). The
    reference's example request also sends `limit` and `offset`, which its field table does
    not list; both are accepted here as optional paging fields.

    Args:
        x_traceid (str | Unset):
        language (str | Unset):
        body (UsageByUserRequest): Body of querySpaceUsageByUser.

    Raises:
        koodrive_space.KooDriveError: With a client from koodrive_space.create_client: a subclass
            naming what went wrong (a refusal by code, a request out of bounds before sending, a
            timeout, a connection failure, an unreadable reply); nothing else escapes.
        errors.UnexpectedStatus: With a plain Client, if the reply is not the documented success
            reply (use the *_detailed function to read other replies).
        httpx.TimeoutException: With a plain Client, if the request takes longer than
            Client.timeout.

    Returns:
        UsageByUserResponse
    """

    response = sync_detailed(
        client=client,
        body=body,
        x_traceid=x_traceid,
        language=language,
    )
    if isinstance(response.parsed, UsageByUserResponse):
        return response.parsed
    raise errors.UnexpectedStatus(response.status_code, response.content)


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UsageByUserRequest,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> Response[ErrorResponse | UsageByUserResponse]:
    """Query space usage by user

     Queries the space quota and usage of the listed users (at most 50 per request). The
    reference's example request also sends `limit` and `offset`, which its field table does
    not list; both are accepted here as optional paging fields.

    Args:
        x_traceid (str | Unset):
        language (str | Unset):
        body (UsageByUserRequest): Body of querySpaceUsageByUser.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UsageByUserResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        x_traceid=x_traceid,
        language=language,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UsageByUserRequest,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> UsageByUserResponse:
    """Query space usage by user

     Queries the space quota and usage of the listed users (at most 50 per request). The
    reference's example request also sends `limit` and `offset`, which its field table does
    not list; both are accepted here as optional paging fields.

    Args:
        x_traceid (str | Unset):
        language (str | Unset):
        body (UsageByUserRequest): Body of querySpaceUsageByUser.

    Raises:
        koodrive_space.KooDriveError: With a client from koodrive_space.create_client: a subclass
            naming what went wrong (a refusal by code, a request out of bounds before sending, a
            timeout, a connection failure, an unreadable reply); nothing else escapes.
        errors.UnexpectedStatus: With a plain Client, if the reply is not the documented success
            reply (use the *_detailed function to read other replies).
        httpx.TimeoutException: With a plain Client, if the request takes longer than
            Client.timeout.

    Returns:
        UsageByUserResponse
    """

    response = await asyncio_detailed(
        client=client,
        body=body,
        x_traceid=x_traceid,
        language=language,
    )
    if isinstance(response.parsed, UsageByUserResponse):
        return response.parsed
    raise errors.UnexpectedStatus(response.status_code, response.content)
