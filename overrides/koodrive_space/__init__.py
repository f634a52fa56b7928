"""KooDrive Space Management, the hand-written layer over the generated client.

Where things are: request signing in ``signing.py`` (the rule) and ``auth.py`` (``AppAuth``,
``TokenAuth``, clock correction); ``create_client`` in ``client.py``, its arguments' checks
(base URL, proxies, CA bundles, header and cookie names) in ``options.py``; the per-call pipeline
(trace ids, checks, attempts, retries) in ``pipeline.py``, with ``retries.py`` (when and how
long), ``deadline.py`` (each attempt as a whole), ``validation.py`` (the spec's checks on
requests and replies), ``schemas.py`` (the validators and their messages) and ``replies.py``
(size cap, JSON, error mapping); errors in ``errors.py``; the spec as code reads it in
``spec.py``; paging in ``paging.py`` and batching in ``batching.py``, both on ``fanout.py``
(several requests in flight, results in order); varying reply forms in ``helpers.py``.
"""

from typing import TYPE_CHECKING

from koodrive_space import spec
from koodrive_space.auth import AppAuth, TokenAuth
from koodrive_space.batching import aquery_usage, query_usage
from koodrive_space.client import KooDriveClient, auth_from_environment, create_client
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
from koodrive_space.helpers import allocation_records, as_int, team_spaces_in
from koodrive_space.paging import aiter_team_spaces, iter_team_spaces
from koodrive_space.pipeline import new_trace_id
from koodrive_space.retries import RetryPolicy

# __version__ is the spec's info.version, read from the spec embedded in the generated package:
# one source in a checkout (on the path through a .pth file, with no distribution metadata for
# importlib.metadata) and when installed alike. Read on first use, so importing reads no file.
if TYPE_CHECKING:
    __version__: str
else:

    def __getattr__(name: str) -> str:
        if name == "__version__":
            return spec.version()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "KooDriveClient",
    "KooDriveError",
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
