from typing import Literal

DocumentedErrorCode = Literal[13000102, 13000301, 13000311, 13000410, 13000412]

DOCUMENTED_ERROR_CODE_VALUES: set[DocumentedErrorCode] = {
    13000102,
    13000301,
    13000311,
    13000410,
    13000412,
}


def check_documented_error_code(value: int) -> DocumentedErrorCode:
    if value in DOCUMENTED_ERROR_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DOCUMENTED_ERROR_CODE_VALUES!r}"
    )
