"""A plain HTTP server for the per-call benchmark: it answers every GET with the same prepared
``teamList`` reply bytes, so the client compared (bare httpx or ours) is the only variable.

``python -m bench.static_server PORT``; runs in its own process so its CPU time is not the
client's. The reply for ``limit=N`` is the emulator's table-shaped first page of N team spaces.
"""

from __future__ import annotations

import functools
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.emulator import data as dataset

TEAMS = dataset.build().tenants[dataset.SEED_TENANT].team_spaces


@functools.cache
def team_list_reply(limit: int) -> bytes:
    """What the emulator sends for ``teamList?offset=0&limit=N`` in the table form."""
    records = [dict(team, spaceUsed=str(team["spaceUsed"])) for team in TEAMS[:limit]]
    reply = {"total": str(len(TEAMS)), "teams": records, "code": 0, "msg": "OK"}
    return json.dumps(reply).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as KooDrive's gateway does

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        body = team_list_reply(int(query.get("limit", ["10"])[0]))
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: one line per request would cost more than the reply."""


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
