"""A plain HTTP server for the per-call benchmark: it answers every GET with the same prepared
``teamList`` reply bytes, so the client compared (bare httpx or ours) is the only variable.

``python -m bench.static_server PORT``; runs in its own process so its CPU time is not the
client's. The reply for ``limit=N`` is the emulator's table-shaped first page of N team spaces.
"""

from __future__ import annotations

import functools
import json
import socketserver
import sys
from urllib.parse import parse_qs, urlsplit

from koodrive_emulator import data as dataset

TEAMS = dataset.build().tenants[dataset.SEED_TENANT].team_spaces


@functools.cache
def team_list_reply(limit: int) -> bytes:
    """What the emulator sends for ``teamList?offset=0&limit=N`` in the table form."""
    records = [dict(team, spaceUsed=str(team["spaceUsed"])) for team in TEAMS[:limit]]
    reply = {"total": str(len(TEAMS)), "teams": records, "code": 0, "msg": "OK"}
    return json.dumps(reply).encode()


def response(limit: int) -> bytes:
    """The whole HTTP/1.1 response, head and body, written with one ``sendall``: one packet per
    reply keeps the client's receive path (and its CPU time) the same for every call."""
    body = team_list_reply(limit)
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Handler(socketserver.StreamRequestHandler):
    """Keep-alive GETs without bodies, which is all the benchmark sends."""

    disable_nagle_algorithm = True

    def handle(self) -> None:
        while request_line := self.rfile.readline():
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # headers: nothing in them changes the reply
            target = request_line.split(b" ")[1].decode()
            limit = int(parse_qs(urlsplit(target).query).get("limit", ["10"])[0])
            self.wfile.write(response(limit))


def main() -> None:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
