from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.documented_error_code import (
    DocumentedErrorCode,
    check_documented_error_code,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorResponse")


@_attrs_define
class ErrorResponse:
    """KooDrive's reply envelope when a call fails.

    Attributes:
        code (DocumentedErrorCode | int | str): The envelope's result code: 0 on success, a number such as 13000102 for
            a KooDrive
            failure (the documented ones are `DocumentedErrorCode`; others may come), or a string such
            as `APIGW.0301` for a failure reported by the API gateway.
        msg (str | Unset): Error message.
    """

    code: DocumentedErrorCode | int | str
    msg: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code: int | str
        if isinstance(self.code, int):
            code = self.code
        else:
            code = self.code

        msg = self.msg

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
            }
        )
        if msg is not UNSET:
            field_dict["msg"] = msg

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_code(data: object) -> DocumentedErrorCode | int | str:
            try:
                if not isinstance(data, int):
                    raise TypeError()
                componentsschemas_error_code_type_0 = check_documented_error_code(data)

                return componentsschemas_error_code_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentedErrorCode | int | str, data)

        code = _parse_code(d.pop("code"))

        msg = d.pop("msg", UNSET)

        error_response = cls(
            code=code,
            msg=msg,
        )

        error_response.additional_properties = d
        return error_response

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
