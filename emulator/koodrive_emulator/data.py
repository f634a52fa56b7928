"""The emulator's data: the reference pages' example records plus a generated, seeded tenant set.

Deterministic: every generated value comes from SHA-256 of a label (no ``random``), so the same
build serves the same records everywhere, and cassettes recorded from it are reproducible.

- Tenant ``40086000004871666`` (the reference's examples) has 1,200 users, 263 team spaces and
  the example records verbatim: space owner ``369528171409614001``, usage user
  ``1008600000509220652``, team space ``1008600000000000001`` ("Finance"). Two more tenants
  have 60 and 40 users, so a user of one tenant can be refused access to another's space.
- Individual spaces: one per user. Every 97th generated user has two (``containerId`` must
  then name one), every 53rd user's space is not active (status 1).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SEED_TENANT = "40086000004871666"
SEED_OWNER = "369528171409614001"
SEED_USAGE_USER = "1008600000509220652"
SEED_TEAM_ID = "1008600000000000001"
# The user of the reference's signed-request example; the emulator's fake demo user.
EXAMPLE_ACTING_USER = "1505084218764547200"

SEED_CONTAINER = "IAADfsBFCO6WtAtuA315074383680425b8aa9a130cba2d4"
SEED_SPACE: dict[str, Any] = {
    "tenantId": SEED_TENANT,
    "creator": SEED_OWNER,
    "createTime": "2023-11-07T20:36:35.000Z",
    "modifier": SEED_OWNER,
    "updateTime": "2023-12-26T11:40:07.000Z",
    "ownerId": SEED_OWNER,
    "type": 1,
    "status": 0,
    "capacity": 800,
    "capacityKb": 0,
    "spaceUsed": 91966408,
    "containerId": SEED_CONTAINER,
    "rootFileId": "HFFdIb642fU51JWKAUlP6mwUVc8oDNKbO",
    "bizRootFileId": "DEUI7pa0C24Aroot" + SEED_CONTAINER,
    "bizSboxFileId": "DEUI7pa0C24Asbox" + SEED_CONTAINER,
}
SEED_USAGE: dict[str, Any] = {
    "quota": "1048576",
    "userId": SEED_USAGE_USER,
    "used": 0,
    "createTime": "2025-11-12T08:37:14.613Z",
    "effectiveTime": "2025-11-12T08:37:14.613Z",
    "expirationTime": "2025-12-12T08:37:14.613Z",
}
SEED_TEAM_CONTAINER = "TEAMfsBFCO6WtAtuA315074383680425b8aa9a130cba2d4"
SEED_TEAM: dict[str, Any] = {
    "id": SEED_TEAM_ID,
    "status": 0,
    "capacity": 1024,
    "spaceUsed": 2048,
    "containerId": SEED_TEAM_CONTAINER,
    "userNum": 12,
    "ownerId": SEED_OWNER,
    "ownerName": "Finance",
    "tenantId": SEED_TENANT,
    "creator": SEED_OWNER,
    "createTime": "2023-11-07T20:36:35.000Z",
    "modifier": SEED_OWNER,
    "updateTime": "2023-12-26T11:40:07.000Z",
    "bizRootFileId": "DEUI7pa0C24Aroot" + SEED_TEAM_CONTAINER,
    "bizSboxFileId": "DEUI7pa0C24Asbox" + SEED_TEAM_CONTAINER,
    "iconUrl": "https://intl.myhuaweicloud-koodrive.com/icons/team.png",
    "top": 0,
    "role": 1,
    "type": 0,
    "teamType": 0,
}

KB_PER_GB = 1024 * 1024
DEPARTMENTS = (
    "Finance",
    "Engineering",
    "Sales",
    "Marketing",
    "Legal",
    "Operations",
    "Research",
    "Support",
    "Design",
    "Procurement",
    "Logistics",
    "Training",
)


def _number(label: str, modulo: int) -> int:
    return int(hashlib.sha256(label.encode()).hexdigest()[:12], 16) % modulo


def _token(label: str, length: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    digest = hashlib.sha256(label.encode()).digest() * 4
    return "".join(alphabet[b % len(alphabet)] for b in digest[:length])


def _time(label: str, year: int) -> str:
    month, day = 1 + _number(label + "m", 12), 1 + _number(label + "d", 28)
    hour, minute, second = _number(label + "h", 24), _number(label + "i", 60), _number(label, 60)
    return f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.000Z"


@dataclass
class Tenant:
    tenant_id: str
    capacity_gb: int
    users: list[str] = field(default_factory=list)
    team_spaces: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DataSet:
    tenants: dict[str, Tenant]
    tenant_of: dict[str, str]  # user ID -> tenant ID
    spaces_of: dict[str, list[dict[str, Any]]]  # owner ID -> individual spaces
    usage_of: dict[str, dict[str, Any]]  # user ID -> usage record

    def add_user(self, tenant_id: str, user_id: str) -> None:
        """Make ``user_id`` a user of ``tenant_id`` (the configured acting user, for one)."""
        if user_id in self.tenant_of:
            return
        tenant = self.tenants[tenant_id]
        tenant.users.append(user_id)
        self.tenant_of[user_id] = tenant_id
        self.spaces_of[user_id] = [_individual_space(tenant_id, user_id, len(tenant.users))]
        self.usage_of[user_id] = _usage(user_id)


def _individual_space(tenant_id: str, owner: str, index: int, copy: int = 0) -> dict[str, Any]:
    container = "IAAD" + _token(f"container:{owner}:{copy}", 44)
    creator = owner
    return {
        "tenantId": tenant_id,
        "creator": creator,
        "createTime": _time(f"created:{owner}:{copy}", 2023),
        "modifier": creator,
        "updateTime": _time(f"updated:{owner}:{copy}", 2024),
        "ownerId": owner,
        "type": 1,
        "status": 1 if index % 53 == 0 else 0,
        "capacity": (10, 50, 100, 200, 500)[_number(f"capacity:{owner}", 5)],
        "capacityKb": 0 if index % 7 else 512 * 1024,
        "spaceUsed": _number(f"used:{owner}:{copy}", 10 * KB_PER_GB),
        "containerId": container,
        "rootFileId": _token(f"root:{owner}:{copy}", 33),
        "bizRootFileId": "DEUI7pa0C24Aroot" + container,
        "bizSboxFileId": "DEUI7pa0C24Asbox" + container,
    }


def _usage(user_id: str) -> dict[str, Any]:
    created = _time(f"usage:{user_id}", 2025)
    return {
        "quota": str((1, 5, 10, 50)[_number(f"quota:{user_id}", 4)] * KB_PER_GB),
        "userId": user_id,
        "used": _number(f"usage-used:{user_id}", KB_PER_GB),
        "createTime": created,
        "effectiveTime": created,
        "expirationTime": created.replace("2025-", "2026-", 1),
    }


def _team_space(tenant_id: str, index: int, owners: list[str]) -> dict[str, Any]:
    department = DEPARTMENTS[index % len(DEPARTMENTS)]
    owner = owners[_number(f"team-owner:{tenant_id}:{index}", len(owners))]
    container = "TEAM" + _token(f"team:{tenant_id}:{index}", 44)
    team_id = f"{int(tenant_id) * 100 + index:019d}"[-19:]
    return {
        "id": team_id,
        "status": 1 if index % 41 == 0 else 0,
        "capacity": (100, 200, 500, 1024)[_number(f"team-cap:{team_id}", 4)],
        "spaceUsed": _number(f"team-used:{team_id}", 100 * KB_PER_GB),
        "containerId": container,
        "userNum": 1 + _number(f"team-users:{team_id}", 200),
        "ownerId": owner,
        "ownerName": f"{department} {index // len(DEPARTMENTS) + 1}",
        "tenantId": tenant_id,
        "creator": owner,
        "createTime": _time(f"team-created:{team_id}", 2023),
        "modifier": owner,
        "updateTime": _time(f"team-updated:{team_id}", 2024),
        "bizRootFileId": "DEUI7pa0C24Aroot" + container,
        "bizSboxFileId": "DEUI7pa0C24Asbox" + container,
        "iconUrl": "https://intl.myhuaweicloud-koodrive.com/icons/team.png",
        "top": 1 if index % 25 == 0 else 0,
        "role": _number(f"team-role:{team_id}", 3),
        "type": (0, 0, 2)[index % 3],
        "teamType": index % 3,
    }


TENANT_PLAN = (
    # tenant ID, first user ID, users, team spaces, purchased capacity in GB
    (SEED_TENANT, 1008600000509220652, 1200, 262, 500_000),
    ("40086000004871667", 1008600000609220000, 60, 30, 40_000),
    ("40086000004871668", 1008600000709220000, 40, 12, 20_000),
)


def build() -> DataSet:
    data = DataSet(tenants={}, tenant_of={}, spaces_of={}, usage_of={})
    for tenant_id, first_user, user_count, team_count, capacity in TENANT_PLAN:
        tenant = Tenant(tenant_id, capacity)
        data.tenants[tenant_id] = tenant
        for index in range(user_count):
            user = str(first_user + index)
            tenant.users.append(user)
            data.tenant_of[user] = tenant_id
            spaces = [_individual_space(tenant_id, user, index + 1)]
            if (index + 1) % 97 == 0:
                spaces.append(_individual_space(tenant_id, user, index + 1, copy=1))
            data.spaces_of[user] = spaces
            data.usage_of[user] = _usage(user)
        owners = tenant.users[:50]
        tenant.team_spaces = [_team_space(tenant_id, i + 1, owners) for i in range(team_count)]
    seed = data.tenants[SEED_TENANT]
    for user in (SEED_OWNER, EXAMPLE_ACTING_USER):
        seed.users.append(user)
        data.tenant_of[user] = SEED_TENANT
        data.usage_of[user] = _usage(user)
    data.spaces_of[SEED_OWNER] = [dict(SEED_SPACE)]
    data.spaces_of[EXAMPLE_ACTING_USER] = [
        _individual_space(SEED_TENANT, EXAMPLE_ACTING_USER, len(seed.users))
    ]
    data.usage_of[SEED_USAGE_USER] = dict(SEED_USAGE)
    seed.team_spaces.insert(0, dict(SEED_TEAM))
    return data


def grow(data: DataSet, tenant_id: str, users: int, team_spaces: int = 0) -> None:
    """Give ``tenant_id`` at least ``users`` users and ``team_spaces`` team spaces (generated as
    above), for bulk runs such as ``make bench``'s 10,000 of each. The default data set is
    unchanged."""
    tenant = data.tenants[tenant_id]
    first = int(tenant.users[0])
    index = len(tenant.users)
    while len(tenant.users) < users:
        data.add_user(tenant_id, str(first + index))
        index += 1
    owners = tenant.users[:50]
    while len(tenant.team_spaces) < team_spaces:
        tenant.team_spaces.append(_team_space(tenant_id, len(tenant.team_spaces) + 1, owners))


def first_user_with(data: DataSet, tenant_id: str, *, spaces: int = 1, status: int = 0) -> str:
    """A user of ``tenant_id`` with ``spaces`` individual spaces, the first in ``status``."""
    return next(
        user
        for user in data.tenants[tenant_id].users
        if len(data.spaces_of[user]) == spaces and data.spaces_of[user][0]["status"] == status
    )
