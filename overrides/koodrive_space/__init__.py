"""KooDrive Space Management, the hand-written layer over the generated client.

Where things are: request signing in ``signing.py`` (the rule) and ``auth.py`` (``AppAuth``,
``TokenAuth``); the per-request pipeline (bounds, trace ids, retries, error mapping) in
``transport.py``; ``create_client`` in ``client.py``; errors in ``errors.py``; paging and
batching in ``helpers.py``.
"""

from koodrive_space.auth import AppAuth, TokenAuth
from koodrive_space.client import auth_from_environment, create_client
from koodrive_space.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    InsufficientSpaceError,
    InvalidParameterError,
    KooDriveError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    SpaceNotActiveError,
    SpaceNotFoundError,
    UnreadableResponseError,
)
from koodrive_space.helpers import (
    aiter_team_spaces,
    allocation_records,
    aquery_usage,
    as_int,
    iter_team_spaces,
    query_usage,
    team_spaces_in,
)
from koodrive_space.retries import RetryPolicy
from koodrive_space.transport import KooDriveTransport, new_trace_id

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AppAuth",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "InsufficientSpaceError",
    "InvalidParameterError",
    "KooDriveError",
    "KooDriveTransport",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "RetryPolicy",
    "ServerError",
    "SpaceNotActiveError",
    "SpaceNotFoundError",
    "TokenAuth",
    "UnreadableResponseError",
    "aiter_team_spaces",
    "allocation_records",
    "aquery_usage",
    "as_int",
    "auth_from_environment",
    "create_client",
    "iter_team_spaces",
    "new_trace_id",
    "query_usage",
    "team_spaces_in",
]
