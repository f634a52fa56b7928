"""Contains all the data models used in inputs/outputs"""

from .documented_error_code import DocumentedErrorCode
from .error_response import ErrorResponse
from .get_space_allocated_data import GetSpaceAllocatedData
from .get_space_info_type import GetSpaceInfoType
from .space_allocation_response import SpaceAllocationResponse
from .space_info import SpaceInfo
from .space_info_response import SpaceInfoResponse
from .space_quota_usage import SpaceQuotaUsage
from .space_type import SpaceType
from .space_usage_overview_response import SpaceUsageOverviewResponse
from .team_space_info import TeamSpaceInfo
from .team_space_list_response import TeamSpaceListResponse
from .team_type import TeamType
from .usage_by_user_request import UsageByUserRequest
from .usage_by_user_response import UsageByUserResponse
from .user_space_quota import UserSpaceQuota

__all__ = (
    "DocumentedErrorCode",
    "ErrorResponse",
    "GetSpaceAllocatedData",
    "GetSpaceInfoType",
    "SpaceAllocationResponse",
    "SpaceInfo",
    "SpaceInfoResponse",
    "SpaceQuotaUsage",
    "SpaceType",
    "SpaceUsageOverviewResponse",
    "TeamSpaceInfo",
    "TeamSpaceListResponse",
    "TeamType",
    "UsageByUserRequest",
    "UsageByUserResponse",
    "UserSpaceQuota",
)
