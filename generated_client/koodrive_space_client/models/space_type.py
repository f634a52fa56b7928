from typing import Literal

SpaceType = Literal[1]

SPACE_TYPE_VALUES: set[SpaceType] = {
    1,
}


def check_space_type(value: int) -> SpaceType:
    if value in SPACE_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SPACE_TYPE_VALUES!r}"
    )
