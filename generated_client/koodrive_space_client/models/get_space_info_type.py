from typing import Literal

GetSpaceInfoType = Literal["1"]

GET_SPACE_INFO_TYPE_VALUES: set[GetSpaceInfoType] = {
    "1",
}


def check_get_space_info_type(value: str) -> GetSpaceInfoType:
    if value in GET_SPACE_INFO_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_SPACE_INFO_TYPE_VALUES!r}"
    )
