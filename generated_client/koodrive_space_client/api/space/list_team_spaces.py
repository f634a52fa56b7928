from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.team_space_list_response import TeamSpaceListResponse
from ...models.team_type import TeamType
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    offset: int,
    limit: int,
    key_word: str | Unset = UNSET,
    team_type: TeamType | Unset = UNSET,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_traceid, Unset):
        headers["X-Traceid"] = x_traceid

    if not isinstance(language, Unset):
        headers["language"] = language

    params: dict[str, Any] = {}

    params["offset"] = offset

    params["limit"] = limit

    params["keyWord"] = key_word

    json_team_type: int | Unset = UNSET
    if not isinstance(team_type, Unset):
        json_team_type = team_type

    params["teamType"] = json_team_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/koodrive/ose/v1/space/teamList",
        "params": params,
        "extensions": {
            "openapi_operation": {
                "method": "get",
                "path": "/koodrive/ose/v1/space/teamList",
                "path_parameters": {},
            }
        },
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TeamSpaceListResponse | None:
    if response.status_code == 200:
        response_200 = TeamSpaceListResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | TeamSpaceListResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    offset: int,
    limit: int,
    key_word: str | Unset = UNSET,
    team_type: TeamType | Unset = UNSET,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> Response[ErrorResponse | TeamSpaceListResponse]:
    """Query information about team spaces

     Lists team spaces a page at a time (`offset`, `limit`), optionally filtered by a keyword
    and a team type. The field table describes the reply as `total` and `teams`; the
    reference's example reply instead carries one space in `data`. Both forms are accepted:
    read `teams` when present, else the single `data` record.

    Args:
        offset (int):
        limit (int):
        key_word (str | Unset):
        team_type (TeamType | Unset): A team space's type: 0, department space; 1, personal space;
            2, group space.
        x_traceid (str | Unset):
        language (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TeamSpaceListResponse]
    """

    kwargs = _get_kwargs(
        offset=offset,
        limit=limit,
        key_word=key_word,
        team_type=team_type,
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
    offset: int,
    limit: int,
    key_word: str | Unset = UNSET,
    team_type: TeamType | Unset = UNSET,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> TeamSpaceListResponse:
    """Query information about team spaces

     Lists team spaces a page at a time (`offset`, `limit`), optionally filtered by a keyword
    and a team type. The field table describes the reply as `total` and `teams`; the
    reference's example reply instead carries one space in `data`. Both forms are accepted:
    read `teams` when present, else the single `data` record.

    Args:
        offset (int):
        limit (int):
        key_word (str | Unset):
        team_type (TeamType | Unset): A team space's type: 0, department space; 1, personal space;
            2, group space.
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
        TeamSpaceListResponse
    """

    response = sync_detailed(
        client=client,
        offset=offset,
        limit=limit,
        key_word=key_word,
        team_type=team_type,
        x_traceid=x_traceid,
        language=language,
    )
    if isinstance(response.parsed, TeamSpaceListResponse):
        return response.parsed
    raise errors.UnexpectedStatus(response.status_code, response.content)


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    offset: int,
    limit: int,
    key_word: str | Unset = UNSET,
    team_type: TeamType | Unset = UNSET,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> Response[ErrorResponse | TeamSpaceListResponse]:
    """Query information about team spaces

     Lists team spaces a page at a time (`offset`, `limit`), optionally filtered by a keyword
    and a team type. The field table describes the reply as `total` and `teams`; the
    reference's example reply instead carries one space in `data`. Both forms are accepted:
    read `teams` when present, else the single `data` record.

    Args:
        offset (int):
        limit (int):
        key_word (str | Unset):
        team_type (TeamType | Unset): A team space's type: 0, department space; 1, personal space;
            2, group space.
        x_traceid (str | Unset):
        language (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TeamSpaceListResponse]
    """

    kwargs = _get_kwargs(
        offset=offset,
        limit=limit,
        key_word=key_word,
        team_type=team_type,
        x_traceid=x_traceid,
        language=language,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    offset: int,
    limit: int,
    key_word: str | Unset = UNSET,
    team_type: TeamType | Unset = UNSET,
    x_traceid: str | Unset = UNSET,
    language: str | Unset = UNSET,
) -> TeamSpaceListResponse:
    """Query information about team spaces

     Lists team spaces a page at a time (`offset`, `limit`), optionally filtered by a keyword
    and a team type. The field table describes the reply as `total` and `teams`; the
    reference's example reply instead carries one space in `data`. Both forms are accepted:
    read `teams` when present, else the single `data` record.

    Args:
        offset (int):
        limit (int):
        key_word (str | Unset):
        team_type (TeamType | Unset): A team space's type: 0, department space; 1, personal space;
            2, group space.
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
        TeamSpaceListResponse
    """

    response = await asyncio_detailed(
        client=client,
        offset=offset,
        limit=limit,
        key_word=key_word,
        team_type=team_type,
        x_traceid=x_traceid,
        language=language,
    )
    if isinstance(response.parsed, TeamSpaceListResponse):
        return response.parsed
    raise errors.UnexpectedStatus(response.status_code, response.content)
