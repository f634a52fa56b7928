from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageByUserRequest")


@_attrs_define
class UsageByUserRequest:
    """Body of querySpaceUsageByUser.

    Attributes:
        user_ids (list[str] | Unset): User ID list, 1 to 50 entries.
        limit (int | Unset): Maximum number of records to be returned, at least 1. Not in the reference's field
            table; its example request sends it.
        offset (int | Unset): Offset of the first record, at least 0. Not in the reference's field table; its
            example request sends it.
    """

    user_ids: list[str] | Unset = UNSET
    limit: int | Unset = UNSET
    offset: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_ids: list[str] | Unset = UNSET
        if not isinstance(self.user_ids, Unset):
            user_ids = self.user_ids

        limit = self.limit

        offset = self.offset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if user_ids is not UNSET:
            field_dict["userIds"] = user_ids
        if limit is not UNSET:
            field_dict["limit"] = limit
        if offset is not UNSET:
            field_dict["offset"] = offset

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        user_ids = cast(list[str], d.pop("userIds", UNSET))

        limit = d.pop("limit", UNSET)

        offset = d.pop("offset", UNSET)

        usage_by_user_request = cls(
            user_ids=user_ids,
            limit=limit,
            offset=offset,
        )

        usage_by_user_request.additional_properties = d
        return usage_by_user_request

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
