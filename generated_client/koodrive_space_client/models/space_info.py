from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.space_type import SpaceType, check_space_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="SpaceInfo")


@_attrs_define
class SpaceInfo:
    """Information about an individual space.

    Attributes:
        type_ (int | SpaceType | str | Unset): Owner type: 1, individual space (`SpaceType`; other values may come).
        status (int | str | Unset): Status.
        owner_id (str | Unset): Space owner. For an individual space, the user ID is returned.
        container_id (str | Unset): Space ID.
        biz_root_file_id (str | Unset): ID of the service root directory, which stores unencrypted common files.
        biz_sbox_file_id (str | Unset): ID of the service safe directory, which stores encrypted files.
        capacity (int | str | Unset): Space size, in GB. The total space size is the sum of this value and `capacityKb`.
        space_used (int | str | Unset): Used space, in KB.
        tenant_id (str | Unset): Tenant ID.
        creator (str | Unset): Creator.
        create_time (str | Unset): Creation time (ISO 8601 in the reference's example).
        modifier (str | Unset): Modifier ID.
        update_time (str | Unset): Update time (ISO 8601 in the reference's example).
        root_file_id (str | Unset): ID of the space root directory.
        capacity_kb (str | Unset): Expansion package space size, in KB. The total space size is the sum of this value
            and `capacity`.
    """

    type_: int | SpaceType | str | Unset = UNSET
    status: int | str | Unset = UNSET
    owner_id: str | Unset = UNSET
    container_id: str | Unset = UNSET
    biz_root_file_id: str | Unset = UNSET
    biz_sbox_file_id: str | Unset = UNSET
    capacity: int | str | Unset = UNSET
    space_used: int | str | Unset = UNSET
    tenant_id: str | Unset = UNSET
    creator: str | Unset = UNSET
    create_time: str | Unset = UNSET
    modifier: str | Unset = UNSET
    update_time: str | Unset = UNSET
    root_file_id: str | Unset = UNSET
    capacity_kb: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: int | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, int):
            type_ = self.type_
        else:
            type_ = self.type_

        status: int | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        owner_id = self.owner_id

        container_id = self.container_id

        biz_root_file_id = self.biz_root_file_id

        biz_sbox_file_id = self.biz_sbox_file_id

        capacity: int | str | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        else:
            capacity = self.capacity

        space_used: int | str | Unset
        if isinstance(self.space_used, Unset):
            space_used = UNSET
        else:
            space_used = self.space_used

        tenant_id = self.tenant_id

        creator = self.creator

        create_time = self.create_time

        modifier = self.modifier

        update_time = self.update_time

        root_file_id = self.root_file_id

        capacity_kb = self.capacity_kb

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if status is not UNSET:
            field_dict["status"] = status
        if owner_id is not UNSET:
            field_dict["ownerId"] = owner_id
        if container_id is not UNSET:
            field_dict["containerId"] = container_id
        if biz_root_file_id is not UNSET:
            field_dict["bizRootFileId"] = biz_root_file_id
        if biz_sbox_file_id is not UNSET:
            field_dict["bizSboxFileId"] = biz_sbox_file_id
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if space_used is not UNSET:
            field_dict["spaceUsed"] = space_used
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
        if root_file_id is not UNSET:
            field_dict["rootFileId"] = root_file_id
        if capacity_kb is not UNSET:
            field_dict["capacityKb"] = capacity_kb

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_type_(data: object) -> int | SpaceType | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                type_type_0 = check_space_type(data)

                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(int | SpaceType | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_status(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        owner_id = d.pop("ownerId", UNSET)

        container_id = d.pop("containerId", UNSET)

        biz_root_file_id = d.pop("bizRootFileId", UNSET)

        biz_sbox_file_id = d.pop("bizSboxFileId", UNSET)

        def _parse_capacity(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))

        def _parse_space_used(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        space_used = _parse_space_used(d.pop("spaceUsed", UNSET))

        tenant_id = d.pop("tenantId", UNSET)

        creator = d.pop("creator", UNSET)

        create_time = d.pop("createTime", UNSET)

        modifier = d.pop("modifier", UNSET)

        update_time = d.pop("updateTime", UNSET)

        root_file_id = d.pop("rootFileId", UNSET)

        capacity_kb = d.pop("capacityKb", UNSET)

        space_info = cls(
            type_=type_,
            status=status,
            owner_id=owner_id,
            container_id=container_id,
            biz_root_file_id=biz_root_file_id,
            biz_sbox_file_id=biz_sbox_file_id,
            capacity=capacity,
            space_used=space_used,
            tenant_id=tenant_id,
            creator=creator,
            create_time=create_time,
            modifier=modifier,
            update_time=update_time,
            root_file_id=root_file_id,
            capacity_kb=capacity_kb,
        )

        space_info.additional_properties = d
        return space_info

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
