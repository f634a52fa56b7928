from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.team_type import TeamType, check_team_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="TeamSpaceInfo")


@_attrs_define
class TeamSpaceInfo:
    """Information about one team space.

    Attributes:
        id (str | Unset): ID of the department, user group, or group to which the space belongs.
        status (int | Unset): Space status.
        capacity (int | Unset): Space size.
        space_used (int | str | Unset): Size of the used space.
        container_id (str | Unset): Space ID.
        user_num (int | Unset): Number of users.
        owner_id (str | Unset): Owner ID.
        owner_name (str | Unset): Owner name.
        tenant_id (str | Unset): Tenant ID.
        creator (str | Unset): Creator.
        create_time (str | Unset): Creation time.
        modifier (str | Unset): Modifier ID.
        update_time (str | Unset): Update time.
        biz_root_file_id (str | Unset): ID of the space root directory.
        biz_sbox_file_id (str | Unset): ID of the space safe directory.
        icon_url (str | Unset): Icon link.
        top (int | Unset): Whether this record is pinned to top.
        role (int | Unset): Role.
        type_ (int | TeamType | Unset): Space type: 0, department space; 1, personal space; 2, group space (`TeamType`;
            other
            values may come).
        team_type (int | TeamType | Unset): Team type: 0, department space; 1, personal space; 2, group space
            (`TeamType`; other
            values may come).
    """

    id: str | Unset = UNSET
    status: int | Unset = UNSET
    capacity: int | Unset = UNSET
    space_used: int | str | Unset = UNSET
    container_id: str | Unset = UNSET
    user_num: int | Unset = UNSET
    owner_id: str | Unset = UNSET
    owner_name: str | Unset = UNSET
    tenant_id: str | Unset = UNSET
    creator: str | Unset = UNSET
    create_time: str | Unset = UNSET
    modifier: str | Unset = UNSET
    update_time: str | Unset = UNSET
    biz_root_file_id: str | Unset = UNSET
    biz_sbox_file_id: str | Unset = UNSET
    icon_url: str | Unset = UNSET
    top: int | Unset = UNSET
    role: int | Unset = UNSET
    type_: int | TeamType | Unset = UNSET
    team_type: int | TeamType | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status

        capacity = self.capacity

        space_used: int | str | Unset
        if isinstance(self.space_used, Unset):
            space_used = UNSET
        else:
            space_used = self.space_used

        container_id = self.container_id

        user_num = self.user_num

        owner_id = self.owner_id

        owner_name = self.owner_name

        tenant_id = self.tenant_id

        creator = self.creator

        create_time = self.create_time

        modifier = self.modifier

        update_time = self.update_time

        biz_root_file_id = self.biz_root_file_id

        biz_sbox_file_id = self.biz_sbox_file_id

        icon_url = self.icon_url

        top = self.top

        role = self.role

        type_: int | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, int):
            type_ = self.type_
        else:
            type_ = self.type_

        team_type: int | Unset
        if isinstance(self.team_type, Unset):
            team_type = UNSET
        elif isinstance(self.team_type, int):
            team_type = self.team_type
        else:
            team_type = self.team_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if status is not UNSET:
            field_dict["status"] = status
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if space_used is not UNSET:
            field_dict["spaceUsed"] = space_used
        if container_id is not UNSET:
            field_dict["containerId"] = container_id
        if user_num is not UNSET:
            field_dict["userNum"] = user_num
        if owner_id is not UNSET:
            field_dict["ownerId"] = owner_id
        if owner_name is not UNSET:
            field_dict["ownerName"] = owner_name
        if tenant_id is not UNSET:
            field_dict["tenantId"] = tenant_id
        if creator is not UNSET:
            field_dict["creator"] = creator
        if create_time is not UNSET:
            field_dict["createTime"] = create_time
        if modifier is not UNSET:
            field_dict["modifier"] = modifier
        if update_time is not UNSET:
            field_dict["updateTime"] = update_time
        if biz_root_file_id is not UNSET:
            field_dict["bizRootFileId"] = biz_root_file_id
        if biz_sbox_file_id is not UNSET:
            field_dict["bizSboxFileId"] = biz_sbox_file_id
        if icon_url is not UNSET:
            field_dict["iconUrl"] = icon_url
        if top is not UNSET:
            field_dict["top"] = top
        if role is not UNSET:
            field_dict["role"] = role
        if type_ is not UNSET:
            field_dict["type"] = type_
        if team_type is not UNSET:
            field_dict["teamType"] = team_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        status = d.pop("status", UNSET)

        capacity = d.pop("capacity", UNSET)

        def _parse_space_used(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        space_used = _parse_space_used(d.pop("spaceUsed", UNSET))

        container_id = d.pop("containerId", UNSET)

        user_num = d.pop("userNum", UNSET)

        owner_id = d.pop("ownerId", UNSET)

        owner_name = d.pop("ownerName", UNSET)

        tenant_id = d.pop("tenantId", UNSET)

        creator = d.pop("creator", UNSET)

        create_time = d.pop("createTime", UNSET)

        modifier = d.pop("modifier", UNSET)

        update_time = d.pop("updateTime", UNSET)

        biz_root_file_id = d.pop("bizRootFileId", UNSET)

        biz_sbox_file_id = d.pop("bizSboxFileId", UNSET)

        icon_url = d.pop("iconUrl", UNSET)

        top = d.pop("top", UNSET)

        role = d.pop("role", UNSET)

        def _parse_type_(data: object) -> int | TeamType | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                type_type_0 = check_team_type(data)

                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(int | TeamType | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_team_type(data: object) -> int | TeamType | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                team_type_type_0 = check_team_type(data)

                return team_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(int | TeamType | Unset, data)

        team_type = _parse_team_type(d.pop("teamType", UNSET))

        team_space_info = cls(
            id=id,
            status=status,
            capacity=capacity,
            space_used=space_used,
            container_id=container_id,
            user_num=user_num,
            owner_id=owner_id,
            owner_name=owner_name,
            tenant_id=tenant_id,
            creator=creator,
            create_time=create_time,
            modifier=modifier,
            update_time=update_time,
            biz_root_file_id=biz_root_file_id,
            biz_sbox_file_id=biz_sbox_file_id,
            icon_url=icon_url,
            top=top,
            role=role,
            type_=type_,
            team_type=team_type,
        )

        team_space_info.additional_properties = d
        return team_space_info

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
