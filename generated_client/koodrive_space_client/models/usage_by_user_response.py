from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_space_quota import UserSpaceQuota


T = TypeVar("T", bound="UsageByUserResponse")


@_attrs_define
class UsageByUserResponse:
    """Reply of querySpaceUsageByUser.

    Attributes:
        code (int): Return code; 0 means success.
        msg (str | Unset): Description.
        data (list[UserSpaceQuota] | Unset): Query result.
        total (int | Unset): Total number.
    """

    code: int
    msg: str | Unset = UNSET
    data: list[UserSpaceQuota] | Unset = UNSET
    total: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        msg = self.msg

        data: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = []
            for data_item_data in self.data:
                data_item = data_item_data.to_dict()
                data.append(data_item)

        total = self.total

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
        if total is not UNSET:
            field_dict["total"] = total

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.user_space_quota import UserSpaceQuota

        d = dict(src_dict)
        code = d.pop("code")

        msg = d.pop("msg", UNSET)

        _data = d.pop("data", UNSET)
        data: list[UserSpaceQuota] | Unset = UNSET
        if _data is not UNSET:
            data = []
            for data_item_data in _data:
                data_item = UserSpaceQuota.from_dict(data_item_data)

                data.append(data_item)

        total = d.pop("total", UNSET)

        usage_by_user_response = cls(
            code=code,
            msg=msg,
            data=data,
            total=total,
        )

        usage_by_user_response.additional_properties = d
        return usage_by_user_response

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
