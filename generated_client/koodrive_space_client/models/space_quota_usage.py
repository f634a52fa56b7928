from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SpaceQuotaUsage")


@_attrs_define
class SpaceQuotaUsage:
    """The tenant's space usage overview.

    Attributes:
        total_allocation (int | Unset): Total allocated quota, in KB.
        total_capacity (int | Unset): Total quota, in KB.
        total_used (int | Unset): Used quota, in KB.
        quota (str | Unset): Quota, in GB (absent from the reference's example reply).
    """

    total_allocation: int | Unset = UNSET
    total_capacity: int | Unset = UNSET
    total_used: int | Unset = UNSET
    quota: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_allocation = self.total_allocation

        total_capacity = self.total_capacity

        total_used = self.total_used

        quota = self.quota

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if total_allocation is not UNSET:
            field_dict["totalAllocation"] = total_allocation
        if total_capacity is not UNSET:
            field_dict["totalCapacity"] = total_capacity
        if total_used is not UNSET:
            field_dict["totalUsed"] = total_used
        if quota is not UNSET:
            field_dict["quota"] = quota

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        total_allocation = d.pop("totalAllocation", UNSET)

        total_capacity = d.pop("totalCapacity", UNSET)

        total_used = d.pop("totalUsed", UNSET)

        quota = d.pop("quota", UNSET)

        space_quota_usage = cls(
            total_allocation=total_allocation,
            total_capacity=total_capacity,
            total_used=total_used,
            quota=quota,
        )

        space_quota_usage.additional_properties = d
        return space_quota_usage

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
