from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_space_info_type import GetSpaceInfoType
from ...models.space_info_response import SpaceInfoResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    owner_id: str,
    *,
    type_: GetSpaceInfoType,
    container_id: str | Unset = UNSET,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_traceid, Unset):
        headers["X-Traceid"] = x_traceid

    if not isinstance(language, Unset):
        headers["language"] = language

    params: dict[str, Any] = {}

    json_type_: str = type_
    params["type"] = json_type_

    params["containerId"] = container_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/koodrive/ose/v1/space/{owner_id}".format(
            owner_id=quote(str(owner_id), safe="", errors="surrogatepass"),
        ),
        "params": params,
        "extensions": {
            "openapi_operation": {
                "method": "get",
                "path": "/koodrive/ose/v1/space/{owner_id}",
                "path_parameters": {
                    "ownerId": owner_id,
                },
            }
        },
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SpaceInfoResponse | None:
    if response.status_code == 200:
        response_200 = SpaceInfoResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | SpaceInfoResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    owner_id: str,
    *,
    client: AuthenticatedClient | Client,
    type_: GetSpaceInfoType,
    container_id: str | Unset = UNSET,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> Response[ErrorResponse | SpaceInfoResponse]:
    """Query individual space information

     Queries the information of an individual space: its owner, capacity, usage and root
    directories. When the owner has more than one individual space, name the one wanted
    with `containerId`.

    Args:
        owner_id (str):
        type_ (GetSpaceInfoType): Space type: 1, individual space.
        container_id (str | Unset):
        x_traceid (str | Unset):
        language (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SpaceInfoResponse]
    """

    kwargs = _get_kwargs(
        owner_id=owner_id,
        type_=type_,
        container_id=container_id,
        x_traceid=x_traceid,
        language=language,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    owner_id: str,
    *,
    client: AuthenticatedClient | Client,
    type_: GetSpaceInfoType,
    container_id: str | Unset = UNSET,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> SpaceInfoResponse:
    """Query individual space information

     Queries the information of an individual space: its owner, capacity, usage and root
    directories. When the owner has more than one individual space, name the one wanted
    with `containerId`.

    Args:
        owner_id (str):
        type_ (GetSpaceInfoType): Space type: 1, individual space.
        container_id (str | Unset):
        x_traceid (str | Unset):
        language (str | Unset):

    Raises:
        koodrive_space.KooDriveError: With a client from koodrive_space.create_client: a subclass
            naming what went wrong (a refusal by code, a request out of bounds before sending, a
            timeout, a connection failure, an unreadable reply); nothing else escapes.
        errors.UnexpectedStatus: With a plain Client, if the reply is not the documented success
            reply (use the *_detailed function to read other replies).
        httpx.TimeoutException: With a plain Client, if the request takes longer than
            Client.timeout.

    Returns:
        SpaceInfoResponse
    """

    response = sync_detailed(
        owner_id=owner_id,
        client=client,
        type_=type_,
        container_id=container_id,
        x_traceid=x_traceid,
        language=language,
    )
    if isinstance(response.parsed, SpaceInfoResponse):
        return response.parsed
    raise errors.UnexpectedStatus(response.status_code, response.content)


async def asyncio_detailed(
    owner_id: str,
    *,
    client: AuthenticatedClient | Client,
    type_: GetSpaceInfoType,
    container_id: str | Unset = UNSET,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> Response[ErrorResponse | SpaceInfoResponse]:
    """Query individual space information

     Queries the information of an individual space: its owner, capacity, usage and root
    directories. When the owner has more than one individual space, name the one wanted
    with `containerId`.

    Args:
        owner_id (str):
        type_ (GetSpaceInfoType): Space type: 1, individual space.
        container_id (str | Unset):
        x_traceid (str | Unset):
        language (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SpaceInfoResponse]
    """

    kwargs = _get_kwargs(
        owner_id=owner_id,
        type_=type_,
        container_id=container_id,
        x_traceid=x_traceid,
        language=language,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    owner_id: str,
    *,
    client: AuthenticatedClient | Client,
    type_: GetSpaceInfoType,
    container_id: str | Unset = UNSET,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> SpaceInfoResponse:
    """Query individual space information

     Queries the information of an individual space: its owner, capacity, usage and root
    directories. When the owner has more than one individual space, name the one wanted
    with `containerId`.

    Args:
        owner_id (str):
        type_ (GetSpaceInfoType): Space type: 1, individual space.
        container_id (str | Unset):
        x_traceid (str | Unset):
        language (str | Unset):

    Raises:
        koodrive_space.KooDriveError: With a client from koodrive_space.create_client: a subclass
            naming what went wrong (a refusal by code, a request out of bounds before sending, a
            timeout, a connection failure, an unreadable reply); nothing else escapes.
        errors.UnexpectedStatus: With a plain Client, if the reply is not the documented success
            reply (use the *_detailed function to read other replies).
        httpx.TimeoutException: With a plain Client, if the request takes longer than
            Client.timeout.

    Returns:
        SpaceInfoResponse
    """

    response = await asyncio_detailed(
        owner_id=owner_id,
        client=client,
        type_=type_,
        container_id=container_id,
        x_traceid=x_traceid,
        language=language,
    )
    if isinstance(response.parsed, SpaceInfoResponse):
        return response.parsed
    raise errors.UnexpectedStatus(response.status_code, response.content)
