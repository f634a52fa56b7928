"""``python -m tests.emulator [--port 8765]``: serve the emulator on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import argparse

from tests.emulator import data as dataset
from tests.emulator.app import DEFAULT_LOG_LIMIT, DEFAULT_REQUEST_TIMEOUT, Emulator
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
    parser.add_argument(
        "--users",
        type=int,
        default=0,
        help="grow the reference tenant to this many users (bulk runs; default: as seeded)",
    )
    parser.add_argument(
        "--log-limit",
        type=int,
        default=DEFAULT_LOG_LIMIT,
        help="how many of the newest replies the emulator keeps in memory (default: %(default)s)",
    )
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=DEFAULT_REQUEST_TIMEOUT,
        help="seconds a client has to send a request's headers, then its body, before the "
        "emulator answers 408 or hangs up (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.users < 0:
        parser.error(f"--users must be 0 or more (got {args.users})")
    if args.log_limit < 0:
        parser.error(f"--log-limit must be 0 or more (got {args.log_limit})")
    if not 0 < args.request_timeout < float("inf"):
        parser.error(f"--request-timeout must be a number above 0 (got {args.request_timeout})")
    credentials = Credentials.from_environment()
    data = dataset.build()
    dataset.grow(data, dataset.SEED_TENANT, args.users)
    emulator = Emulator(
        credentials=credentials,
        shape=args.shape,
        data=data,
        log_limit=args.log_limit,
        request_timeout=args.request_timeout,
    )
    print(f"KooDrive emulator on http://{HOST}:{args.port} (Ctrl-C stops it)")
    print("Credentials it accepts:")
    print("\n".join(credentials.describe()))
    print(f"Faults: send '{HEADER}: status=503' (see tests/emulator/faults.py) or POST")
    print(f'        {{"faults": [...]}} to http://{HOST}:{args.port}/_emulator/faults')
    print(f"Client: KOODRIVE_BASE_URL=http://{HOST}:{args.port} with the values above.")
    serve_forever(emulator, args.port)


if __name__ == "__main__":
    main()
