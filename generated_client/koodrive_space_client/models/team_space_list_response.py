from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.team_space_info import TeamSpaceInfo


T = TypeVar("T", bound="TeamSpaceListResponse")


@_attrs_define
class TeamSpaceListResponse:
    """Reply of listTeamSpaces. The field table's form carries `total` and `teams`; the
    reference's example carries a single space in `data`.

        Attributes:
            code (int): Error code; 0 means success.
            msg (str | Unset): Error message.
            total (int | str | Unset): Total number of records (a String in the field table).
            teams (list[TeamSpaceInfo] | Unset): Team space list.
            data (TeamSpaceInfo | Unset): A single team space, the form of the reference's example reply. Read it when
                `teams` is absent.
    """

    code: int
    msg: str | Unset = UNSET
    total: int | str | Unset = UNSET
    teams: list[TeamSpaceInfo] | Unset = UNSET
    data: TeamSpaceInfo | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        msg = self.msg

        total: int | str | Unset
        if isinstance(self.total, Unset):
            total = UNSET
        else:
            total = self.total

        teams: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.teams, Unset):
            teams = []
            for teams_item_data in self.teams:
                teams_item = teams_item_data.to_dict()
                teams.append(teams_item)

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
            }
        )
        if msg is not UNSET:
            field_dict["msg"] = msg
        if total is not UNSET:
            field_dict["total"] = total
        if teams is not UNSET:
            field_dict["teams"] = teams
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.team_space_info import TeamSpaceInfo

        d = dict(src_dict)
        code = d.pop("code")

        msg = d.pop("msg", UNSET)

        def _parse_total(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        total = _parse_total(d.pop("total", UNSET))

        _teams = d.pop("teams", UNSET)
        teams: list[TeamSpaceInfo] | Unset = UNSET
        if _teams is not UNSET:
            teams = []
            for teams_item_data in _teams:
                teams_item = TeamSpaceInfo.from_dict(teams_item_data)

                teams.append(teams_item)

        _data = d.pop("data", UNSET)
        data: TeamSpaceInfo | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = TeamSpaceInfo.from_dict(_data)

        team_space_list_response = cls(
            code=code,
            msg=msg,
            total=total,
            teams=teams,
            data=data,
        )

        team_space_list_response.additional_properties = d
        return team_space_list_response

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
