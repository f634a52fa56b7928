from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetSpaceAllocatedData")


@_attrs_define
class GetSpaceAllocatedData:
    """The allocated and total space of one space type.

    Attributes:
        type_ (int | str | Unset): Space type.
        allocate_capacity (int | str | Unset): Allocated size, in GB.
        total_capacity (int | str | Unset): Total size, in GB.
    """

    type_: int | str | Unset = UNSET
    allocate_capacity: int | str | Unset = UNSET
    total_capacity: int | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_: int | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        allocate_capacity: int | str | Unset
        if isinstance(self.allocate_capacity, Unset):
            allocate_capacity = UNSET
        else:
            allocate_capacity = self.allocate_capacity

        total_capacity: int | str | Unset
        if isinstance(self.total_capacity, Unset):
            total_capacity = UNSET
        else:
            total_capacity = self.total_capacity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if allocate_capacity is not UNSET:
            field_dict["allocateCapacity"] = allocate_capacity
        if total_capacity is not UNSET:
            field_dict["totalCapacity"] = total_capacity

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_type_(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_allocate_capacity(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        allocate_capacity = _parse_allocate_capacity(d.pop("allocateCapacity", UNSET))

        def _parse_total_capacity(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        total_capacity = _parse_total_capacity(d.pop("totalCapacity", UNSET))

        get_space_allocated_data = cls(
            type_=type_,
            allocate_capacity=allocate_capacity,
            total_capacity=total_capacity,
        )

        get_space_allocated_data.additional_properties = d
        return get_space_allocated_data

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
