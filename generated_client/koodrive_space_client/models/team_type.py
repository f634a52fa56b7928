from typing import Literal

TeamType = Literal[0, 1, 2]

TEAM_TYPE_VALUES: set[TeamType] = {
    0,
    1,
    2,
}


def check_team_type(value: int) -> TeamType:
    if value in TEAM_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TEAM_TYPE_VALUES!r}")
