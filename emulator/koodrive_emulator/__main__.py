"""``koodrive-emulator [--host 127.0.0.1] [--port 8765]``: serve a local KooDrive until Ctrl-C.

Also ``python -m koodrive_emulator``. Installed with ``pip install "koodrive-space[emulator]"``.
"""

from __future__ import annotations

import argparse
import os
import sys

from koodrive_emulator import data as dataset
from koodrive_emulator.app import DEFAULT_LOG_LIMIT, DEFAULT_REQUEST_TIMEOUT, Emulator
from koodrive_emulator.credentials import Credentials
from koodrive_emulator.faults import HEADER, FaultSyntaxError, duration
from koodrive_emulator.server import HOST, listen, serve_forever


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="koodrive-emulator", description=__doc__)
    parser.add_argument("--host", default=HOST, help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8765, help="default: %(default)s")
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
        "--team-spaces",
        type=int,
        default=0,
        help="grow the reference tenant to this many team spaces (bulk runs; default: as seeded)",
    )
    parser.add_argument(
        "--latency",
        default="0",
        help="delay every reply by this round trip, e.g. 50ms, to reproduce a WAN "
        "(per request: X-Emulator-Fault: latency=...; default: none)",
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
    if args.team_spaces < 0:
        parser.error(f"--team-spaces must be 0 or more (got {args.team_spaces})")
    try:
        latency = duration(args.latency)
    except FaultSyntaxError as problem:
        parser.error(f"--{problem}")
    if args.log_limit < 0:
        parser.error(f"--log-limit must be 0 or more (got {args.log_limit})")
    if not 0 < args.request_timeout < float("inf"):
        parser.error(f"--request-timeout must be a number above 0 (got {args.request_timeout})")
    if not 0 < args.port < 65536:
        parser.error(f"--port must be 1 to 65535 (got {args.port})")
    try:
        sock = listen(args.host, args.port)
    except OSError as problem:  # before the banner: a busy port is one line, not a traceback
        why = os.strerror(problem.errno) if problem.errno else str(problem)
        sys.exit(f"koodrive-emulator: cannot listen on {args.host}:{args.port}: {why}")
    credentials = Credentials.from_environment()
    data = dataset.build()
    dataset.grow(data, dataset.SEED_TENANT, args.users, args.team_spaces)
    emulator = Emulator(
        credentials=credentials,
        shape=args.shape,
        data=data,
        log_limit=args.log_limit,
        request_timeout=args.request_timeout,
        latency=latency,
    )
    url = f"http://{args.host}:{args.port}"
    delayed = f", every reply {latency * 1000:g} ms late" if latency else ""
    print(f"KooDrive emulator on {url}{delayed} (Ctrl-C stops it)")
    print("Credentials it accepts:")
    print("\n".join(credentials.describe()))
    print(f"Faults: send '{HEADER}: status=503' with a request (the README's sharing section")
    print(f'        lists them) or POST {{"faults": [...]}} to {url}/_emulator/faults')
    print(f"Client: KOODRIVE_BASE_URL={url} with the values above.")
    serve_forever(emulator, sock)


if __name__ == "__main__":
    main()
