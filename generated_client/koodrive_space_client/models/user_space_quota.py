from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserSpaceQuota")


@_attrs_define
class UserSpaceQuota:
    """The space quota and usage of one user.

    Attributes:
        quota (str | Unset): Quota.
        user_id (str | Unset): User ID.
        used (float | Unset): Used quota.
        create_time (str | Unset): Creation time (absent from the reference's example reply).
        effective_time (str | Unset): Start of the validity period.
        expiration_time (str | Unset): Expiration time.
    """

    quota: str | Unset = UNSET
    user_id: str | Unset = UNSET
    used: float | Unset = UNSET
    create_time: str | Unset = UNSET
    effective_time: str | Unset = UNSET
    expiration_time: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quota = self.quota

        user_id = self.user_id

        used = self.used

        create_time = self.create_time

        effective_time = self.effective_time

        expiration_time = self.expiration_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if quota is not UNSET:
            field_dict["quota"] = quota
        if user_id is not UNSET:
            field_dict["userId"] = user_id
        if used is not UNSET:
            field_dict["used"] = used
        if create_time is not UNSET:
            field_dict["createTime"] = create_time
        if effective_time is not UNSET:
            field_dict["effectiveTime"] = effective_time
        if expiration_time is not UNSET:
            field_dict["expirationTime"] = expiration_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        quota = d.pop("quota", UNSET)

        user_id = d.pop("userId", UNSET)

        used = d.pop("used", UNSET)

        create_time = d.pop("createTime", UNSET)

        effective_time = d.pop("effectiveTime", UNSET)

        expiration_time = d.pop("expirationTime", UNSET)

        user_space_quota = cls(
            quota=quota,
            user_id=user_id,
            used=used,
            create_time=create_time,
            effective_time=effective_time,
            expiration_time=expiration_time,
        )

        user_space_quota.additional_properties = d
        return user_space_quota

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
