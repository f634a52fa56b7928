"""``python -m tests.emulator [--port 8765]``: serve the emulator on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import argparse

from tests.emulator.app import Emulator
from tests.emulator.credentials import Credentials
from tests.emulator.faults import HEADER
from tests.emulator.server import HOST, serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.emulator", description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--shape",
        choices=("table", "example"),
        default="table",
        help="reply form (openapi/DISCREPANCIES.md); per request: X-Emulator-Fault: shape=...",
    )
    args = parser.parse_args(argv)
    credentials = Credentials.from_environment()
    emulator = Emulator(credentials=credentials, shape=args.shape)
    print(f"KooDrive emulator on http://{HOST}:{args.port} (Ctrl-C stops it)")
    print("Credentials it accepts:")
    print("\n".join(credentials.describe()))
    print(f"Faults: send '{HEADER}: status=503' (see tests/emulator/faults.py) or POST")
    print(f'        {{"faults": [...]}} to http://{HOST}:{args.port}/_emulator/faults')
    print(f"Client: KOODRIVE_BASE_URL=http://{HOST}:{args.port} with the values above.")
    serve_forever(emulator, args.port)


if __name__ == "__main__":
    main()
