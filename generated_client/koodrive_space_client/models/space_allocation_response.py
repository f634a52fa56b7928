from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.get_space_allocated_data import GetSpaceAllocatedData


T = TypeVar("T", bound="SpaceAllocationResponse")


@_attrs_define
class SpaceAllocationResponse:
    """Reply of getSpaceAllocation.

    Attributes:
        code (int | str): Error code; 0 means success (a String in the field table, a number in the example).
        msg (str | Unset): Error message.
        data (GetSpaceAllocatedData | list[GetSpaceAllocatedData] | Unset): Space allocation status: an array of records
            in the field table's form, a single
            record in the reference's example.
    """

    code: int | str
    msg: str | Unset = UNSET
    data: GetSpaceAllocatedData | list[GetSpaceAllocatedData] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.get_space_allocated_data import GetSpaceAllocatedData

        code: int | str
        code = self.code

        msg = self.msg

        data: dict[str, Any] | list[dict[str, Any]] | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, GetSpaceAllocatedData):
            data = self.data.to_dict()
        else:
            data = []
            for data_type_1_item_data in self.data:
                data_type_1_item = data_type_1_item_data.to_dict()
                data.append(data_type_1_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
            }
        )
        if msg is not UNSET:
            field_dict["msg"] = msg
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.get_space_allocated_data import GetSpaceAllocatedData

        d = dict(src_dict)

        def _parse_code(data: object) -> int | str:
            return cast(int | str, data)

        code = _parse_code(d.pop("code"))

        msg = d.pop("msg", UNSET)

        def _parse_data(
            data: object,
        ) -> GetSpaceAllocatedData | list[GetSpaceAllocatedData] | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = GetSpaceAllocatedData.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            data_type_1 = []
            _data_type_1 = data
            for data_type_1_item_data in _data_type_1:
                data_type_1_item = GetSpaceAllocatedData.from_dict(
                    data_type_1_item_data
                )

                data_type_1.append(data_type_1_item)

            return data_type_1

        data = _parse_data(d.pop("data", UNSET))

        space_allocation_response = cls(
            code=code,
            msg=msg,
            data=data,
        )

        space_allocation_response.additional_properties = d
        return space_allocation_response

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
