"""`make demo` before the emulator exists: import the client and list its five operations."""

from __future__ import annotations

import importlib

from tests.openapi_doc import operations


def main() -> None:
    print(f"{'operationId':<24} {'method':<6} path")
    for op in operations():
        module = importlib.import_module(
            "koodrive_space_client.api.space."
            + "".join("_" + c.lower() if c.isupper() else c for c in op.operation_id)
        )
        assert callable(module.sync_detailed)
        print(f"{op.operation_id:<24} {op.method.upper():<6} {op.path}")


if __name__ == "__main__":
    main()
